"""AsyncRetrying: the retry loop for ``async def`` functions, on asyncio or trio.

The decisions are the same as :class:`Retrying`'s, taken by the same core ``Retrier``; only the
sleeping differs: ``asyncio.sleep`` inside an asyncio loop, ``trio.sleep`` inside a trio run. Task
cancellation is never retried: it propagates from the attempt or from the sleep at once.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, NoReturn, TypeVar

from . import _retried_call
from ._event_loop import event_loop_sleep as _event_loop_sleep
from ._retried import decorated as _decorated
from .attempt_timeout import with_timeout
from .clock import Clock
from .retrying import AttemptManager, Retrying, attempts
from .testing import switch

R = TypeVar("R")


async def _retries(
    call: _retried_call.Call,
    fn: Callable[..., Awaitable[Any]],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    wait: float | None,
    joined: bool,
    sleep: Callable[[float], Awaitable[Any]] | None,
) -> Any:
    """retrying._retries, awaiting the attempts and the waits."""
    while True:
        if wait is not None:
            if sleep is not None:
                await sleep(wait)
            elif switch.waiting:
                await _event_loop_sleep(wait)
        if joined:
            while pause := call.admit():  # type: ignore[union-attr]
                await (sleep or _event_loop_sleep)(pause)  # a limiter's wait for a send token
        try:
            outcome = await (fn(*args, **kwargs) if kwargs else fn(*args))
        except Exception as exc:
            wait = call.raised(exc)
        else:
            if (wait := call.returned(outcome)) is None:
                return outcome


class AsyncRetrying(Retrying):
    """:class:`Retrying` for coroutines: ``@retry`` on an ``async def``, ``await
    AsyncRetrying(...)(fn, *args)``, or ``async for attempt in AsyncRetrying(...): with attempt:``.

    Takes the same options; ``sleep``, if given, is an ``async`` function of float seconds. Hooks are
    plain functions, called without awaiting.
    """

    __slots__ = ()

    _cancels_attempts = True

    def wraps(self, fn: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:  # type: ignore[override]
        """Returns the coroutine function ``fn`` wrapped in this retry loop."""
        if not inspect.iscoroutinefunction(fn):
            raise TypeError(f"{fn!r} is not a coroutine function: use Retrying or @retry")
        # Retrying.wraps's driver, awaiting the attempts and the waits; _retried_call decides.
        joined, quick, statistics, sleep = self._joined, self._quick, self.statistics, self.sleep
        decorated = fn
        if self.attempt_timeout is not None:
            fn = with_timeout(fn, self.attempt_timeout)
        start, begin = _retried_call.plain_start(self), _retried_call.beginner(self, fn)
        succeeded = self._succeeded

        @functools.wraps(decorated)
        async def retried(*args: Any, **kwargs: Any) -> Any:
            if not quick:
                call = begin(args, kwargs)
                try:
                    return await _retries(call, fn, args, kwargs, None, joined, sleep)
                finally:
                    call.cancel()
            statistics._last = None
            try:
                return succeeded(await (fn(*args, **kwargs) if kwargs else fn(*args)))  # counts it, in the core
            except Exception as exc:
                failure = exc
            if start is None or switch.attempts:  # testing.set_testing(attempts=) caps the call's policy
                call = begin(args, kwargs)
            else:
                statistics._last = call = start()
            return await _retries(call, fn, args, kwargs, call.raised(failure), joined, sleep)

        return _decorated(retried, self, decorated)

    @staticmethod
    def _sleep_on(clock: Clock) -> Callable[[float], Awaitable[Any]]:
        """The wait before a retry on ``clock``: its own sleep, awaited as the loop expects."""

        async def sleep(seconds: float) -> None:
            clock.sleep(seconds)

        return sleep

    async def __call__(self, fn: Callable[..., Awaitable[R]], /, *args: Any, **kwargs: Any) -> R:  # type: ignore[override]
        """Awaits ``fn(*args, **kwargs)`` with retries."""
        return await self.wraps(fn)(*args, **kwargs)

    def __iter__(self) -> NoReturn:
        raise TypeError("AsyncRetrying is iterated with 'async for'")

    async def __aiter__(self) -> AsyncIterator[AttemptManager]:
        """Yields one :class:`AttemptManager` per attempt, as :meth:`Retrying.__iter__`."""
        if self.attempt_timeout is not None:
            raise TypeError("attempt_timeout: an 'async for' loop cannot time its attempts; use asyncio.timeout()")
        call = _retried_call.RetriedCall(self, None, (), {}, None, None, False, False)
        try:
            for attempt in attempts(call):
                if isinstance(attempt, float):  # a limiter's wait for a send token
                    await (self.sleep or _event_loop_sleep)(attempt)
                    continue
                yield attempt
                if attempt._failure is not None:
                    await self._sleep(call.raised(attempt._failure))
        finally:
            call.cancel()  # a loop left early gives back its permit and ticket

    async def _sleep(self, seconds: float) -> None:
        """The wait before a retry: ``sleep`` if given, else the event loop's (none in testing mode)."""
        if self.sleep is not None:
            await self.sleep(seconds)
        elif switch.waiting:
            await _event_loop_sleep(seconds)
