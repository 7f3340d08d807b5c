"""Per-attempt timeouts: an ``async`` attempt still running at ``attempt_timeout`` is cancelled, on asyncio
or trio, and fails with :class:`AttemptTimeout`, which the retry loop retries like any other failure and
a budget charges as a timeout (AWS's timeout cost).

Only an ``async`` attempt can be cancelled from outside: a thread cannot be stopped, so a synchronous
retry loop refuses the option rather than pretend.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from . import _convert
from ._convert import Duration
from ._event_loop import running_trio

R = TypeVar("R")


class AttemptTimeout(TimeoutError):
    """An attempt ran past ``attempt_timeout`` and was cancelled.

    Attributes:
        timeout: the attempt's timeout in seconds.
    """

    def __init__(self, timeout: float) -> None:
        super().__init__(f"the attempt was cancelled at its attempt_timeout of {timeout:g} s")
        self.timeout = timeout


def attempt_timeout(value: Duration | None, cancellable: bool) -> float | None:
    """The ``attempt_timeout`` option in seconds, None for none (None or 0). The core converts the value
    and rejects a negative, NaN or infinite one, naming the option; TypeError when the attempts of the
    loop (not ``cancellable``) cannot be cancelled."""
    if value is None:
        return None
    timeout_ns = _convert.duration_ns(value, "attempt_timeout")
    if timeout_ns == 0:
        return None
    if not cancellable:
        raise TypeError(
            "attempt_timeout: only an async attempt can be cancelled; use AsyncRetrying or @retry on an async def"
        )
    return timeout_ns / 1e9


def with_timeout(fn: Callable[..., Awaitable[R]], timeout: float) -> Callable[..., Awaitable[R]]:
    """``fn``, each call of which is cancelled after ``timeout`` seconds with :class:`AttemptTimeout`."""

    @functools.wraps(fn)
    async def timed(*args: Any, **kwargs: Any) -> R:
        return await _within(timeout, fn(*args, **kwargs))

    return timed


async def _within(timeout: float, attempt: Awaitable[R]) -> R:
    """Awaits ``attempt`` in whichever event loop runs this task, cancelling it at ``timeout``."""
    trio = running_trio("attempt_timeout: no running asyncio loop or trio run to time the attempt in")
    if trio is not None:
        with trio.move_on_after(timeout) as scope:
            return await attempt
        assert scope.cancelled_caught  # the attempt returned or raised otherwise
        raise AttemptTimeout(timeout)
    if sys.version_info >= (3, 11):
        timer = asyncio.timeout(timeout)
        try:
            async with timer:
                return await attempt
        except TimeoutError:
            if not timer.expired():
                raise  # the attempt's own TimeoutError, not ours
            raise AttemptTimeout(timeout) from None
    # Python 3.10: wait_for runs the attempt as a task of its own and cancels it at the timeout (an
    # asyncio.TimeoutError of the attempt's own reads as ours there).
    try:
        return await asyncio.wait_for(attempt, timeout)
    except asyncio.TimeoutError:
        raise AttemptTimeout(timeout) from None
