"""AsyncRetrying: the retry loop for ``async def`` functions, on asyncio or trio.

The decisions are the same as :class:`Retrying`'s, taken by the same core ``Retrier``; only the
sleeping differs: ``asyncio.sleep`` inside an asyncio loop, ``trio.sleep`` inside a trio run. Task
cancellation is never retried: it propagates from the attempt or from the sleep at once.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, NoReturn, TypeVar

from . import _guarded, server_hints
from ._retried import decorated as _decorated
from .call_state import RetryCallState
from .clock import Clock
from .retrying import AttemptManager, Retrying
from .testing import switch

R = TypeVar("R")


async def _event_loop_sleep(seconds: float) -> None:
    """Sleeps in whichever event loop runs this task: asyncio's, else trio's."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        trio = sys.modules.get("trio")
        if trio is None:
            raise RuntimeError("AsyncRetrying: no running asyncio loop or trio run to sleep in") from None
        await trio.sleep(seconds)
    else:
        await asyncio.sleep(seconds)


class AsyncRetrying(Retrying):
    """:class:`Retrying` for coroutines: ``@retry`` on an ``async def``, ``await
    AsyncRetrying(...)(fn, *args)``, or ``async for attempt in AsyncRetrying(...): with attempt:``.

    Takes the same options; ``sleep``, if given, is an ``async`` function of float seconds. Hooks are
    plain functions, called without awaiting.
    """

    __slots__ = ()

    def wraps(self, fn: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:  # type: ignore[override]
        """Returns the coroutine function ``fn`` wrapped in this retry loop."""
        if not inspect.iscoroutinefunction(fn):
            raise TypeError(f"{fn!r} is not a coroutine function: use Retrying or @retry")
        # Retrying.wraps, step for step, with await.
        statistics, retry_if_result, on_success = self.statistics, self.retry_if_result, self.on_success
        plain_classes, retry_after, before_sleep = self._plain_retry_classes, self.retry_after, self.before_sleep
        sleep, reraise_at_once = self.sleep, self.reraise and self.on_giveup is None
        start_retrier, on_failure = self._steps.start, self._steps.on_failure
        if self._guarded:

            @functools.wraps(fn)
            async def guarded(*args: Any, **kwargs: Any) -> Any:
                return await _guarded.call_async(self, fn, args, kwargs, self._sleep)

            return _decorated(guarded, self, fn)

        @functools.wraps(fn)
        async def wrapped(*args: Any, **kwargs: Any) -> Any:
            outcome: Any
            try:
                outcome = await (fn(*args, **kwargs) if kwargs else fn(*args))
            except Exception as exc:
                outcome = exc
                raised = True
            else:
                if retry_if_result is None or not retry_if_result(outcome):
                    statistics._last = None
                    if on_success is not None:
                        on_success(RetryCallState(self, fn, args, kwargs, None, outcome, False, False))
                    return outcome
                raised = False
            # The first failure starts the core's clock and counts (Retrying._start, inlined).
            retrier = start_retrier()
            statistics._last = retrier
            while True:
                hint_ns = 0
                if raised:
                    if not (
                        isinstance(outcome, plain_classes) if plain_classes is not None else self._retryable(outcome)
                    ):
                        retrier.on_permanent_failure()
                        raise self._give_up(RetryCallState(self, fn, args, kwargs, retrier, outcome, True, True), True)
                    hint = getattr(outcome, "retry_after", None) if retry_after is None else retry_after(outcome)
                    if hint is not None:
                        hint_ns = server_hints.hint_ns(hint)
                wait = on_failure(retrier, hint_ns)
                if wait is None:
                    if raised and reraise_at_once:
                        raise outcome
                    raise self._give_up(RetryCallState(self, fn, args, kwargs, retrier, outcome, raised, True), False)
                if before_sleep is not None:
                    before_sleep(RetryCallState(self, fn, args, kwargs, retrier, outcome, raised, True, wait))
                if sleep is not None:
                    await sleep(wait)
                elif switch.waiting:
                    await _event_loop_sleep(wait)
                try:
                    outcome = await (fn(*args, **kwargs) if kwargs else fn(*args))
                except Exception as exc:
                    outcome = exc
                    raised = True
                    continue
                if retry_if_result is not None and retry_if_result(outcome):
                    raised = False
                    continue
                retrier.on_success()
                if on_success is not None:
                    on_success(RetryCallState(self, fn, args, kwargs, retrier, outcome, False, False))
                return outcome

        return _decorated(wrapped, self, fn)

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
        state = RetryCallState(self, None, (), {}, _guarded.start(self) if self._guarded else None, None, False, False)
        try:
            while True:
                if self._guarded:
                    _guarded.admit(self, state)
                attempt = AttemptManager(state)
                yield attempt
                if attempt._failure is None:
                    self._succeeded(state)
                    return
                await self._sleep(self._after_failure(state, attempt._failure, True))
                state._outcome, state._raised, state.failed = None, False, False  # the next attempt is running
        finally:
            if state._retrier is not None:
                state._retrier.cancel()  # a loop left early gives back its permit and ticket

    async def _sleep(self, seconds: float) -> None:
        """The wait before a retry: ``sleep`` if given, else the event loop's (none in testing mode)."""
        if self.sleep is not None:
            await self.sleep(seconds)
        elif switch.waiting:
            await _event_loop_sleep(seconds)
