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
from ._convert import duration_ns
from .call_state import RetryCallState
from .testing import switch

if TYPE_CHECKING:
    from .retrying import Retrying

_RETRY = int(_core.RetryOutcome.retry)
_EXHAUSTED = int(_core.RetryOutcome.exhausted)
_CIRCUIT_OPEN = int(_core.RetryOutcome.circuit_open)
_ORDINARY = _core.ErrorClass.ordinary.value


def start(retrying: Retrying) -> _core.Retrier:
    """The call's Retrier, created before its first attempt with the breaker and budget attached."""
    if retrying.clock is None:
        retrier = _core.Retrier(retrying._policy)
    else:
        retrier = _core.Retrier(retrying._policy, _now_ns(retrying))
    retrier.attach(
        None if retrying.breaker is None else retrying.breaker._breaker,
        None if retrying.budget is None else retrying.budget._budget,
    )
    retrying.statistics._last = retrier
    return retrier


def admit(retrying: Retrying, state: RetryCallState) -> None:
    """Before every attempt: raises CircuitOpenError if the breaker refuses it."""
    retrier = state._retrier
    assert retrier is not None
    if retrying.clock is None:
        outcome, delay_ns = retrier.before_attempt()
    else:
        outcome, delay_ns = retrier.before_attempt_at(_now_ns(retrying))
    if outcome != _RETRY:
        raise refusal(retrying, state, outcome, delay_ns)


def decide(retrying: Retrying, state: RetryCallState, hint_ns: int) -> float | None:
    """A retryable failure: seconds to wait, None when the policy gives up; raises when the breaker or
    the budget refuses the retry."""
    retrier = state._retrier
    assert retrier is not None
    if retrying.clock is None:
        outcome, delay_ns = retrier.decide_retry(hint_ns, _ORDINARY)
    else:
        outcome, delay_ns = retrier.decide_retry_at(_now_ns(retrying), hint_ns, _ORDINARY)
    if outcome == _RETRY:
        return delay_ns / 1e9
    if outcome == _EXHAUSTED:
        return None
    raise refusal(retrying, state, outcome, delay_ns)


def refusal(retrying: Retrying, state: RetryCallState, outcome: int, delay_ns: int) -> BaseException:
    """Calls ``on_giveup`` and returns the breaker's or the budget's refusal, chained from the
    operation's last exception (if any): it is the client's own limit, not the operation's error."""
    if retrying.on_giveup is not None and state.failed:
        retrying.on_giveup(state)
    if outcome == _CIRCUIT_OPEN:
        assert retrying.breaker is not None
        error: BaseException = retrying.breaker._refused(delay_ns)
    else:
        assert retrying.budget is not None
        error = retrying.budget._exhausted()
    error.__cause__ = state.exception()
    return error


def permanent(retrying: Retrying, retrier: _core.Retrier) -> None:
    if retrying.clock is None:
        retrier.on_permanent_failure()
    else:
        retrier.on_permanent_failure_at(_now_ns(retrying))


def succeeded(retrying: Retrying, retrier: _core.Retrier) -> None:
    if retrying.clock is None:
        retrier.on_success()
    else:
        retrier.on_success_at(_now_ns(retrying))


def call(retrying: Retrying, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``fn(*args, **kwargs)`` through the joined loop."""
    state = RetryCallState(retrying, fn, args, kwargs, start(retrying), None, False, False)
    try:
        while True:
            admit(retrying, state)
            try:
                outcome = fn(*args, **kwargs)
            except Exception as exc:
                wait = retrying._after_failure(state, exc, True)
            else:
                if retrying.retry_if_result is None or not retrying.retry_if_result(outcome):
                    state._outcome, state._raised, state.failed = outcome, False, False
                    retrying._succeeded(state)
                    return outcome
                wait = retrying._after_failure(state, outcome, False)
            if retrying.sleep is not None:
                retrying.sleep(wait)
            elif switch.waiting:
                time.sleep(wait)
            state._outcome, state._raised, state.failed = None, False, False
    finally:
        assert state._retrier is not None
        state._retrier.cancel()  # after an end, a no-op; otherwise gives back the permit and the ticket


async def call_async(
    retrying: Retrying,
    fn: Callable[..., Awaitable[Any]],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    sleep: Callable[[float], Awaitable[Any]],
) -> Any:
    """:func:`call` for a coroutine function; ``sleep`` is the event loop's."""
    state = RetryCallState(retrying, fn, args, kwargs, start(retrying), None, False, False)
    try:
        while True:
            admit(retrying, state)
            try:
                outcome = await fn(*args, **kwargs)
            except Exception as exc:
                wait = retrying._after_failure(state, exc, True)
            else:
                if retrying.retry_if_result is None or not retrying.retry_if_result(outcome):
                    state._outcome, state._raised, state.failed = outcome, False, False
                    retrying._succeeded(state)
                    return outcome
                wait = retrying._after_failure(state, outcome, False)
            await sleep(wait)
            state._outcome, state._raised, state.failed = None, False, False
    finally:
        assert state._retrier is not None
        state._retrier.cancel()


def _now_ns(retrying: Retrying) -> int:
    assert retrying.clock is not None
    return duration_ns(retrying.clock(), "clock")
