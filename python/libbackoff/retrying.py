"""Retrying: the configuration of a retry loop, and the loop itself for plain functions.

``Retrying(**options)`` is immutable and thread-safe. A call through it that succeeds at once costs
a ``try`` and one attribute store; the first failure creates the core ``Retrier`` that decides the
rest, and each failed attempt then costs one call into it. The decorator's loop (in :meth:`wraps`)
and its ``await`` twin in ``_asyncio.py`` are written out flat for that reason; the ``for attempt``
loops share :meth:`Retrying._after_failure`, which takes the same steps.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, cast

from . import _core, _guarded, server_hints
from ._convert import Duration
from ._filters import ExceptionFilter, predicate
from ._filters import exception_filter as _exception_filter
from ._filters import optional_callable as _optional_callable
from ._retried import decorated as _decorated
from ._retrier_steps import retrier_steps
from .breaker import CircuitBreaker
from .budget import RetryBudget
from .call_state import RetryCallState, RetryError, Statistics
from .clock import MONOTONIC, Clock, ClockOption, clock_of
from .error_class import ErrorClass
from .policy import Policy
from .stop import Stop
from .testing import switch

ORDINARY = ErrorClass.ORDINARY

if TYPE_CHECKING:
    from typing_extensions import Unpack

R = TypeVar("R")

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
    retry_after: Callable[[Exception], Duration | None]
    sleep: Callable[[float], Any]
    clock: ClockOption
    breaker: CircuitBreaker
    budget: RetryBudget
    budget_cost: Callable[[Exception], ErrorClass | str | None]


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
    * ``clock``: a :class:`Clock` (``libbackoff.testing.FakeClock()`` in tests) or a function returning
      float seconds, in place of the monotonic clock; a :class:`Clock` also waits with its own sleep
      unless ``sleep`` is given (a fake clock's waits move it on). ``sleep``: a function of float
      seconds in place of ``time.sleep``.
    * ``breaker``: a :class:`CircuitBreaker` that every attempt, the first included, must pass: a
      refused attempt raises :class:`CircuitOpenError` (``remaining``: its cooldown), chained from the
      last exception. Retried failures count as the breaker's failures, permanent ones as ignored; the
      breaker's own ``failure``/``exclude`` filters are not consulted.
    * ``budget``: a :class:`RetryBudget` that every retry draws on: a refused retry raises
      :class:`RetryBudgetExhausted` chained from the last exception; the tokens are held while the
      retry waits and settled when it succeeds. Give the breaker and budget the same clock as this.
    * ``budget_cost``: with ``budget``, classifies a retried exception as an :class:`ErrorClass`
      (``"timeout"``, ``"throttling"``, or ``"ordinary"``/None), so that the budget charges its
      ``timeout_cost`` or ``throttling_cost`` (``lambda exc: "timeout" if isinstance(exc, TimeoutError)
      else None``). A retried result is ordinary.

    Raises:
        TypeError: an unknown keyword, a conflicting pair (``max_attempts`` and ``max_tries``) or a
            value of the wrong type; ValueError: a value the core rejects. Messages name the option.
    """

    __slots__ = (
        "policy",
        "_policy",
        "_retry_classes",
        "_retry_predicate",
        "_permanent_classes",
        "_permanent_predicate",
        "_plain_retry_classes",
        "retry_if_result",
        "reraise",
        "before_sleep",
        "on_giveup",
        "on_success",
        "retry_after",
        "sleep",
        "clock",
        "breaker",
        "budget",
        "budget_cost",
        "_guarded",
        "_attached",
        "_steps",
        "statistics",
        "_options",
    )

    def __init__(self, **options: Unpack[RetryOptions]) -> None:
        self._configure(**options)
        self._options = options
        self.statistics = Statistics()

    def _configure(
        self,
        *,
        wait: Policy | None = None,
        stop: Stop | None = None,
        max_attempts: int | None = None,
        max_elapsed: Duration | None = None,
        max_tries: int | None = None,
        max_time: Duration | None = None,
        retry: ExceptionFilter = Exception,
        retry_if_result: Callable[[Any], bool] | None = None,
        permanent: ExceptionFilter | None = None,
        reraise: bool = True,
        before_sleep: Hook | None = None,
        on_backoff: Hook | None = None,
        on_giveup: Hook | None = None,
        on_success: Hook | None = None,
        retry_after: Callable[[Exception], Duration | None] | None = None,
        sleep: Callable[[float], Any] | None = None,
        clock: ClockOption | None = None,
        breaker: CircuitBreaker | None = None,
        budget: RetryBudget | None = None,
        budget_cost: Callable[[Exception], ErrorClass | str | None] | None = None,
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
        self._retry_classes, self._retry_predicate = _exception_filter(retry, "retry")
        self._permanent_classes, self._permanent_predicate = _exception_filter(permanent, "permanent")
        # The common case, classes only: the loops test it with one isinstance.
        plain = self._retry_predicate is None and permanent is None
        self._plain_retry_classes = self._retry_classes if plain else None
        self.retry_if_result = (
            None if retry_if_result is None else predicate(retry_if_result, "retry_if_result", "the result")
        )
        self.reraise = bool(reraise)
        self.before_sleep = _optional_callable(
            _one_of(("before_sleep", before_sleep), ("on_backoff", on_backoff)), "before_sleep"
        )
        self.on_giveup = _optional_callable(on_giveup, "on_giveup")
        self.on_success = _optional_callable(on_success, "on_success")
        self.retry_after = _optional_callable(retry_after, "retry_after")
        self.sleep = _optional_callable(sleep, "sleep")
        self.clock = clock_of(clock)
        if self.sleep is None and self.clock is not MONOTONIC and isinstance(clock, Clock):
            self.sleep = self._sleep_on(self.clock)  # a Clock given whole: its sleep waits (a fake moves on)
        self._steps = retrier_steps(self.clock, self._policy)
        self.breaker, self.budget = _breaker_and_budget(breaker, budget)
        self._guarded = breaker is not None or budget is not None
        self.budget_cost = _optional_callable(budget_cost, "budget_cost")
        if budget_cost is not None and budget is None:
            raise TypeError("budget_cost: classifies failures for a budget; pass budget= too")
        # The core objects the Retrier of each call attaches, looked up once here.
        self._attached = (
            None if breaker is None else breaker._breaker,
            None if budget is None else budget._budget,
        )

    def copy(self, **changes: Unpack[RetryOptions]) -> Retrying:
        """A new retrying object with the same options except ``changes`` (tenacity's ``copy``)."""
        return type(self)(**cast("RetryOptions", {**self._options, **changes}))

    def wraps(self, fn: Callable[..., R]) -> Callable[..., R]:
        """Returns ``fn`` wrapped in this retry loop, with ``.retry``, ``.statistics`` and
        ``.retry_with(**changes)`` attributes (use :func:`retry` to get the typed form)."""
        if inspect.iscoroutinefunction(fn):
            raise TypeError(f"{fn!r} is a coroutine function: use AsyncRetrying or @retry")
        # Everything the loop reads, bound once here. The loop is written out flat inside the wrapper:
        # a helper function would add a call per attempt and a frame to every re-raised traceback,
        # which together cost more than the whole loop (bench/python/bench_retry.py). Without keyword
        # arguments the call is fn(*args): CPython then skips building a dict per call (~40 ns each).
        statistics, retry_if_result, on_success = self.statistics, self.retry_if_result, self.on_success
        plain_classes, retry_after, before_sleep = self._plain_retry_classes, self.retry_after, self.before_sleep
        sleep, reraise_at_once = self.sleep, self.reraise and self.on_giveup is None
        start_retrier, on_failure = self._steps.start, self._steps.on_failure
        if self._guarded:

            @functools.wraps(fn)
            def guarded(*args: Any, **kwargs: Any) -> Any:
                return _guarded.call(self, fn, args, kwargs)

            return _decorated(guarded, self, fn)

        @functools.wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            outcome: Any
            try:
                outcome = fn(*args, **kwargs) if kwargs else fn(*args)
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
                    sleep(wait)
                elif switch.waiting:
                    time.sleep(wait)  # releases the GIL; a KeyboardInterrupt ends it at once
                try:
                    outcome = fn(*args, **kwargs) if kwargs else fn(*args)
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
    def _sleep_on(clock: Clock) -> Callable[[float], Any]:
        """The wait before a retry on ``clock``: its own sleep."""
        return clock.sleep

    def _start(self) -> _core.Retrier:
        """Creates the core Retrier at a call's first failure and makes it the latest statistics."""
        retrier = self._steps.start()
        self.statistics._last = retrier
        return retrier

    def _decide(self, retrier: _core.Retrier, hint_ns: int) -> float | None:
        """The core's decision for one failed attempt: seconds to wait, or None to stop."""
        return self._steps.on_failure(retrier, hint_ns)

    def _retryable(self, exc: Exception) -> bool:
        """Whether the filters ``retry`` and ``permanent`` let ``exc`` be retried."""
        if isinstance(exc, self._permanent_classes):
            return False
        if self._permanent_predicate is not None and self._permanent_predicate(exc):
            return False
        if self._retry_predicate is not None:
            return bool(self._retry_predicate(exc))
        return isinstance(exc, self._retry_classes)

    def _after_failure(self, state: RetryCallState, outcome: Any, raised: bool) -> float:
        """One failed attempt (``outcome`` raised, or returned a result to retry) of a ``for attempt``
        loop or a loop with a breaker or budget: the seconds to wait, or raises to give up."""
        state._outcome, state._raised, state.failed = outcome, raised, True
        if state._retrier is None:
            state._retrier = self._start()
        hint_ns, error_class = 0, ORDINARY
        if raised:
            if not self._retryable(outcome):
                self._steps.on_permanent_failure(state._retrier)
                raise self._give_up(state, True)
            hint = getattr(outcome, "retry_after", None) if self.retry_after is None else self.retry_after(outcome)
            hint_ns = 0 if hint is None else server_hints.hint_ns(hint)
            if self.budget_cost is not None:
                error_class = self.budget_cost(outcome) or ORDINARY
        if self._guarded:
            wait = _guarded.decide(self, state, hint_ns, error_class)
        else:
            wait = self._decide(state._retrier, hint_ns)
        if wait is None:
            raise self._give_up(state, False)
        state.upcoming_sleep = wait
        if self.before_sleep is not None:
            self.before_sleep(state)
        return wait

    def _succeeded(self, state: RetryCallState) -> None:
        """The successful end of a ``for attempt`` loop."""
        if state._retrier is None:
            self.statistics._last = None
        else:
            self._steps.on_success(state._retrier)
        if self.on_success is not None:
            self.on_success(state)

    def _give_up(self, state: RetryCallState, permanent: bool) -> BaseException:
        """Calls ``on_giveup`` and returns what to raise: the last exception, or RetryError."""
        if self.on_giveup is not None:
            self.on_giveup(state)
        exception = state.exception()
        if exception is not None and (permanent or self.reraise):
            return exception
        error = RetryError(state)
        error.__cause__ = exception
        return error

    def __call__(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> R:
        """Calls ``fn(*args, **kwargs)`` with retries."""
        return self.wraps(fn)(*args, **kwargs)

    def __iter__(self) -> Iterator[AttemptManager]:
        """Yields one :class:`AttemptManager` per attempt; ``with attempt:`` runs it. The loop ends
        after a successful attempt and raises when the policy gives up."""
        state = RetryCallState(self, None, (), {}, _guarded.start(self) if self._guarded else None, None, False, False)
        try:
            yield from self._attempts(state)
        finally:
            if state._retrier is not None:
                state._retrier.cancel()  # a loop left early gives back its permit and ticket

    def _attempts(self, state: RetryCallState) -> Iterator[AttemptManager]:
        while True:
            if self._guarded:
                _guarded.admit(self, state)
            attempt = AttemptManager(state)
            yield attempt
            if attempt._failure is None:
                self._succeeded(state)
                return
            wait = self._after_failure(state, attempt._failure, True)
            if self.sleep is not None:
                self.sleep(wait)
            elif switch.waiting:
                time.sleep(wait)
            state._outcome, state._raised, state.failed = None, False, False  # the next attempt is running

    def __repr__(self) -> str:
        return f"{type(self).__name__}(policy={self.policy!r})"


class AttemptManager:
    """One attempt of a ``for attempt in Retrying(): with attempt: ...`` loop. ``with attempt:``
    catches an ``Exception`` so that the loop can retry; anything else propagates."""

    __slots__ = ("retry_state", "_failure")

    def __init__(self, retry_state: RetryCallState) -> None:
        self.retry_state = retry_state
        self._failure: Exception | None = None

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        if isinstance(exc, Exception):
            self._failure = exc
            return True
        return None


def _breaker_and_budget(breaker: Any, budget: Any) -> tuple[Any, Any]:
    """Checks the ``breaker`` and ``budget`` options."""
    if breaker is not None and not isinstance(breaker, CircuitBreaker):
        raise TypeError(f"breaker: expected a libbackoff CircuitBreaker (got {breaker!r})")
    if budget is not None and not isinstance(budget, RetryBudget):
        raise TypeError(f"budget: expected a libbackoff RetryBudget (got {budget!r})")
    return breaker, budget


def _one_of(*named: tuple[str, Any]) -> Any:
    """The one value given among aliases; TypeError naming both when two are given."""
    given = [(name, value) for name, value in named if value is not None]
    if len(given) > 1:
        raise TypeError(f"{given[0][0]} and {given[1][0]} both set the same limit; give one of them")
    return given[0][1] if given else None
