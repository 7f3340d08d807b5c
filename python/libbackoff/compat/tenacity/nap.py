"""Sleep strategies (``tenacity.nap``). ``sleep`` looks ``time.sleep`` up at each call, so tests that
patch ``tenacity.nap.time.sleep`` (or ``time.sleep``) make retries instant."""

from __future__ import annotations

import threading
import time


def sleep(seconds: float) -> None:
    """The default sleep of :class:`Retrying`: ``time.sleep``."""
    time.sleep(seconds)


class sleep_using_event:
    """Sleeps on a ``threading.Event``: setting the event ends the wait early."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def __call__(self, timeout: float | None) -> None:
        self.event.wait(timeout=timeout)
