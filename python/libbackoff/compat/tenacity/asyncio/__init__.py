"""``tenacity.asyncio``: :class:`AsyncRetrying`, for coroutines and ``async for`` loops; it sleeps with
``asyncio.sleep`` (or ``trio.sleep`` inside trio) and awaits ``async def`` strategies and hooks."""

from __future__ import annotations

import asyncio
import functools
import inspect
import sys
import time
from collections.abc import Callable
from typing import Any

from ..._drive import adrive
from .._retrying import (
    _ATTEMPT,
    BaseRetrying,
    DoSleep,
    WrappedFn,
    _decorated,
    restart_statistics,
)
from .._state import AttemptManager, Future, RetryCallState
from .retry import retry_all, retry_any, retry_if_exception, retry_if_result


async def _portable_async_sleep(seconds: float) -> None:
    """``trio.sleep`` when running under trio, else ``asyncio.sleep``."""
    trio = sys.modules.get("trio")
    if trio is not None:
        try:
            trio.lowlevel.current_task()
        except RuntimeError:
            pass
        else:
            await trio.sleep(seconds)
            return
    await asyncio.sleep(seconds)


async def _call_once(fn: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    """``fn``'s result, awaited if it is awaitable: the whole call when retrying is disabled."""
    result = fn(*args, **kwargs)
    return (await result) if inspect.isawaitable(result) else result


class AsyncRetrying(BaseRetrying):
    """Retries a coroutine function: ``await AsyncRetrying(...)(fn, *args)``, ``.wraps(fn)``, or
    ``async for attempt in AsyncRetrying(...): with attempt: ...``. One object serves one ``async for``
    loop at a time (the loop's state lives on it, as in tenacity)."""

    def __init__(self, sleep: Callable[[float], Any] = _portable_async_sleep, **kwargs: Any) -> None:
        super().__init__(sleep=sleep, **kwargs)

    async def __call__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self.enabled:
            return await _call_once(fn, args, kwargs)
        statistics = self.begin()
        return await self._run(fn, args, kwargs, statistics, RetryCallState(self, fn, args, kwargs))

    async def _next(self, retry_state: RetryCallState, statistics: dict[str, Any]) -> Future | None:
        """Decides, and sleeps, until the next attempt is due (None) or the call is over (its outcome)."""
        while True:
            action = await adrive(self._decide(retry_state, statistics))
            if action is _ATTEMPT:
                return None
            if not isinstance(action, DoSleep):
                return action  # type: ignore[return-value]
            retry_state.prepare_for_next_attempt()
            slept = self.sleep(action)
            if inspect.isawaitable(slept):  # a plain function may sleep too
                await slept

    async def _run(
        self, fn: Callable[..., Any], args: Any, kwargs: Any, statistics: dict[str, Any], retry_state: RetryCallState
    ) -> Any:
        while (outcome := await self._next(retry_state, statistics)) is None:
            try:
                result = fn(*args, **kwargs)
                if inspect.isawaitable(result):  # a plain function is allowed too (a sync fn, async sleep)
                    result = await result
            except BaseException:  # the retry strategy decides, as in tenacity
                retry_state.set_exception(sys.exc_info())  # type: ignore[arg-type]
            else:
                retry_state.set_result(result)
        return outcome.result()

    def __iter__(self) -> Any:
        raise TypeError("AsyncRetrying object is not iterable; use 'async for'")

    def __aiter__(self) -> AsyncRetrying:
        self._statistics = self.begin() if self.enabled else {}
        self._retry_state = RetryCallState(self, fn=None, args=(), kwargs={})
        return self

    async def __anext__(self) -> AttemptManager:
        if not self.enabled:  # one attempt; its exception propagates
            if self._retry_state.outcome is None:
                return AttemptManager(self._retry_state)
            self._retry_state.outcome.result()
            raise StopAsyncIteration
        outcome = await self._next(self._retry_state, self._statistics)
        if outcome is None:
            return AttemptManager(self._retry_state)
        outcome.result()  # raises a last exception that is not retried
        raise StopAsyncIteration

    def wraps(self, f: WrappedFn) -> WrappedFn:
        """``f`` retried by this object's strategies, as a coroutine function, with ``.retry``,
        ``.retry_with(**changes)`` and ``.statistics`` (the latest call's)."""
        awaits = inspect.iscoroutinefunction(f)

        @functools.wraps(f, functools.WRAPPER_ASSIGNMENTS + ("__defaults__", "__kwdefaults__"))
        async def async_wrapped(*args: Any, **kwargs: Any) -> Any:
            retrying: AsyncRetrying = async_wrapped.retry  # type: ignore[attr-defined]
            if not retrying.enabled:
                return await _call_once(f, args, kwargs)
            start = time.monotonic()
            statistics = retrying.share_statistics(restart_statistics(async_wrapped.statistics, start))  # type: ignore[attr-defined]
            retry_state = None
            if awaits and retrying._returns_at_once:  # as Retrying.wraps: a returning call needs no state
                try:
                    return await f(*args, **kwargs)
                except BaseException:
                    retry_state = RetryCallState(retrying, f, args, kwargs)
                    retry_state.start_time = start
                    retry_state.set_exception(sys.exc_info())  # type: ignore[arg-type]
            return await retrying._run(
                f, args, kwargs, statistics, retry_state or RetryCallState(retrying, f, args, kwargs)
            )

        return _decorated(async_wrapped, self, f)  # type: ignore[no-any-return]


__all__ = ["AsyncRetrying", "retry_all", "retry_any", "retry_if_exception", "retry_if_result"]
