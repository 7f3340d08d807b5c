"""The retry loop joined with a circuit breaker and a retry budget (``breaker=``, ``budget=``).

The core ``Retrier`` decides, with the core breaker and budget behind the Python objects attached to
it: ``before_attempt`` takes the breaker's permit for every attempt (the first too), ``decide_retry``
records the failure and asks the policy, the breaker and the budget in turn. This module only turns its
outcomes into Python: a refused attempt raises :class:`CircuitOpenError`, a refused retry
:class:`RetryBudgetExhausted`, each chained from the operation's last exception.

Such a call needs the Retrier from its first attempt, so it does not take the decorator's fast path
(nothing created until a failure); loops without a breaker or budget never come here.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from . import _core
from .call_state import RetryCallState
from .error_class import ErrorClass, error_class_of
from .testing import switch

if TYPE_CHECKING:
    from .retrying import Retrying

_RETRY = int(_core.RetryOutcome.retry)
_EXHAUSTED = int(_core.RetryOutcome.exhausted)
_CIRCUIT_OPEN = int(_core.RetryOutcome.circuit_open)


def start(retrying: Retrying) -> _core.Retrier:
    """The call's Retrier, created before its first attempt with the breaker and budget attached."""
    retrier = retrying._steps.start()
    retrier.attach(*retrying._attached)
    retrying.statistics._last = retrier
    return retrier


def admit(retrying: Retrying, state: RetryCallState) -> None:
    """Before every attempt: raises CircuitOpenError if the breaker refuses it."""
    assert state._retrier is not None
    outcome, delay_ns = retrying._steps.before_attempt(state._retrier)
    if outcome != _RETRY:
        raise refusal(retrying, state, outcome, delay_ns)


def decide(retrying: Retrying, state: RetryCallState, hint_ns: int, error_class: ErrorClass | str) -> float | None:
    """A retryable failure: seconds to wait, None when the policy gives up; raises when the breaker or
    the budget refuses the retry. ``error_class`` is what the budget charges the retry as."""
    retrier = state._retrier
    assert retrier is not None
    kind, core_class = error_class_of(error_class, "budget_cost")
    outcome, delay_ns = retrying._steps.decide_retry(retrier, hint_ns, core_class.value)
    if outcome == _RETRY:
        return delay_ns / 1e9
    if outcome == _EXHAUSTED:
        return None
    raise refusal(retrying, state, outcome, delay_ns, kind)


def refusal(
    retrying: Retrying, state: RetryCallState, outcome: int, delay_ns: int, kind: ErrorClass = ErrorClass.ORDINARY
) -> BaseException:
    """Calls ``on_giveup`` and returns the breaker's or the budget's refusal, chained from the
    operation's last exception (if any): it is the client's own limit, not the operation's error."""
    if retrying.on_giveup is not None and state.failed:
        retrying.on_giveup(state)
    if outcome == _CIRCUIT_OPEN:
        assert retrying.breaker is not None
        error: BaseException = retrying.breaker._refused(delay_ns)
    else:
        assert retrying.budget is not None
        error = retrying.budget._exhausted(kind)
    error.__cause__ = state.exception()
    return error


def call(retrying: Retrying, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``fn(*args, **kwargs)`` through the joined loop. The call's RetryCallState is made only when
    something needs it (a failure, a hook, a refusal), and the steps of a call that succeeds are inlined:
    each helper call would add ~50 ns to it (bench/python/bench_retry.py)."""
    retrier = start(retrying)
    steps, retry_if_result = retrying._steps, retrying.retry_if_result
    state: RetryCallState | None = None
    try:
        while True:
            admitted, delay_ns = steps.before_attempt(retrier)
            if admitted != _RETRY:
                raise refusal(retrying, state or _state(retrying, fn, args, kwargs, retrier), admitted, delay_ns)
            try:
                outcome = fn(*args, **kwargs) if kwargs else fn(*args)
            except Exception as exc:
                outcome, raised = exc, True
            else:
                if retry_if_result is None or not retry_if_result(outcome):
                    if retrying.on_success is None:
                        steps.on_success(retrier)
                        return outcome
                    return _succeeded(retrying, retrier, state, fn, args, kwargs, outcome)
                raised = False
            if state is None:
                state = _state(retrying, fn, args, kwargs, retrier)
            wait = retrying._after_failure(state, outcome, raised)
            if retrying.sleep is not None:
                retrying.sleep(wait)
            elif switch.waiting:
                time.sleep(wait)
            state._outcome, state._raised, state.failed = None, False, False
    finally:
        retrier.cancel()  # after an end, a no-op; otherwise gives back the permit and the ticket


async def call_async(
    retrying: Retrying,
    fn: Callable[..., Awaitable[Any]],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    sleep: Callable[[float], Awaitable[Any]],
) -> Any:
    """:func:`call` for a coroutine function; ``sleep`` is the event loop's."""
    retrier = start(retrying)
    steps, retry_if_result = retrying._steps, retrying.retry_if_result
    state: RetryCallState | None = None
    try:
        while True:
            admitted, delay_ns = steps.before_attempt(retrier)
            if admitted != _RETRY:
                raise refusal(retrying, state or _state(retrying, fn, args, kwargs, retrier), admitted, delay_ns)
            try:
                outcome = await (fn(*args, **kwargs) if kwargs else fn(*args))
            except Exception as exc:
                outcome, raised = exc, True
            else:
                if retry_if_result is None or not retry_if_result(outcome):
                    if retrying.on_success is None:
                        steps.on_success(retrier)
                        return outcome
                    return _succeeded(retrying, retrier, state, fn, args, kwargs, outcome)
                raised = False
            if state is None:
                state = _state(retrying, fn, args, kwargs, retrier)
            await sleep(retrying._after_failure(state, outcome, raised))
            state._outcome, state._raised, state.failed = None, False, False
    finally:
        retrier.cancel()


def _state(
    retrying: Retrying, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], retrier: _core.Retrier
) -> RetryCallState:
    return RetryCallState(retrying, fn, args, kwargs, retrier, None, False, False)


def _succeeded(
    retrying: Retrying,
    retrier: _core.Retrier,
    state: RetryCallState | None,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    outcome: Any,
) -> Any:
    """The successful end of :func:`call`: settles the permit and the ticket, calls ``on_success``."""
    retrying._steps.on_success(retrier)
    if retrying.on_success is not None:
        state = state or _state(retrying, fn, args, kwargs, retrier)
        state._outcome, state._raised, state.failed = outcome, False, False
        retrying.on_success(state)
    return outcome
