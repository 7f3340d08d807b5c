"""Retrying: the configuration of a retry loop, and its drivers for plain functions.

``Retrying(**options)`` is immutable and thread-safe. Its drivers (the decorator's, in :meth:`wraps`, and
the ``for attempt`` loop's) only call and sleep: every decision is the call's (``_retried_call.py``),
which the ``async`` drivers in ``_asyncio.py`` share. The decorator's wrapper is a ``_core.Retried``
(bindings/bind_retried.cpp): a call that succeeds at once, and every step of the plain loop, run there
without a Python frame; a call that needs more goes on in :meth:`Retrying.wraps`'s ``resume``.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, cast

from . import _call_events, _logging, _params, _retried_call
from ._convert import Duration
from ._filters import ExceptionFilter, predicate
from ._filters import exception_filter as _exception_filter
from ._filters import optional_callable as _optional_callable
from ._retried import retried_function as _retried_function
from ._retrier_steps import retrier_steps
from ._waits_by_exception import split_wait
from .adaptive import AdaptiveLimiter
from .attempt_timeout import attempt_timeout
from .breaker import CircuitBreaker
from .budget import RetryBudget
from .call_state import RetryCallState, Statistics
from .clock import MONOTONIC, Clock, ClockOption, clock_of
from .error_class import ErrorClass
from .metrics import _registry
from .policy import Policy
from .stats import RetryStats
from .stop import Stop, default_stop
from .testing import switch

if TYPE_CHECKING:
    from typing_extensions import Unpack

R = TypeVar("R")

#: A hook: called with the call's :class:`RetryCallState`; its return value is ignored.
Hook = Callable[[RetryCallState], object]


class RetryOptions(TypedDict, total=False):
    """The keyword arguments of :class:`Retrying`, :class:`AsyncRetrying` and :func:`retry`."""

    wait: Policy | Mapping[type[Exception] | tuple[type[Exception], ...], Policy]
    stop: Stop
    max_attempts: int
    max_elapsed: Duration
    max_tries: int
    max_time: Duration
    deadline: Duration
    attempt_timeout: Duration
    retry: ExceptionFilter
    retry_if_result: Callable[[Any], bool]
    permanent: ExceptionFilter
    reraise: bool
    name: str | None
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
    log: bool | logging.Logger
    limiter: AdaptiveLimiter


class Retrying:
    """Retries a call with a :class:`Policy`: as a decorator (:meth:`wraps`), a runner
    (``Retrying(...)(fn, *args)``) or a loop (``for attempt in Retrying(...): with attempt: ...``).

    Keyword arguments (all optional):

    * ``wait``: the :class:`Policy` (default: the core's default policy); or a mapping from exception classes (or tuples) to policies, for a schedule per kind
      of failure (``{ConnectionError: exponential(0.1), TimeoutError: constant(5)}``): the first entry
      that matches a failure schedules it, by the failures of its kind so far; a retried result or an
      unmatched exception takes the core's default policy. The limits still count every attempt.
    * ``stop`` (``stop_after_attempt(n) | stop_after_delay(s)``, or ``&`` for both), ``max_attempts``, ``max_elapsed``
      and backoff's names ``max_tries``, ``max_time``: limits set on the policy. ``max_attempts``
      counts every attempt, the first included; ``max_elapsed`` counts from the first failure. Given
      none of these, nor a ``deadline``, and a ``wait`` policy without limits, the loop stops after the
      core's default of 5 attempts (no time limit); ``max_attempts=0`` retries without limit.
    * ``deadline``: a limit on the whole call from its start, the first attempt included (seconds or
      timedelta; 0 = none): no wait runs into it, and the call gives up as on exhaustion instead
      (``statistics.retry_outcome`` is then ``"deadline_exceeded"``).
    * ``attempt_timeout`` (``AsyncRetrying`` and ``@retry`` on an ``async def``): an attempt still
      running after this long is cancelled and fails with :class:`AttemptTimeout`, a ``TimeoutError``
      retried like any other failure and charged to a budget as a timeout.
    * ``retry``: which exceptions are retried: an ``Exception`` subclass, a tuple of them, or a
      predicate (default ``Exception``). ``KeyboardInterrupt``, ``SystemExit`` and task cancellation
      always propagate at once.
    * ``retry_if_result``: a predicate on the return value; true means "retry".
    * ``permanent``: exceptions that are never retried, even when ``retry`` matches them (same forms).
    * ``reraise``: on giving up, re-raise the last exception (default) or raise :class:`RetryError`.
    * ``name``: the label of this loop's numbers in :meth:`stats` and :mod:`libbackoff.metrics`
      (``@retry`` names it ``module.qualname`` of the function unless given; ``None``: unnamed, counted
      for :meth:`stats` only). Loops with the same name share their counters.
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
    * ``log``: each retry is logged at WARNING and a retry given up at ERROR to the ``libbackoff``
      logger (True, the default), to the :class:`logging.Logger` given, or not at all (False); see
      docs/python.md, "Logging". A call that succeeds logs nothing.
    * ``limiter``: an :class:`AdaptiveLimiter` (AWS adaptive retry mode) shared by the callers of one
      throttling scope. Before every attempt, the first included, the loop takes a send token from it,
      sleeping (``sleep``, else ``time.sleep``; testing mode does not skip it) until there is one; a
      fail-fast limiter raises :class:`RateLimitExceeded` instead. Every attempt's outcome is recorded:
      a throttle is a failure that ``budget_cost`` classifies as ``"throttling"`` (the one rule, shared
      with the budget; without ``budget_cost`` nothing is a throttle), anything else is not.

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
        "retry_if_result",
        "reraise",
        "name",
        "_stats",
        "_succeeded",
        "before_sleep",
        "on_giveup",
        "on_success",
        "retry_after",
        "sleep",
        "clock",
        "breaker",
        "budget",
        "budget_cost",
        "limiter",
        "_joined",
        "_plain",
        "_core_loop",
        "_quick",
        "_attached",
        "_steps",
        "statistics",
        "_options",
        "_log",
        "_deadline",
        "attempt_timeout",
        "_waits",
    )

    def __init__(self, **options: Unpack[RetryOptions]) -> None:
        self._configure(options)
        self._options = options
        self.statistics = Statistics()

    def _configure(self, options: RetryOptions) -> None:
        _params.refuse_unknown(options, RetryOptions.__optional_keys__, type(self).__name__)
        self._waits, wait = split_wait(options.get("wait"))
        if wait is None:
            wait = Policy()
        elif not isinstance(wait, Policy):
            raise TypeError(f"wait: expected a libbackoff Policy such as exponential() (got {wait!r})")
        stop = options.get("stop")
        if stop is not None and not isinstance(stop, Stop):
            raise TypeError(f"stop: expected stop_after_attempt() or stop_after_delay() (got {stop!r})")
        limits = {
            "max_attempts": _one_of(options, "max_attempts", "max_tries", ("stop", stop and stop.max_attempts)),
            "max_elapsed": _one_of(options, "max_elapsed", "max_time", ("stop", stop and stop.max_elapsed)),
            "deadline": options.get("deadline"),
            "stop_when": stop and stop.stop_when,
        }
        given = {name: value for name, value in limits.items() if value is not None}
        self.policy = wait.replace(**given) if given else default_stop(wait)
        self._policy = self.policy._policy
        self._retry_classes, self._retry_predicate = _exception_filter(options.get("retry", Exception), "retry")
        permanent = options.get("permanent")
        self._permanent_classes, self._permanent_predicate = _exception_filter(permanent, "permanent")
        retry_if_result = options.get("retry_if_result")
        self.retry_if_result = (
            None if retry_if_result is None else predicate(retry_if_result, "retry_if_result", "the result")
        )
        self.reraise = bool(options.get("reraise", True))
        self.name = _registry.check_name(options.get("name"))
        self._stats = _registry.retry_stats(self.name)
        # succeeded(result) records a call that succeeded at once, where no core Retrier exists, and
        # returns result (bind_observe.cpp).
        self._succeeded = _registry.success_counter(self._stats)
        self.before_sleep = _optional_callable(_one_of(options, "before_sleep", "on_backoff"), "before_sleep")
        self.on_giveup = _optional_callable(options.get("on_giveup"), "on_giveup")
        self.on_success = _optional_callable(options.get("on_success"), "on_success")
        self.retry_after = _optional_callable(options.get("retry_after"), "retry_after")
        self.sleep = _optional_callable(options.get("sleep"), "sleep")
        clock = options.get("clock")
        self.clock = clock_of(clock)
        if self.sleep is None and self.clock is not MONOTONIC and isinstance(clock, Clock):
            self.sleep = self._sleep_on(self.clock)  # a Clock given whole: its sleep waits (a fake moves on)
        self._steps = retrier_steps(self.clock, self._policy)
        breaker, budget = options.get("breaker"), options.get("budget")
        self.breaker, self.budget = _breaker_and_budget(breaker, budget)
        self.limiter = limiter = options.get("limiter")
        if limiter is not None and not isinstance(limiter, AdaptiveLimiter):
            raise TypeError(f"limiter: expected a libbackoff AdaptiveLimiter (got {limiter!r})")
        self._joined = breaker is not None or budget is not None or limiter is not None
        self.budget_cost = _optional_callable(options.get("budget_cost"), "budget_cost")
        self._log = _logging.logger_option(options.get("log", True))
        if self.budget_cost is not None and budget is None and limiter is None:
            raise TypeError("budget_cost: classifies failures for a budget or a limiter; pass budget= or limiter= too")
        # What the decorator's driver needs to know (_retried_call.py): a call that succeeds at once is
        # over without a step; a plain call's steps are the core Retrier's own, in C++.
        # A deadline counts from the call's start: the call begins before its first attempt.
        self._deadline = self.policy.deadline != 0
        self.attempt_timeout = attempt_timeout(options.get("attempt_timeout"), self._cancels_attempts)
        self._quick = (
            not self._joined and self.retry_if_result is None and self.on_success is None and not self._deadline
        )
        # The loop the sync driver runs all in C++ (bindings/bind_retried.cpp), log lines included; the
        # plain loop, which the async driver steps through, is that loop without them.
        self._core_loop = (
            self._quick
            and self.clock is MONOTONIC
            and self._retry_predicate is None
            and permanent is None
            and self.retry_after is None
            and self.before_sleep is None
            and self.on_giveup is None
            and self.reraise
            and _call_events.observer is None  # libbackoff.tracing traces the objects made after instrument()
            and self._waits is None
        )
        self._plain = self._core_loop and self._log is None
        # The core objects the Retrier of each call attaches, looked up once here.
        self._attached = (
            None if breaker is None else breaker._breaker,
            None if budget is None else budget._budget,
            None if limiter is None else limiter._limiter,
        )

    #: Whether an attempt can be cancelled at ``attempt_timeout``: only an ``async`` one can.
    _cancels_attempts = False

    def copy(self, **changes: Unpack[RetryOptions]) -> Retrying:
        """A new retrying object with the same options except ``changes`` (tenacity's ``copy``)."""
        return type(self)(**cast("RetryOptions", {**self._options, **changes}))

    def wraps(self, fn: Callable[..., R]) -> Callable[..., R]:
        """Returns ``fn`` wrapped in this retry loop, with ``.retry``, ``.statistics`` and
        ``.retry_with(**changes)`` attributes (use :func:`retry` to get the typed form)."""
        if inspect.iscoroutinefunction(fn):
            raise TypeError(f"{fn!r} is a coroutine function: use AsyncRetrying or @retry")
        # The wrapper is a _core.Retried (bindings/bind_retried.cpp): it calls fn, and drives a call that
        # succeeds at once and the plain loop itself; the rest of a call it hands to resume, which drives
        # it here. _retried_call decides either way.
        joined, sleep, begin = self._joined, self.sleep, _retried_call.beginner(self, fn)

        def resume(failure: Exception | None, /, *args: Any, **kwargs: Any) -> Any:
            """The call from its start (``failure`` None), or after its first attempt raised ``failure``."""
            call = begin(args, kwargs)
            if failure is not None:
                return _retries(call, fn, args, kwargs, call.raised(failure), joined, sleep)
            try:
                return _retries(call, fn, args, kwargs, None, joined, sleep)
            finally:
                call.cancel()  # after an end a no-op; else gives back the permit and the ticket

        return cast("Callable[..., R]", _retried_function(self, fn, resume))

    def stats(self) -> RetryStats:
        """Lifetime counts of every call through this loop (and every loop with its name), from the core."""
        return RetryStats._of(self.name, self._stats.snapshot())

    @staticmethod
    def _sleep_on(clock: Clock) -> Callable[[float], Any]:
        """The wait before a retry on ``clock``: its own sleep."""
        return clock.sleep

    def _pause(self, seconds: float) -> None:
        """The wait before a retry: ``sleep`` if given, else time.sleep (none in testing mode)."""
        if self.sleep is not None:
            self.sleep(seconds)
        elif switch.waiting:
            time.sleep(seconds)  # releases the GIL; a KeyboardInterrupt ends it at once

    def __call__(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> R:
        """Calls ``fn(*args, **kwargs)`` with retries."""
        return self.wraps(fn)(*args, **kwargs)

    def __iter__(self) -> Iterator[AttemptManager]:
        """Yields one :class:`AttemptManager` per attempt; ``with attempt:`` runs it. The loop ends
        after a successful attempt and raises when the policy gives up."""
        call = _retried_call.RetriedCall(self, None, (), {}, None, None, False, False)
        try:
            for attempt in attempts(call):
                if isinstance(attempt, float):  # a limiter's wait for a send token
                    (self.sleep or time.sleep)(attempt)
                    continue
                yield attempt
                if attempt._failure is not None:
                    self._pause(call.raised(attempt._failure))
        finally:
            call.cancel()  # a loop left early gives back its permit and ticket

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


def attempts(call: _retried_call.RetriedCall) -> Iterator[AttemptManager | float]:
    """The attempts of a ``for attempt`` loop (sync or async) until one succeeds: the loop decides
    after each failed one (``call.raised``) and waits before the next. A float between them is a
    limiter's wait for a send token, for the loop to sleep."""
    if call.retrying._deadline:
        call.started_now()
    if call.retrying._joined:
        call.join()
    while True:
        if call.retrying._joined:
            while pause := call.admit():
                yield pause
        attempt = AttemptManager(call)
        yield attempt
        if attempt._failure is None:
            call.succeeded(None)
            return


def _retries(
    call: _retried_call.Call,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    wait: float | None,
    joined: bool,
    sleep: Callable[[float], Any] | None,
) -> Any:
    """Waits ``wait`` (None: not at all), calls again, and so on until ``call`` decides. The waiting is
    written out here, not a method: a call per attempt would cost ~50 ns (bench/python/bench_retry.py)."""
    while True:
        if wait is not None:
            if sleep is not None:
                sleep(wait)
            elif switch.waiting:
                time.sleep(wait)  # releases the GIL; a KeyboardInterrupt ends it at once
        if joined:
            while pause := call.admit():  # type: ignore[union-attr]
                (sleep or time.sleep)(pause)  # a limiter's wait for a send token, even in testing mode
        try:
            outcome = fn(*args, **kwargs) if kwargs else fn(*args)
        except Exception as exc:
            wait = call.raised(exc)
        else:
            if (wait := call.returned(outcome)) is None:
                return outcome


def _breaker_and_budget(breaker: Any, budget: Any) -> tuple[Any, Any]:
    """Checks the ``breaker`` and ``budget`` options."""
    if breaker is not None and not isinstance(breaker, CircuitBreaker):
        raise TypeError(f"breaker: expected a libbackoff CircuitBreaker (got {breaker!r})")
    if budget is not None and not isinstance(budget, RetryBudget):
        raise TypeError(f"budget: expected a libbackoff RetryBudget (got {budget!r})")
    return breaker, budget


def _one_of(options: RetryOptions, *names: str | tuple[str, Any]) -> Any:
    """The one value given among aliases (an option's name, or a (source, value) pair); TypeError naming
    both when two are given."""
    pairs = [name if isinstance(name, tuple) else (name, options.get(name)) for name in names]
    given = [(name, value) for name, value in pairs if value is not None]
    if len(given) > 1:
        raise TypeError(f"{given[0][0]} and {given[1][0]} both set the same limit; give one of them")
    return given[0][1] if given else None
