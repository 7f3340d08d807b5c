"""budget_cost=: @retry / Retrying / AsyncRetrying classify a failure so the budget charges its
timeout_cost or throttling_cost, as C's error_class and the httpx transports do."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from libbackoff import AsyncRetrying, ErrorClass, RetryBudget, RetryBudgetExhausted, Retrying, constant, retry


class Throttled(Exception):
    pass


def by_type(exc: Exception) -> ErrorClass | str | None:
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, Throttled):
        return ErrorClass.THROTTLING
    return None


def budget() -> RetryBudget:
    return RetryBudget.aws(capacity=100, retry_cost=1, timeout_cost=10, throttling_cost=4, no_retry_increment=0)


def failing(*errors: Exception) -> Any:
    remaining = list(errors)

    def op() -> str:
        if remaining:
            raise remaining.pop(0)
        return "ok"

    return op


def test_each_retry_is_charged_by_its_failures_class(fake_clock: Any) -> None:
    tokens = budget()
    retrying = Retrying(
        wait=constant(0.1), max_attempts=4, budget=tokens, budget_cost=by_type, clock=fake_clock, sleep=fake_clock.sleep
    )
    with pytest.raises(OSError):
        retrying(failing(TimeoutError(), Throttled(), OSError(), OSError()))
    assert tokens.balance == 100 - 10 - 4 - 1  # the last failure is not retried: nothing charged


def test_without_budget_cost_every_retry_is_ordinary(fake_clock: Any) -> None:
    tokens = budget()
    with pytest.raises(TimeoutError):
        Retrying(wait=constant(0.1), max_attempts=3, budget=tokens, clock=fake_clock, sleep=fake_clock.sleep)(
            failing(TimeoutError(), TimeoutError(), TimeoutError())
        )
    assert tokens.balance == 98


def test_a_refusal_names_the_class_it_was_charged_as(fake_clock: Any) -> None:
    tokens = RetryBudget.aws(capacity=15, retry_cost=1, timeout_cost=10)

    @retry(wait=constant(0.1), max_attempts=5, budget=tokens, budget_cost=by_type, clock=fake_clock, sleep=fake_clock.sleep)
    def op() -> None:
        raise TimeoutError

    with pytest.raises(RetryBudgetExhausted) as refused:
        op()
    assert refused.value.error_class is ErrorClass.TIMEOUT
    assert tokens.balance == 5


def test_async_retrying_charges_by_class() -> None:
    tokens = budget()

    async def sleep(seconds: float) -> None:
        pass

    async def main() -> None:
        calls = 0
        async for attempt in AsyncRetrying(
            wait=constant(0.1), max_attempts=3, budget=tokens, budget_cost=by_type, sleep=sleep
        ):
            with attempt:
                calls += 1
                if calls == 1:
                    raise Throttled

    anyio.run(main)
    assert tokens.balance == 100  # the throttled retry (4) succeeded and was refunded
    assert tokens.granted == 1


def test_a_bad_class_or_a_missing_budget_is_named(fake_clock: Any) -> None:
    with pytest.raises(TypeError, match="budget_cost"):
        Retrying(budget_cost=by_type)
    with pytest.raises(TypeError, match="budget_cost"):
        Retrying(budget=budget(), budget_cost="timeout")  # type: ignore[arg-type]
    tokens = budget()
    retrying = Retrying(
        wait=constant(0.1), max_attempts=3, budget=tokens, budget_cost=lambda exc: "slow", clock=fake_clock,
        sleep=fake_clock.sleep,
    )
    with pytest.raises(ValueError, match="budget_cost.*'slow'"):
        retrying(failing(OSError()))
    assert tokens.balance == 100
