"""The decisions of one retried call, for every driver: the sync and ``async`` decorators and the
``for attempt`` loops, with or without a breaker and a budget.

Sans-IO: a driver makes the attempts, awaits and sleeps; it tells the call how each attempt ended and
is told what comes next::

    call = begin(args, kwargs)   # at the first failure, or before the first attempt (see plain_start, beginner)
    wait = call.raised(exc)      # seconds to wait before the next attempt; raises what ends the call
    wait = call.returned(value)  # None: the call is over, return value; a float: the value is retried
    call.admit()                 # joined, before every attempt: raises CircuitOpenError
    call.cancel()                # joined, when the driver leaves early: gives back the permit and ticket

Two kinds of call answer to this. The plain loop's (exception classes, the exceptions' own
``retry_after``, no hooks, the monotonic clock; the common case and the benchmarked one) is the core
``Retrier`` itself, whose ``raised`` takes the whole step in one call into C++ (bindings/bind_retrier.cpp).
Every other is a :class:`RetriedCall`, which takes the same steps here around the core's decisions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Union

from . import _core, server_hints
from .call_state import RetryCallState, RetryError
from .error_class import ErrorClass, error_class_of

if TYPE_CHECKING:
    from .retrying import Retrying

_RETRY = int(_core.RetryOutcome.retry)
_EXHAUSTED = int(_core.RetryOutcome.exhausted)
_CIRCUIT_OPEN = int(_core.RetryOutcome.circuit_open)


#: A call as the decorators drive it: the plain loop's core Retrier, or a RetriedCall.
Call = Union[_core.Retrier, "RetriedCall"]


def plain_start(retrying: Retrying) -> Callable[[], _core.Retrier] | None:
    """What begins a call of the plain loop at its first failure, a core Retrier (the driver makes it the
    latest statistics); None when ``retrying`` needs more than the plain loop. A partial of the type, not
    a function: a Python frame here would cost ~70 ns of every failing call (bench/python/bench_retry.py)."""
    if not retrying._plain:
        return None
    return functools.partial(
        _core.Retrier, retrying._policy, None, retrying._retry_classes, server_hints.hint_ns, retrying._stats
    )


def beginner(retrying: Retrying, fn: Callable[..., Any] | None) -> Callable[[tuple[Any, ...], dict[str, Any]], Call]:
    """What begins a call of ``fn`` through ``retrying`` that needs more than the plain loop, with the
    call's arguments: at its first failure, or for a joined call before its first attempt."""

    def begin(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Call:
        call = RetriedCall(retrying, fn, args, kwargs, None, None, False, False)
        if retrying._joined:
            call.join()
        return call

    return begin


class RetriedCall(RetryCallState):
    """The steps of a call that the plain loop does not cover: predicates, hooks, ``retry_if_result``,
    an injected clock, a breaker and a budget. It is the :class:`RetryCallState` the hooks see."""

    __slots__ = ()

    def join(self) -> None:
        """Before the first attempt of a call with a breaker or a budget: the Retrier, attached to them."""
        self._start()
        assert self._retrier is not None
        self._retrier.attach(*self.retrying._attached)

    def admit(self) -> None:
        """Before an attempt of a joined call: raises CircuitOpenError if the breaker refuses it."""
        assert self._retrier is not None
        outcome, delay_ns = self.retrying._steps.before_attempt(self._retrier)
        if outcome != _RETRY:
            raise self._refusal(outcome, delay_ns, ErrorClass.ORDINARY)

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

    def cancel(self) -> None:
        """The driver leaves before the call ended (an interrupt, a loop left early): a no-op after an end."""
        if self._retrier is not None:
            self._retrier.cancel()

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
        self._retrier = self.retrying._steps.start()
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
        if retrying._joined:
            wait = self._decide_joined(hint_ns, error_class)
        else:
            wait = retrying._steps.on_failure(retrier, hint_ns)
        if wait is None:
            raise self._give_up(False)
        self.upcoming_sleep = wait
        if retrying.before_sleep is not None:
            retrying.before_sleep(self.snapshot())
        self._outcome, self._raised, self.failed = None, False, False  # the next attempt is the latest now
        return wait

    def _decide_joined(self, hint_ns: int, error_class: ErrorClass | str) -> float | None:
        """The policy's, the breaker's and the budget's decision: seconds to wait, None when the policy
        gives up; raises when the breaker or the budget refuses the retry."""
        assert self._retrier is not None
        kind, core_class = error_class_of(error_class, "budget_cost")
        outcome, delay_ns = self.retrying._steps.decide_retry(self._retrier, hint_ns, core_class.value)
        if outcome == _RETRY:
            return delay_ns / 1e9
        if outcome == _EXHAUSTED:
            return None
        raise self._refusal(outcome, delay_ns, kind)

    def _refusal(self, outcome: int, delay_ns: int, kind: ErrorClass) -> BaseException:
        """Calls ``on_giveup`` and returns the breaker's or the budget's refusal, chained from the
        operation's last exception (if any): it is the client's own limit, not the operation's error."""
        retrying = self.retrying
        if retrying.on_giveup is not None and self.failed:
            retrying.on_giveup(self.snapshot())
        if outcome == _CIRCUIT_OPEN:
            assert retrying.breaker is not None
            error: BaseException = retrying.breaker._refused(delay_ns)
        else:
            assert retrying.budget is not None
            error = retrying.budget._exhausted(kind)
        error.__cause__ = self.exception()
        return error

    def _give_up(self, permanent: bool) -> BaseException:
        """Calls ``on_giveup`` and returns what to raise: the last exception, or RetryError."""
        retrying = self.retrying
        if retrying.on_giveup is not None:
            retrying.on_giveup(self.snapshot())
        exception = self.exception()
        if exception is not None and (permanent or retrying.reraise):
            return exception
        error = RetryError(self)
        error.__cause__ = exception
        return error


def retryable(retrying: Retrying, exc: Exception) -> bool:
    """Whether the filters ``retry`` and ``permanent`` let ``exc`` be retried."""
    if isinstance(exc, retrying._permanent_classes):
        return False
    if retrying._permanent_predicate is not None and retrying._permanent_predicate(exc):
        return False
    if retrying._retry_predicate is not None:
        return bool(retrying._retry_predicate(exc))
    return isinstance(exc, retrying._retry_classes)
