"""The decisions of one retried call, for every driver: the sync and ``async`` decorators and the
``for attempt`` loops, with or without a breaker and a budget.

Sans-IO: a driver makes the attempts, awaits and sleeps; it tells the call how each attempt ended and
is told what comes next::

    call = begin(args, kwargs)   # at the first failure, or before the first attempt (see plain_start, beginner)
    wait = call.raised(exc)      # seconds to wait before the next attempt; raises what ends the call
    wait = call.returned(value)  # None: the call is over, return value; a float: the value is retried
    pause = call.admit()         # joined, before every attempt: a limiter's wait, or raises CircuitOpenError
    call.cancel()                # joined, when the driver leaves early: gives back the permit and ticket

Two kinds of call answer to this. The plain loop's (exception classes, the exceptions' own
``retry_after``, no hooks, the monotonic clock; the common case and the benchmarked one) is the core
``Retrier`` itself, whose ``raised`` takes the whole step in one call into C++ (bindings/bind_retrier.cpp);
the sync decorator's wrapper runs that whole loop in C++, log lines included (:func:`core_loop`).
Every other is a :class:`RetriedCall`, which takes the same steps here around the core's decisions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Union

from . import _call_events, _core, _logging, server_hints
from .attempt_timeout import AttemptTimeout
from .call_state import CallTrace, RetryCallState, RetryError, RetryingObject
from .error_class import ErrorClass, error_class_of
from .testing import capped_steps, switch

if TYPE_CHECKING:
    from ._waits_by_exception import WaitsByException

_RETRY = int(_core.RetryOutcome.retry)
_EXHAUSTED = int(_core.RetryOutcome.exhausted)
_CIRCUIT_OPEN = int(_core.RetryOutcome.circuit_open)
_DEADLINE_EXCEEDED = int(_core.RetryOutcome.deadline_exceeded)


#: A call as the decorators drive it: the plain loop's core Retrier, or a RetriedCall.
Call = Union[_core.Retrier, "RetriedCall"]


def plain_start(retrying: RetryingObject) -> Callable[[], _core.Retrier] | None:
    """What begins a call of the plain loop at its first failure, a core Retrier (the driver makes it the
    latest statistics); None when ``retrying`` needs more than the plain loop. A partial of the type, not
    a function: a Python frame here would cost ~70 ns of every failing call (bench/python/bench_retry.py)."""
    if not retrying._plain:
        return None
    return functools.partial(
        _core.Retrier, retrying._policy, None, retrying._retry_classes, server_hints.hint_ns, retrying._stats
    )


def core_loop(retrying: RetryingObject, fn: Callable[..., Any]) -> dict[str, Any]:
    """The keyword arguments of the ``_core.Retried`` wrapping ``fn`` that make it run the plain loop, log
    lines included, in C++ (bindings/bind_retried.cpp); none when ``retrying`` needs more than that loop."""
    if not retrying._core_loop:
        return {}
    log = retrying._log
    return {
        "policy": retrying._policy,
        "retryable": retrying._retry_classes,
        "hint_ns": server_hints.hint_ns,
        "sleep": retrying.sleep,
        "testing": switch,
        "log_retry": None if log is None else functools.partial(_logging.call_retried, log, fn),
        "log_give_up": None if log is None else functools.partial(_logging.call_gave_up, log, fn),
        # A logged loop's calls are traced once libbackoff.tracing is instrumented, as RetriedCall's are.
        "traced": None if log is None else _call_events,
    }


def beginner(retrying: RetryingObject, fn: Callable[..., Any] | None) -> Callable[[tuple[Any, ...], dict[str, Any]], Call]:
    """What begins a call of ``fn`` through ``retrying`` that needs more than the plain loop, with the
    call's arguments: at its first failure, or for a joined call before its first attempt."""

    def begin(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Call:
        call = RetriedCall(retrying, fn, args, kwargs, None, None, False, False)
        if retrying._deadline:
            call.started_now()
        if retrying._joined:
            call.join()
        return call

    return begin


class RetriedCall(RetryCallState):
    """The steps of a call that the plain loop does not cover: predicates, hooks, ``retry_if_result``,
    an injected clock, a breaker and a budget. It is the :class:`RetryCallState` the hooks see."""

    __slots__ = ("_started_ns", "_last_failure", "_failures_by_kind")  # _failures_by_kind: with per-exception waits, set at the first failure

    def started_now(self) -> None:
        """Before the first attempt of a call with a deadline: the deadline counts from now. Read only
        then, so that a call without one reads no clock before it fails."""
        self._started_ns = self.retrying.clock.now_ns()
        self._last_failure: tuple[Any, bool] | None = None

    def _past_deadline(self) -> BaseException:
        """The deadline came before the next attempt: what giving up raises, from the last failure."""
        if self._last_failure is not None:
            (self._outcome, self._raised), self.failed = self._last_failure, True
        return self._give_up(False)

    def join(self) -> None:
        """Before the first attempt of a call with a breaker or a budget: the Retrier, attached to them."""
        self._start()
        assert self._retrier is not None
        self._retrier.attach(*self.retrying._attached)

    def admit(self) -> float:
        """Before an attempt of a joined call: 0.0 when it may go ahead, else the seconds an adaptive
        limiter asks to wait before asking again; raises CircuitOpenError if the breaker refuses it and
        RateLimitExceeded if a fail-fast limiter does (the budget never refuses here)."""
        assert self._retrier is not None
        outcome, delay_ns = self.retrying._steps.before_attempt(self._retrier)
        if outcome == _DEADLINE_EXCEEDED:
            raise self._past_deadline()
        if outcome != _RETRY:
            raise self._refusal(outcome, delay_ns, None)
        return delay_ns / 1e9

    def raised(self, exc: Exception) -> float:
        """The attempt raised ``exc``: the seconds to wait, or raises what ends the call."""
        return self._failed(exc, True)

    def returned(self, value: Any) -> float | None:
        """The attempt returned ``value``: None when that ends the call, else the seconds to wait."""
        retry_if_result = self.retrying.retry_if_result
        if retry_if_result is not None and retry_if_result(value):
            return self._failed(value, False)
        self.succeeded(value)
        return None

    def succeeded(self, value: Any) -> None:
        """The call ends with ``value``: settles the permit and the ticket, calls ``on_success``."""
        retrying = self.retrying
        self._outcome, self._raised, self.failed = value, False, False
        if self._retrier is None:
            retrying.statistics._last = None
            retrying._succeeded(None)  # no core Retrier saw this call
        else:
            retrying._steps.on_success(self._retrier)
        if retrying.on_success is not None:
            retrying.on_success(self.snapshot())
        if self._trace is not None:
            self._trace.succeeded(self)

    def cancel(self) -> None:
        """The driver leaves before the call ended (an interrupt, a loop left early): a no-op after an end."""
        if self._retrier is not None:
            self._retrier.cancel()
        if self._trace is not None:
            self._trace.cancelled()

    def snapshot(self) -> RetryCallState:
        """The state as it is now, for a hook: this object goes on to the next attempt."""
        return RetryCallState(
            self.retrying,
            self.fn,
            self.args,
            self.kwargs,
            self._retrier,
            self._outcome,
            self._raised,
            self.failed,
            self.upcoming_sleep,
        )

    def _start(self) -> None:
        """Creates the core Retrier and makes it the latest statistics."""
        retrying = self.retrying
        self._retrier = capped_steps(retrying._steps, retrying.policy, retrying.clock).start()
        if retrying._deadline:
            self._retrier.set_call_start(self._started_ns)
        self.retrying.statistics._last = self._retrier
        self._retrier.attach_stats(self.retrying._stats)

    def _failed(self, outcome: Any, raised: bool) -> float:
        retrying = self.retrying
        self._outcome, self._raised, self.failed = outcome, raised, True
        if self._retrier is None:
            self._start()
        retrier = self._retrier
        assert retrier is not None
        hint_ns, error_class = 0, ErrorClass.ORDINARY
        if raised:
            if not retryable(retrying, outcome):
                retrying._steps.on_permanent_failure(retrier)
                raise self._give_up(True)
            hint = (
                getattr(outcome, "retry_after", None) if retrying.retry_after is None else retrying.retry_after(outcome)
            )
            hint_ns = 0 if hint is None else server_hints.hint_ns(hint)
            if retrying.budget_cost is not None:
                error_class = retrying.budget_cost(outcome) or ErrorClass.ORDINARY
            elif isinstance(outcome, AttemptTimeout):
                error_class = ErrorClass.TIMEOUT
        if retrying._waits is not None:
            hint_ns = self._wait_by_kind(retrying._waits, outcome, raised, hint_ns)
        if retrying._joined:
            wait = self._decide_joined(hint_ns, error_class)
        else:
            wait = retrying._steps.on_failure(retrier, hint_ns)
        if wait is None:
            raise self._give_up(False)
        self.upcoming_sleep = wait
        if retrying._log is not None:
            _logging.call_retried(retrying._log, self.fn, self.attempt_number, wait, outcome, raised)
        if _call_events.observer is not None or self._trace is not None:
            self._traced().retry(self, wait)
        if retrying.before_sleep is not None:
            retrying.before_sleep(self.snapshot())
        if retrying._deadline:  # kept for giving up should the deadline pass before the next attempt
            self._last_failure = (outcome, raised)
        self._outcome, self._raised, self.failed = None, False, False  # the next attempt is the latest now
        return wait

    def _wait_by_kind(self, waits: WaitsByException, outcome: Any, raised: bool, hint_ns: int) -> int:
        """The hint for the call's Retrier with per-exception waits: the matching entry's delay, or a
        server's hint when that is longer; gives up when the entry's policy allows no more."""
        counts = getattr(self, "_failures_by_kind", None)
        if counts is None:
            counts = self._failures_by_kind = waits.new_counts()
        delay_ns = waits.delay_ns(counts, outcome, raised, lambda: self.elapsed)
        if delay_ns is None:
            assert self._retrier is not None
            self.retrying._steps.on_permanent_failure(self._retrier)  # the Retrier records the last failure
            raise self._give_up(False)
        return max(hint_ns, delay_ns)  # a server's Retry-After stays a lower bound, as without a mapping

    def _decide_joined(self, hint_ns: int, error_class: ErrorClass | str) -> float | None:
        """The policy's, the breaker's and the budget's decision: seconds to wait, None when the policy
        gives up; raises when the breaker or the budget refuses the retry."""
        assert self._retrier is not None
        kind, core_class = error_class_of(error_class, "budget_cost")
        outcome, delay_ns = self.retrying._steps.decide_retry(self._retrier, hint_ns, core_class)
        if outcome == _RETRY:
            return delay_ns / 1e9
        if outcome in (_EXHAUSTED, _DEADLINE_EXCEEDED):
            return None
        raise self._refusal(outcome, delay_ns, kind)

    def _refusal(self, outcome: int, delay_ns: int, kind: ErrorClass | None) -> BaseException:
        """Calls ``on_giveup`` and returns the breaker's, the budget's or (before an attempt, ``kind``
        None) the limiter's refusal, chained from the operation's last exception (if any): it is the
        client's own limit, not the operation's error."""
        retrying = self.retrying
        if self.failed:
            self._report_give_up("breaker" if outcome == _CIRCUIT_OPEN else "budget")
        if retrying.on_giveup is not None and self.failed:
            retrying.on_giveup(self.snapshot())
        if outcome == _CIRCUIT_OPEN:
            assert retrying.breaker is not None
            error: BaseException = retrying.breaker._refused(delay_ns)
        elif kind is None:
            assert retrying.limiter is not None
            error = retrying.limiter._refused(delay_ns)
        else:
            assert retrying.budget is not None
            error = retrying.budget._exhausted(kind)
        error.__cause__ = self.exception()
        return error

    def _give_up(self, permanent: bool) -> BaseException:
        """Calls ``on_giveup`` and returns what to raise: the last exception, or RetryError."""
        retrying = self.retrying
        if not permanent or self.attempt_number > 1:  # a first attempt's permanent error was never retried
            self._report_give_up("permanent" if permanent else self._stopped_by())
        if retrying.on_giveup is not None:
            retrying.on_giveup(self.snapshot())
        exception = self.exception()
        if exception is not None and (permanent or retrying.reraise):
            return exception
        error = RetryError(self)
        error.__cause__ = exception
        return error

    def _stopped_by(self) -> str:
        """Which limit ended a call that was not refused: its deadline, or the policy's own limits."""
        retrier = self._retrier
        return "policy" if retrier is None else _logging.stopped_by(retrier.outcome())

    def _report_give_up(self, give_up: str) -> None:
        """Logs and traces that the latest failure is not retried."""
        log = self.retrying._log
        if log is not None:
            _logging.call_gave_up(log, self.fn, self.attempt_number, self._outcome, self._raised, give_up)
        if _call_events.observer is not None or self._trace is not None:
            self._traced().gave_up(self, give_up)

    def _traced(self) -> CallTrace:
        """The call's trace, begun now if it has none (tracing was on at its first failure, or is now)."""
        if self._trace is None:
            assert _call_events.observer is not None
            self._trace = _call_events.observer.call(self)
        return self._trace


def retryable(retrying: RetryingObject, exc: Exception) -> bool:
    """Whether the filters ``retry`` and ``permanent`` let ``exc`` be retried."""
    if isinstance(exc, retrying._permanent_classes):
        return False
    if retrying._permanent_predicate is not None and retrying._permanent_predicate(exc):
        return False
    if retrying._retry_predicate is not None:
        return bool(retrying._retry_predicate(exc))
    return isinstance(exc, retrying._retry_classes)
