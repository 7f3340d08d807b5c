"""stats(): the core's lifetime counters of retry loops, breakers and budgets, read as frozen dataclasses."""

from __future__ import annotations

import dataclasses
import threading
import uuid

import pytest

import libbackoff as lb
from libbackoff.stats import BreakerStats, BudgetStats, RetryStats


def unique(prefix: str) -> str:
    """A name no other test uses: named statistics live for the process."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def failing(times: int, error: type[Exception] = ConnectionError):
    calls = {"n": 0}

    def op() -> str:
        calls["n"] += 1
        if calls["n"] <= times:
            raise error(f"failure {calls['n']}")
        return "ok"

    return op


def fixed() -> lb.Policy:
    return lb.constant(1, jitter="none")


@lb.retry(max_attempts=3)
def decorated_at_module_level() -> str:
    return "ok"


def test_retry_is_named_after_its_function_and_counts_first_attempt_successes():
    before = decorated_at_module_level.retry.stats()
    assert before.name == f"{__name__}.decorated_at_module_level"
    for _ in range(3):
        decorated_at_module_level()
    after = decorated_at_module_level.retry.stats()
    assert after.attempts["success"] - before.attempts["success"] == 3
    assert after.attempts["failure"] == before.attempts["failure"]
    assert after.retries == before.retries


def test_retries_failures_and_time_slept_are_counted(fake_clock):
    retrying = lb.Retrying(wait=fixed(), max_attempts=5, sleep=fake_clock.sleep, name=unique("sleepy"))
    assert retrying(failing(2)) == "ok"
    stats = retrying.stats()
    assert dict(stats.attempts) == {"success": 1, "failure": 2}
    assert stats.retries == 2
    assert stats.slept_seconds == 2.0
    assert sum(stats.giveups.values()) == 0


def test_give_ups_are_counted_by_reason(fake_clock):
    name = unique("reasons")
    with lb.set_testing(), pytest.raises(ConnectionError):
        lb.Retrying(max_attempts=2, name=name)(failing(5))
    with pytest.raises(ConnectionError):
        lb.Retrying(wait=fixed(), max_elapsed=1.5, clock=fake_clock, name=name)(failing(5))
    with pytest.raises(ValueError):
        lb.Retrying(max_attempts=5, retry=ConnectionError, name=name)(failing(1, ValueError))
    breaker = lb.CircuitBreaker(failure_threshold=1, clock=fake_clock)
    with pytest.raises(lb.CircuitOpenError):
        lb.Retrying(wait=fixed(), max_attempts=5, breaker=breaker, clock=fake_clock, name=name)(failing(5))
    budget = lb.RetryBudget.aws(capacity=5, retry_cost=5, timeout_cost=5)
    with pytest.raises(lb.RetryBudgetExhausted):
        lb.Retrying(wait=fixed(), max_attempts=5, budget=budget, clock=fake_clock, name=name)(failing(5))
    giveups = lb.Retrying(name=name).stats().giveups
    assert giveups["max_attempts"] == 1
    assert giveups["max_elapsed"] == 1
    assert giveups["permanent"] == 1
    assert giveups["circuit_open"] == 1
    assert giveups["budget_exhausted"] == 1
    assert giveups["cancelled"] == 0


def test_loops_with_one_name_share_counters_and_retry_with_keeps_the_name():
    @lb.retry(max_attempts=3, name=unique("shared"))
    def op() -> str:
        return "ok"

    op()
    op.retry_with(max_attempts=5)()
    assert op.retry.stats().attempts["success"] == 2


def test_an_unnamed_loop_counts_for_itself_only():
    first, second = lb.Retrying(max_attempts=2), lb.Retrying(max_attempts=2)
    first(lambda: "ok")
    assert first.stats().name is None
    assert (first.stats().attempts["success"], second.stats().attempts["success"]) == (1, 0)


@pytest.mark.anyio
async def test_async_retry_counts_like_sync(fake_clock):
    calls = {"n": 0}

    @lb.retry(wait=fixed(), max_attempts=3, clock=fake_clock, name=unique("async"))
    async def op() -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("once")
        return "ok"

    assert await op() == "ok"
    assert await op() == "ok"
    stats = op.retry.stats()
    assert dict(stats.attempts) == {"success": 2, "failure": 1}
    assert stats.retries == 1


def test_threads_lose_no_count():
    @lb.retry(max_attempts=3, name=unique("threads"))
    def op() -> str:
        return "ok"

    threads = [threading.Thread(target=lambda: [op() for _ in range(2000)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert op.retry.stats().attempts["success"] == 8000


def test_snapshots_are_frozen():
    stats = lb.Retrying(max_attempts=2).stats()
    with pytest.raises(dataclasses.FrozenInstanceError):
        stats.retries = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        stats.attempts["success"] = 5  # type: ignore[index]


def test_a_name_that_is_not_a_str_is_refused():
    with pytest.raises(TypeError, match="name: expected a str"):
        lb.Retrying(name=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="name: expected a str"):
        lb.RetryBudget.aws(name=b"x")  # type: ignore[arg-type]


def test_breaker_stats_count_transitions_and_rejections(fake_clock):
    breaker = lb.CircuitBreaker(failure_threshold=1, open_duration=10, clock=fake_clock, name="payments")
    with pytest.raises(ConnectionError), breaker:
        raise ConnectionError("down")
    with pytest.raises(lb.CircuitOpenError), breaker:
        pass
    fake_clock.now += 10
    with breaker:
        pass
    stats = breaker.stats()
    assert isinstance(stats, BreakerStats)
    assert (stats.name, stats.state, stats.rejections) == ("payments", "closed", 1)
    assert dict(stats.transitions) == {("closed", "open"): 1, ("open", "half_open"): 1, ("half_open", "closed"): 1}
    assert stats.counts["trips"] == 1


def test_budget_stats_read_balance_grants_and_refusals():
    budget = lb.RetryBudget.aws(capacity=10, retry_cost=5, timeout_cost=5, name="search")
    for _ in range(3):
        try:
            budget.withdraw()
        except lb.RetryBudgetExhausted:
            pass
    assert budget.stats() == BudgetStats("search", 0.0, 2, 1)


def test_retry_stats_type_is_exported():
    assert isinstance(lb.Retrying(max_attempts=1).stats(), RetryStats)
