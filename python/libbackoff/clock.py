"""Clock: the time a retry loop, a breaker and a budget read, and the sleep that waits on it.

Every time-dependent call into the core has an explicit-time form (``on_failure_at_seconds(now_ns,
...)``); the Python layer always uses it and reads ``now`` from one :class:`Clock`, so that no method
chooses between "the core's clock" and "an injected one". The default reads the monotonic clock the
core uses (``CLOCK_MONOTONIC``, as ``time.monotonic_ns``); tests inject
:class:`libbackoff.testing.FakeClock`, whose sleep advances its time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Union

from ._convert import duration_ns, shown

#: What a ``clock=`` option accepts: a :class:`Clock`, or a function returning float seconds on a
#: monotonic scale (like ``time.monotonic``).
ClockOption = Union["Clock", Callable[[], float]]


class Clock:
    """``now_ns()``: the current time in integer nanoseconds on a monotonic scale; ``sleep(seconds)``:
    waits (or, for a fake clock, moves time on). Both are plain attributes, so that the default clock's
    reads cost one call to ``time.monotonic_ns`` and no Python frame."""

    __slots__ = ("now_ns", "sleep")

    def __init__(self, now_ns: Callable[[], int], sleep: Callable[[float], object] = time.sleep) -> None:
        self.now_ns = now_ns
        self.sleep = sleep

    def __repr__(self) -> str:
        return f"{type(self).__name__}(now_ns={self.now_ns!r}, sleep={self.sleep!r})"


#: The core's own clock (std::chrono::steady_clock is CLOCK_MONOTONIC, as time.monotonic_ns).
MONOTONIC = Clock(time.monotonic_ns, time.sleep)


def clock_of(clock: ClockOption | None, param: str = "clock") -> Clock:
    """The :class:`Clock` a ``clock=`` option names: :data:`MONOTONIC` for None, a float-seconds
    function read through the core's conversion (an error names ``param`` and the value)."""
    if clock is None:
        return MONOTONIC
    if isinstance(clock, Clock):
        return clock
    if not callable(clock):
        raise TypeError(f"{param}: expected a callable (got {shown(clock)})")
    seconds = clock
    return Clock(lambda: duration_ns(seconds(), param))
