"""tenacity's retry loop: :class:`BaseRetrying` holds the strategies, :meth:`BaseRetrying._decide` makes
the decisions after each outcome in tenacity's order, and :class:`Retrying` runs them with ``time.sleep``.

``_decide`` is one generator for the sync and the async loop: it yields every strategy's and hook's
return value to its driver, which sends it back as it is (:func:`drive`) or awaited (the async driver),
so tenacity.asyncio's ``async def`` strategies and hooks need no second copy of the loop.
"""

from __future__ import annotations

import functools
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any, TypeVar

from .._drive import drive
from ._state import AttemptManager, Future, RetryAction, RetryCallState, RetryError, TryAgain
from .after import after_nothing
from .before import before_nothing
from .nap import sleep as nap_sleep
from .retry import RetryBaseT, retry_if_exception_type
from .stop import StopBaseT, stop_never
from .wait import WaitBaseT, wait_none

WrappedFn = TypeVar("WrappedFn", bound=Callable[..., Any])


class DoAttempt:
    """The loop's next step: call the function."""


class DoSleep(float):
    """The loop's next step: sleep this many seconds, then call the function again."""


#: A decision: attempt, sleep, or the final outcome (a :class:`Future`, returned or raised by the driver).
Action = DoAttempt | DoSleep | Future
#: The decision generator: yields strategy results, receives them back (awaited if need be).
Decision = Generator[Any, Any, Action]

_ATTEMPT = DoAttempt()
#: The keywords of BaseRetrying.__init__, which copy() and retry_with() change.
_OPTIONS = (
    "sleep",
    "stop",
    "wait",
    "retry",
    "before",
    "after",
    "before_sleep",
    "reraise",
    "retry_error_cls",
    "retry_error_callback",
    "name",
    "enabled",
)
_RETRY_ON_EXCEPTIONS = retry_if_exception_type()
_NO_WAIT = wait_none()
#: The attributes whose values decide whether a returning call can skip the retry state altogether.
_FAST_PATH_INPUTS = frozenset(("before", "retry"))


def new_statistics(start_time: float) -> dict[str, Any]:
    """tenacity's statistics at the start of a call (9.2's: delay_since_first_attempt is there from the
    start)."""
    return {"start_time": start_time, "attempt_number": 1, "idle_for": 0.0, "delay_since_first_attempt": 0}


def restart_statistics(statistics: dict[str, Any], start_time: float) -> dict[str, Any]:
    """Resets a decorated function's statistics dict in place for a new call: the dict is never rebound,
    so an outer ``functools.wraps`` decorator that copied ``statistics`` keeps seeing the latest call's."""
    statistics.clear()
    # Item by item: no intermediate dict on the success path of a decorated call.
    statistics["start_time"] = start_time
    statistics["attempt_number"] = 1
    statistics["idle_for"] = 0.0
    statistics["delay_since_first_attempt"] = 0
    return statistics


class BaseRetrying:
    """The strategies of a retried call, shared by :class:`Retrying` and ``AsyncRetrying``.

    Holds configuration only: every call gets its own :class:`RetryCallState` and statistics, so one
    object serves concurrent calls (tenacity copies the object per call for the same effect).
    """

    _returns_at_once: bool

    def __init__(
        self,
        sleep: Callable[[float], Any] = nap_sleep,
        stop: StopBaseT = stop_never,
        wait: WaitBaseT = _NO_WAIT,
        retry: RetryBaseT = _RETRY_ON_EXCEPTIONS,
        before: Callable[[RetryCallState], Any] = before_nothing,
        after: Callable[[RetryCallState], Any] = after_nothing,
        before_sleep: Callable[[RetryCallState], Any] | None = None,
        reraise: bool = False,
        retry_error_cls: type[RetryError] = RetryError,
        retry_error_callback: Callable[[RetryCallState], Any] | None = None,
        name: str | None = None,
        enabled: bool = True,
    ) -> None:
        self.sleep = sleep
        self.stop = stop
        # None and 0 (what sum() of no strategies gives) mean no wait; any other value is called, even a
        # falsy callable.
        self.wait = _NO_WAIT if wait is None or (isinstance(wait, int | float) and wait == 0) else wait
        self.retry = retry
        self.before = before
        self.after = after
        self.before_sleep = before_sleep
        self.reraise = reraise
        self._local = threading.local()
        self.retry_error_cls = retry_error_cls
        self.retry_error_callback = retry_error_callback
        #: tenacity 9.2's ``name=``: what logging hooks print for a ``for attempt in ...`` loop.
        self.name = name
        #: tenacity 9.2's ``enabled=``: False calls the function once, with no retry, hook or statistics.
        self.enabled = enabled

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name in _FAST_PATH_INPUTS:  # also when a test patches fn.retry.retry or fn.retry.before
            attributes = self.__dict__
            fast = attributes.get("before") is before_nothing and getattr(
                attributes.get("retry"), "_ignores_values", False
            )
            object.__setattr__(self, "_returns_at_once", fast)

    def copy(self, **changes: Any) -> BaseRetrying:
        """A new object with the given strategies changed (tenacity's keywords of ``__init__``) and the
        others kept."""
        unknown = changes.keys() - _OPTIONS
        if unknown:
            raise TypeError(f"copy() got an unexpected keyword argument {sorted(unknown)[0]!r}")
        return type(self)(**{name: changes.get(name, getattr(self, name)) for name in _OPTIONS})

    def __str__(self) -> str:
        return "<unknown>" if self.name is None else self.name

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} object at {id(self):#x} (stop={self.stop}, wait={self.wait}, "
            f"sleep={self.sleep}, retry={self.retry}, before={self.before}, after={self.after}, "
            f"name={self.name!r})>"
        )

    def __getstate__(self) -> dict[str, Any]:
        # The thread-local statistics do not pickle (and belong to this process's threads).
        return {key: value for key, value in self.__dict__.items() if key != "_local"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            setattr(self, key, value)
        self._local = threading.local()

    @property
    def statistics(self) -> dict[str, Any]:
        """The statistics of this thread's latest call through this object (not through a decorated
        function: read ``fn.statistics`` for those): start_time, attempt_number, idle_for and, once a
        stop strategy ran, delay_since_first_attempt."""
        try:
            return self._local.statistics  # type: ignore[no-any-return]
        except AttributeError:
            self._local.statistics = {}
            return self._local.statistics  # type: ignore[no-any-return]

    def begin(self) -> dict[str, Any]:
        """Starts a call through this object: resets this thread's statistics."""
        statistics = self.statistics
        statistics.clear()
        statistics.update(new_statistics(time.monotonic()))
        return statistics

    def share_statistics(self, statistics: dict[str, Any]) -> dict[str, Any]:
        """Makes a decorated function's statistics this object's in this thread (tenacity 9.2:
        ``fn.retry.statistics`` is ``fn.statistics`` during and after a call)."""
        self._local.statistics = statistics
        return statistics

    def retry_with(self, **changes: Any) -> BaseRetrying:
        return self.copy(**changes)

    def wraps(self, f: WrappedFn) -> WrappedFn:
        raise NotImplementedError

    def _decide(self, retry_state: RetryCallState, statistics: dict[str, Any]) -> Decision:
        """What follows the latest outcome (or the start of the call), in tenacity's order: before ->
        attempt; retry? -> after -> wait -> stop? -> (callback | RetryError) or before_sleep -> sleep."""
        outcome = retry_state.outcome
        if outcome is None:
            if self.before is not None:
                yield self.before(retry_state)
            return _ATTEMPT
        # An explicit TryAgain retries without asking the retry strategy.
        if not (outcome.failed and isinstance(outcome.exception(), TryAgain)) and not (yield self.retry(retry_state)):
            return outcome
        if self.after is not None:
            yield self.after(retry_state)
        sleep = yield self.wait(retry_state)
        retry_state.upcoming_sleep = sleep
        statistics["delay_since_first_attempt"] = retry_state.seconds_since_start
        if (yield self.stop(retry_state)):
            if self.retry_error_callback is not None:
                return Future.construct(outcome.attempt_number, (yield self.retry_error_callback(retry_state)), False)
            error = self.retry_error_cls(outcome)
            if self.reraise:
                error.reraise()
            raise error from outcome.exception()
        retry_state.next_action = RetryAction(sleep)
        retry_state.idle_for += sleep
        statistics["idle_for"] += sleep
        statistics["attempt_number"] += 1
        if self.before_sleep is not None:
            yield self.before_sleep(retry_state)
        return DoSleep(sleep)


class Retrying(BaseRetrying):
    """Retries a function: ``Retrying(...)(fn, *args)``, ``Retrying(...).wraps(fn)`` or
    ``for attempt in Retrying(...): with attempt: ...``."""

    def __call__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self.enabled:
            return fn(*args, **kwargs)
        statistics = self.begin()
        return self._run(fn, args, kwargs, statistics, RetryCallState(self, fn, args, kwargs))

    def _next(self, retry_state: RetryCallState, statistics: dict[str, Any]) -> Future | None:
        """Decides, and sleeps, until the next attempt is due (None) or the call is over (its outcome)."""
        while True:
            action = drive(self._decide(retry_state, statistics))
            if action is _ATTEMPT:
                return None
            if not isinstance(action, DoSleep):
                return action  # type: ignore[return-value]
            retry_state.prepare_for_next_attempt()
            self.sleep(action)

    def _run(
        self, fn: Callable[..., Any], args: Any, kwargs: Any, statistics: dict[str, Any], retry_state: RetryCallState
    ) -> Any:
        while (outcome := self._next(retry_state, statistics)) is None:
            try:
                result = fn(*args, **kwargs)
            except BaseException:  # the retry strategy decides, as in tenacity
                retry_state.set_exception(sys.exc_info())  # type: ignore[arg-type]
            else:
                retry_state.set_result(result)
        return outcome.result()

    def __iter__(self) -> Iterator[AttemptManager]:
        if not self.enabled:  # one attempt; its exception propagates
            retry_state = RetryCallState(self, fn=None, args=(), kwargs={})
            yield AttemptManager(retry_state)
            if retry_state.outcome is not None:
                retry_state.outcome.result()
            return
        statistics = self.begin()
        retry_state = RetryCallState(self, fn=None, args=(), kwargs={})
        while (outcome := self._next(retry_state, statistics)) is None:
            yield AttemptManager(retry_state)
        outcome.result()  # raises a last exception that is not retried

    def wraps(self, f: WrappedFn) -> WrappedFn:
        """``f`` retried by this object's strategies, with ``.retry`` (this object, patchable),
        ``.retry_with(**changes)`` and ``.statistics`` (the latest call's)."""

        @functools.wraps(f, functools.WRAPPER_ASSIGNMENTS + ("__defaults__", "__kwdefaults__"))
        def wrapped_f(*args: Any, **kwargs: Any) -> Any:
            retrying: Retrying = wrapped_f.retry  # type: ignore[attr-defined]
            if not retrying.enabled:
                return f(*args, **kwargs)
            start = time.monotonic()
            statistics = retrying.share_statistics(restart_statistics(wrapped_f.statistics, start))  # type: ignore[attr-defined]
            retry_state = None
            if retrying._returns_at_once:
                # Nothing runs before the first attempt and no returned value is retried: a call that
                # returns needs no retry state at all.
                try:
                    return f(*args, **kwargs)
                except BaseException:
                    retry_state = RetryCallState(retrying, f, args, kwargs)
                    retry_state.start_time = start
                    retry_state.set_exception(sys.exc_info())  # type: ignore[arg-type]
            return retrying._run(f, args, kwargs, statistics, retry_state or RetryCallState(retrying, f, args, kwargs))

        return _decorated(wrapped_f, self, f)  # type: ignore[no-any-return]


def _decorated(wrapped: Any, retrying: BaseRetrying, f: Callable[..., Any]) -> Any:
    """Gives a decorated function tenacity's attributes."""
    wrapped.retry = retrying
    wrapped.retry_with = lambda **changes: retrying.copy(**changes).wraps(f)
    wrapped.statistics = {}
    return wrapped
