"""@retry / Retrying / AsyncRetrying with breaker= and budget=: the core Retrier joins them."""

from __future__ import annotations

from typing import Any

import pytest

from libbackoff import (
    AsyncRetrying,
    CircuitBreaker,
    CircuitOpenError,
    CircuitState,
    RetryBudget,
    RetryBudgetExhausted,
    Retrying,
    constant,
    retry,
)


class Flaky:
    """Raises ``errors`` in turn, then returns "ok"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def test_every_attempt_holds_a_breaker_permit(fake_clock: Any) -> None:
    breaker = CircuitBreaker(failure_threshold=10, clock=fake_clock)
    op = Flaky(OSError("a"), OSError("b"))
    wrapped = retry(wait=constant(1), max_attempts=5, breaker=breaker, clock=fake_clock, sleep=fake_clock.sleep)(op)
    assert wrapped() == "ok"
    counts = breaker.counts()
    assert (counts.admitted, counts.failures, counts.successes) == (3, 2, 1)


def test_breaker_opening_mid_loop_raises_circuit_open_chained(fake_clock: Any) -> None:
    breaker = CircuitBreaker(failure_threshold=2, open_duration=30, clock=fake_clock)
    op = Flaky(*(OSError(str(n)) for n in range(10)))
    retrying = Retrying(wait=constant(1), max_attempts=10, breaker=breaker, clock=fake_clock, sleep=fake_clock.sleep)
    with pytest.raises(CircuitOpenError) as info:
        retrying(op)
    assert op.calls == 2  # the second failure opened the breaker: no third attempt
    assert breaker.state is CircuitState.OPEN
    assert 0 < info.value.remaining <= 30
    assert isinstance(info.value.__cause__, OSError) and str(info.value.__cause__) == "1"


def test_open_breaker_refuses_the_first_attempt(fake_clock: Any) -> None:
    breaker = CircuitBreaker(failure_threshold=1, open_duration=30, clock=fake_clock)
    breaker.open()
    op = Flaky()
    with pytest.raises(CircuitOpenError) as info:
        Retrying(max_attempts=3, breaker=breaker, clock=fake_clock)(op)
    assert op.calls == 0
    assert info.value.__cause__ is None
    assert breaker.counts().rejected == 1


def test_permanent_errors_are_ignored_by_the_breaker(fake_clock: Any) -> None:
    breaker = CircuitBreaker(failure_threshold=1, clock=fake_clock)
    op = Flaky(ValueError("bad request"))
    with pytest.raises(ValueError):
        Retrying(max_attempts=3, retry=OSError, breaker=breaker, clock=fake_clock)(op)
    assert breaker.state is CircuitState.CLOSED
    assert (breaker.counts().ignored, breaker.counts().failures) == (1, 0)


def test_budget_exhausted_raises_chained_from_the_last_error(fake_clock: Any) -> None:
    budget = RetryBudget.aws(capacity=10, retry_cost=5)
    op = Flaky(*(OSError(str(n)) for n in range(10)))
    retrying = Retrying(wait=constant(1), max_attempts=10, budget=budget, clock=fake_clock, sleep=fake_clock.sleep)
    with pytest.raises(RetryBudgetExhausted) as info:
        retrying(op)
    assert op.calls == 3  # two retries paid for, the third refused
    assert isinstance(info.value.__cause__, OSError) and str(info.value.__cause__) == "2"
    assert budget.balance == 0
    assert budget.refused == 1


def test_tokens_are_returned_on_success(fake_clock: Any) -> None:
    budget = RetryBudget.aws(capacity=10, retry_cost=5)
    op = Flaky(OSError("a"))
    assert Retrying(max_attempts=3, budget=budget, clock=fake_clock, sleep=fake_clock.sleep)(op) == "ok"
    assert budget.balance == 10  # AWS refunds a successful retry's cost


def test_policy_exhaustion_with_a_budget_reraises_the_operation_error(fake_clock: Any) -> None:
    budget = RetryBudget.aws(capacity=100, retry_cost=5)
    with pytest.raises(OSError):
        Retrying(max_attempts=2, budget=budget, clock=fake_clock, sleep=fake_clock.sleep)(Flaky(OSError(), OSError()))
    assert budget.balance == 95  # the one retry ran and failed: its tokens stay spent


def test_for_attempt_loop_takes_permits_and_tickets(fake_clock: Any) -> None:
    breaker = CircuitBreaker(failure_threshold=10, clock=fake_clock)
    budget = RetryBudget.aws(capacity=10, retry_cost=5)
    op = Flaky(OSError("a"))
    for attempt in Retrying(max_attempts=3, breaker=breaker, budget=budget, clock=fake_clock, sleep=fake_clock.sleep):
        with attempt:
            result = op()
    assert result == "ok"
    assert (breaker.counts().admitted, budget.balance) == (2, 10)


def test_a_loop_left_early_gives_back_its_permit(fake_clock: Any) -> None:
    breaker = CircuitBreaker(failure_threshold=10, clock=fake_clock)
    for _attempt in Retrying(max_attempts=3, breaker=breaker, clock=fake_clock):
        break
    assert breaker.counts().released == 1


def test_wrong_types_are_rejected() -> None:
    with pytest.raises(TypeError, match="breaker"):
        Retrying(breaker=object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="budget"):
        Retrying(budget=object())  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_async_breaker_opens_mid_loop(fake_clock: Any) -> None:
    breaker = CircuitBreaker(failure_threshold=2, open_duration=30, clock=fake_clock)
    calls = 0

    @retry(wait=constant(1), max_attempts=10, breaker=breaker, clock=fake_clock, sleep=fake_clock.async_sleep)
    async def op() -> str:
        nonlocal calls
        calls += 1
        raise OSError(calls)

    with pytest.raises(CircuitOpenError) as info:
        await op()
    assert calls == 2
    assert isinstance(info.value.__cause__, OSError)


@pytest.mark.anyio
async def test_async_budget_exhausted_and_refund(fake_clock: Any) -> None:
    budget = RetryBudget.aws(capacity=10, retry_cost=5)
    retrying = AsyncRetrying(max_attempts=10, budget=budget, clock=fake_clock, sleep=fake_clock.async_sleep)
    attempts = 0

    async def fail_once() -> str:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise OSError("once")
        return "ok"

    assert await retrying(fail_once) == "ok"
    assert budget.balance == 10

    async def always() -> str:
        raise OSError("down")

    with pytest.raises(RetryBudgetExhausted) as info:
        await retrying(always)
    assert isinstance(info.value.__cause__, OSError)

    async for attempt in retrying:
        with attempt:
            pass
    assert budget.balance == 1  # AWS credits a first-attempt success with no_retry_increment
