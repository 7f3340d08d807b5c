"""AsyncRetrying: the retry loop for ``async def`` functions, on asyncio or trio.

The decisions are the same :class:`RetryCallState` steps as in :class:`Retrying`; only the sleeping
differs: ``asyncio.sleep`` inside an asyncio loop, ``trio.sleep`` inside a trio run. Task cancellation
is never retried: it propagates from the attempt or from the sleep at once.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import sys
from collections.abc import AsyncIterator, Awaitable, Iterator
from typing import Any, Callable, NoReturn, TypeVar

from .call_state import RetryCallState
from .retrying import AttemptManager, Retrying, _decorated
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

    Takes the same options; ``sleep``, if given, is an ``async`` function of float seconds.
    """

    __slots__ = ()

    def wraps(self, fn: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:  # type: ignore[override]
        """Returns the coroutine function ``fn`` wrapped in this retry loop."""
        if not inspect.iscoroutinefunction(fn):
            raise TypeError(f"{fn!r} is not a coroutine function: use Retrying or @retry")
        retry_call = self._retry_call_async
        retry_if_result = self.retry_if_result
        on_success = self.on_success
        statistics = self.statistics

        @functools.wraps(fn)
        async def wrapped(*args: Any, **kwargs: Any) -> R:
            try:
                result = await fn(*args, **kwargs)
            except Exception as exc:
                failure: Any = exc
                failed = True
            else:
                if retry_if_result is None or not retry_if_result(result):
                    statistics.attempt_number = 1
                    statistics.idle_for = 0.0
                    if on_success is not None:
                        RetryCallState(self, fn, args, kwargs)._succeeded(result)
                    return result
                failure = result
                failed = False
            return await retry_call(fn, args, kwargs, failure, failed)

        return _decorated(wrapped, self, fn)

    async def _retry_call_async(
        self, fn: Callable[..., Awaitable[R]], args: tuple[Any, ...], kwargs: dict[str, Any], outcome: Any, failed: bool
    ) -> R:
        state = RetryCallState(self, fn, args, kwargs)
        wait_after = state._wait_after
        sleep = self.sleep
        retry_if_result = self.retry_if_result
        while True:
            wait = wait_after(outcome, failed)
            if sleep is not None:
                await sleep(wait)
            elif switch.waiting:
                await _event_loop_sleep(wait)
            state.attempt_number += 1
            try:
                outcome = await fn(*args, **kwargs)
            except Exception as exc:
                outcome = exc
                failed = True
                continue
            if retry_if_result is not None and retry_if_result(outcome):
                failed = False
                continue
            state._succeeded(outcome)
            return outcome  # type: ignore[no-any-return]

    async def __call__(self, fn: Callable[..., Awaitable[R]], /, *args: Any, **kwargs: Any) -> R:  # type: ignore[override]
        """Awaits ``fn(*args, **kwargs)`` with retries."""
        return await self.wraps(fn)(*args, **kwargs)

    def __iter__(self) -> NoReturn:  # type: ignore[override]
        raise TypeError("AsyncRetrying is iterated with 'async for'")

    async def __aiter__(self) -> AsyncIterator[AttemptManager]:
        """Yields one :class:`AttemptManager` per attempt, as :meth:`Retrying.__iter__`."""
        state = RetryCallState(self, None, (), {})
        sleep = self.sleep
        while True:
            attempt = AttemptManager(state)
            yield attempt
            failure = attempt._failure
            if failure is None:
                state._succeeded(None)
                return
            attempt._failure = None
            wait = state._wait_after(failure, True)
            if sleep is not None:
                await sleep(wait)
            elif switch.waiting:
                await _event_loop_sleep(wait)
            state.attempt_number += 1
