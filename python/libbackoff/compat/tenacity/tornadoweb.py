"""``tenacity.tornadoweb``: :class:`TornadoRetrying`, for Tornado's ``@gen.coroutine`` functions.

The decisions are :meth:`BaseRetrying._decide`'s, driven as in :class:`Retrying` (Tornado's strategies
and hooks are plain functions); only the attempt and the sleep are yielded to Tornado's IOLoop.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Generator
from typing import Any

from tornado import gen

from .._drive import drive
from ._retrying import _ATTEMPT, BaseRetrying, DoSleep, WrappedFn, _decorated, restart_statistics
from ._state import RetryCallState


class TornadoRetrying(BaseRetrying):
    """Retries a Tornado coroutine function: ``yield TornadoRetrying(...)(fn, *args)`` or
    ``.wraps(fn)``; it sleeps with ``tornado.gen.sleep`` (a future the IOLoop resolves)."""

    def __init__(self, sleep: Callable[[float], Any] = gen.sleep, **kwargs: Any) -> None:
        super().__init__(sleep=sleep, **kwargs)

    def __call__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A future of ``fn``'s retried result (of its first call's, with ``enabled=False``)."""
        if not self.enabled:
            return fn(*args, **kwargs)
        return self._run(fn, args, kwargs, self.begin())

    @gen.coroutine
    def _run(
        self, fn: Callable[..., Any], args: Any, kwargs: Any, statistics: dict[str, Any]
    ) -> Generator[Any, Any, Any]:
        retry_state = RetryCallState(self, fn, args, kwargs)
        while True:
            action = drive(self._decide(retry_state, statistics))
            if action is _ATTEMPT:
                try:
                    result = yield fn(*args, **kwargs)
                except BaseException:  # the retry strategy decides, as in tenacity
                    retry_state.set_exception(sys.exc_info())  # type: ignore[arg-type]
                else:
                    retry_state.set_result(result)
            elif isinstance(action, DoSleep):
                retry_state.prepare_for_next_attempt()
                yield self.sleep(action)
            else:
                return action.result()  # type: ignore[union-attr]

    def wraps(self, f: WrappedFn) -> WrappedFn:
        """``f`` retried by this object's strategies, with ``.retry``, ``.retry_with(**changes)`` and
        ``.statistics``; still a Tornado coroutine function (``functools.wraps`` copies its marker)."""

        @functools.wraps(f, functools.WRAPPER_ASSIGNMENTS + ("__defaults__", "__kwdefaults__"))
        def wrapped_f(*args: Any, **kwargs: Any) -> Any:
            retrying: TornadoRetrying = wrapped_f.retry  # type: ignore[attr-defined]
            if not retrying.enabled:
                return f(*args, **kwargs)
            statistics = retrying.share_statistics(restart_statistics(wrapped_f.statistics, time.monotonic()))  # type: ignore[attr-defined]
            return retrying._run(f, args, kwargs, statistics)

        return _decorated(wrapped_f, self, f)  # type: ignore[no-any-return]


__all__ = ["TornadoRetrying"]
