"""Retrying: the configuration of a retry loop, and the loop itself for plain functions.

``Retrying(**options)`` is immutable and thread-safe; each call it drives gets its own
:class:`RetryCallState`, created only at the first failure. The success path adds one ``try`` and two
attribute stores to the call; each failed attempt makes one call into the core.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, Optional, TypedDict, TypeVar, Union

from ._convert import Duration
from .backoff_state import Clock
from .call_state import RetryCallState, Statistics
from .policy import Policy
from .stop import Stop
from .testing import switch

if TYPE_CHECKING:
    from typing_extensions import Unpack

R = TypeVar("R")

#: Which exceptions: an ``Exception`` subclass, a tuple of them, or a predicate on the exception.
ExceptionFilter = Union[type[Exception], tuple[type[Exception], ...], Callable[[Exception], bool]]
#: A hook: called with the call's :class:`RetryCallState`; its return value is ignored.
Hook = Callable[[RetryCallState], object]


class RetryOptions(TypedDict, total=False):
    """The keyword arguments of :class:`Retrying`, :class:`AsyncRetrying` and :func:`retry`."""

    wait: Policy
    stop: Stop
    max_attempts: int
    max_elapsed: Duration
    max_tries: int
    max_time: Duration
    retry: ExceptionFilter
    retry_if_result: Callable[[Any], bool]
    permanent: ExceptionFilter
    reraise: bool
    before_sleep: Hook
    on_backoff: Hook
    on_giveup: Hook
    on_success: Hook
    retry_after: Callable[[Exception], Optional[Duration]]
    sleep: Callable[[float], Any]
    clock: Clock


class Retrying:
    """Retries a call with a :class:`Policy`: as a decorator (:meth:`wraps`), a runner
    (``Retrying(...)(fn, *args)``) or a loop (``for attempt in Retrying(...): with attempt: ...``).

    Keyword arguments (all optional):

    * ``wait``: the :class:`Policy` (default: the core's default policy, which never stops by itself:
      set a limit).
    * ``stop`` (``stop_after_attempt(n) | stop_after_delay(s)``), ``max_attempts``, ``max_elapsed``
      and backoff's names ``max_tries``, ``max_time``: limits set on the policy. ``max_attempts``
      counts every attempt, the first included; ``max_elapsed`` counts from the first failure.
    * ``retry``: which exceptions are retried: an ``Exception`` subclass, a tuple of them, or a
      predicate (default ``Exception``). ``KeyboardInterrupt``, ``SystemExit`` and task cancellation
      always propagate at once.
    * ``retry_if_result``: a predicate on the return value; true means "retry".
    * ``permanent``: exceptions that are never retried, even when ``retry`` matches them (same forms).
    * ``reraise``: on giving up, re-raise the last exception (default) or raise :class:`RetryError`.
    * ``before_sleep`` (backoff's ``on_backoff``), ``on_giveup``, ``on_success``: hooks called with
      the :class:`RetryCallState`.
    * ``retry_after``: returns a server's "retry after" hint (seconds or timedelta) for an exception;
      by default an exception's ``retry_after`` attribute. The wait is at least the hint and at most
      the policy's cap.
    * ``sleep``, ``clock``: replace ``time.sleep`` and the monotonic clock (float seconds), for tests.

    Raises:
        TypeError: an unknown keyword, a conflicting pair (``max_attempts`` and ``max_tries``) or a
            value of the wrong type; ValueError: a value the core rejects. Messages name the option.
    """

    __slots__ = (
        "policy",
        "_policy",
        "_retry_on",
        "_retry_if",
        "_permanent_on",
        "_permanent_if",
        "retry_if_result",
        "reraise",
        "before_sleep",
        "on_giveup",
        "on_success",
        "retry_after",
        "sleep",
        "clock",
        "statistics",
        "_options",
    )

    def __init__(self, **options: Unpack[RetryOptions]) -> None:
        self._options = options
        self._configure(**options)
        self.statistics = Statistics()

    def _configure(
        self,
        *,
        wait: Optional[Policy] = None,
        stop: Optional[Stop] = None,
        max_attempts: Optional[int] = None,
        max_elapsed: Optional[Duration] = None,
        max_tries: Optional[int] = None,
        max_time: Optional[Duration] = None,
        retry: ExceptionFilter = Exception,
        retry_if_result: Optional[Callable[[Any], bool]] = None,
        permanent: Optional[ExceptionFilter] = None,
        reraise: bool = True,
        before_sleep: Optional[Hook] = None,
        on_backoff: Optional[Hook] = None,
        on_giveup: Optional[Hook] = None,
        on_success: Optional[Hook] = None,
        retry_after: Optional[Callable[[Exception], Optional[Duration]]] = None,
        sleep: Optional[Callable[[float], Any]] = None,
        clock: Optional[Clock] = None,
    ) -> None:
        if wait is None:
            wait = Policy()
        elif not isinstance(wait, Policy):
            raise TypeError(f"wait: expected a libbackoff Policy such as exponential() (got {wait!r})")
        if stop is not None and not isinstance(stop, Stop):
            raise TypeError(f"stop: expected stop_after_attempt() or stop_after_delay() (got {stop!r})")
        limits = {
            "max_attempts": _one_of(
                ("max_attempts", max_attempts), ("max_tries", max_tries), ("stop", stop and stop.max_attempts)
            ),
            "max_elapsed": _one_of(
                ("max_elapsed", max_elapsed), ("max_time", max_time), ("stop", stop and stop.max_elapsed)
            ),
        }
        self.policy = wait.replace(**{name: value for name, value in limits.items() if value is not None})
        self._policy = self.policy._policy
        self._retry_on, self._retry_if = _exception_filter(retry, "retry")
        self._permanent_on, self._permanent_if = _exception_filter(permanent, "permanent")
        self.retry_if_result = _optional_callable(retry_if_result, "retry_if_result")
        self.reraise = bool(reraise)
        self.before_sleep = _optional_callable(_one_of(("before_sleep", before_sleep), ("on_backoff", on_backoff)), "before_sleep")
        self.on_giveup = _optional_callable(on_giveup, "on_giveup")
        self.on_success = _optional_callable(on_success, "on_success")
        self.retry_after = _optional_callable(retry_after, "retry_after")
        self.sleep = _optional_callable(sleep, "sleep")
        self.clock = _optional_callable(clock, "clock")

    def copy(self, **changes: Unpack[RetryOptions]) -> Retrying:
        """A new retrying object with the same options except ``changes`` (tenacity's ``copy``)."""
        return type(self)(**{**self._options, **changes})

    def _retryable(self, exc: Exception) -> bool:
        if isinstance(exc, self._permanent_on) or (self._permanent_if is not None and self._permanent_if(exc)):
            return False
        return isinstance(exc, self._retry_on) if self._retry_if is None else bool(self._retry_if(exc))

    def wraps(self, fn: Callable[..., R]) -> Callable[..., R]:
        """Returns ``fn`` wrapped in this retry loop, with ``.retry``, ``.statistics`` and
        ``.retry_with(**changes)`` attributes (use :func:`retry` to get the typed form)."""
        if inspect.iscoroutinefunction(fn):
            raise TypeError(f"{fn!r} is a coroutine function: use AsyncRetrying or @retry")
        retry_call = self._retry_call
        retry_if_result = self.retry_if_result
        on_success = self.on_success
        statistics = self.statistics

        @functools.wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> R:
            try:
                result = fn(*args, **kwargs)
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
            return retry_call(fn, args, kwargs, failure, failed)

        return _decorated(wrapped, self, fn)

    def _retry_call(self, fn: Callable[..., R], args: tuple[Any, ...], kwargs: dict[str, Any], outcome: Any, failed: bool) -> R:
        state = RetryCallState(self, fn, args, kwargs)
        wait_after = state._wait_after
        sleep = self.sleep
        retry_if_result = self.retry_if_result
        while True:
            wait = wait_after(outcome, failed)
            if sleep is not None:
                sleep(wait)
            elif switch.waiting:
                time.sleep(wait)  # releases the GIL; a KeyboardInterrupt ends it at once
            state.attempt_number += 1
            try:
                outcome = fn(*args, **kwargs)
            except Exception as exc:
                outcome = exc
                failed = True
                continue
            if retry_if_result is not None and retry_if_result(outcome):
                failed = False
                continue
            state._succeeded(outcome)
            return outcome  # type: ignore[no-any-return]

    def __call__(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> R:
        """Calls ``fn(*args, **kwargs)`` with retries."""
        return self.wraps(fn)(*args, **kwargs)

    def __iter__(self) -> Iterator[AttemptManager]:
        """Yields one :class:`AttemptManager` per attempt; ``with attempt:`` runs it. The loop ends
        after a successful attempt and raises when the policy gives up."""
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
                sleep(wait)
            elif switch.waiting:
                time.sleep(wait)
            state.attempt_number += 1

    def __repr__(self) -> str:
        return f"{type(self).__name__}(policy={self.policy!r})"


class AttemptManager:
    """One attempt of a ``for attempt in Retrying(): with attempt: ...`` loop. ``with attempt:``
    catches an ``Exception`` so that the loop can retry; anything else propagates."""

    __slots__ = ("retry_state", "_failure")

    def __init__(self, retry_state: RetryCallState) -> None:
        self.retry_state = retry_state
        self._failure: Optional[Exception] = None

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> Optional[bool]:
        if isinstance(exc, Exception):
            self._failure = exc
            return True
        return None


def _decorated(wrapped: Callable[..., R], retrying: Retrying, fn: Callable[..., R]) -> Callable[..., R]:
    """Adds tenacity's attributes to a wrapper."""
    wrapped.retry = retrying  # type: ignore[attr-defined]
    wrapped.statistics = retrying.statistics  # type: ignore[attr-defined]
    wrapped.retry_with = lambda **changes: retrying.copy(**changes).wraps(fn)  # type: ignore[attr-defined]
    return wrapped


def _one_of(*named: tuple[str, Any]) -> Any:
    """The one value given among aliases; TypeError naming both when two are given."""
    given = [(name, value) for name, value in named if value is not None]
    if len(given) > 1:
        raise TypeError(f"{given[0][0]} and {given[1][0]} both set the same limit; give one of them")
    return given[0][1] if given else None


def _exception_filter(value: Optional[ExceptionFilter], param: str) -> tuple[tuple[type[Exception], ...], Optional[Callable[[Exception], bool]]]:
    """Splits an exception filter into (classes for isinstance, predicate)."""
    if value is None:
        return (), None
    classes = value if isinstance(value, tuple) else (value,)
    if all(isinstance(cls, type) and issubclass(cls, BaseException) for cls in classes):
        for cls in classes:
            if not issubclass(cls, Exception):  # type: ignore[arg-type]
                raise TypeError(
                    f"{param}: {cls.__name__} is not an Exception subclass; KeyboardInterrupt, SystemExit"  # type: ignore[union-attr]
                    " and task cancellation always propagate at once"
                )
        return classes, None  # type: ignore[return-value]
    if callable(value) and not isinstance(value, tuple):
        return (), value
    raise TypeError(f"{param}: expected an Exception subclass, a tuple of them or a predicate (got {value!r})")


def _optional_callable(value: Any, param: str) -> Any:
    if value is not None and not callable(value):
        raise TypeError(f"{param}: expected a callable (got {value!r})")
    return value
