"""The wait before a retry, for every retrying HTTP client (the httpx transports and the adapters'
:mod:`exchange` loops), blocking and ``async``: one place says which sleep runs and what an interrupted
wait gives back."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from .._event_loop import event_loop_sleep
from ..testing import switch


class WaitingCall(Protocol):
    """A request between attempts: it holds the budget's ticket for the retry it waits for."""

    def abandon_wait(self) -> None: ...


def wait_before_retry(call: WaitingCall, sleep: Callable[[float], Any] | None, delay: float) -> None:
    """Sleeps ``delay`` seconds with ``sleep``, else ``time.sleep`` (skipped in testing mode); an
    interrupted wait (KeyboardInterrupt, a raising ``sleep``) gives back the ticket of the retry that will
    not run, then propagates."""
    try:
        if sleep is not None:
            sleep(delay)
        elif switch.waiting:
            time.sleep(delay)  # releases the GIL; a KeyboardInterrupt ends it at once
    except BaseException:
        call.abandon_wait()
        raise


async def wait_before_retry_async(
    call: WaitingCall, sleep: Callable[[float], Awaitable[Any]] | None, delay: float
) -> None:
    """:func:`wait_before_retry` in the running event loop (asyncio's or trio's): cancelling the task
    ends the wait at once and gives back the ticket."""
    try:
        if sleep is not None:
            await sleep(delay)
        elif switch.waiting:
            await event_loop_sleep(delay)
    except BaseException:
        call.abandon_wait()
        raise
