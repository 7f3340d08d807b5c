"""RetryBudgetPool: one budget per key in bounded memory; and threads sharing one budget."""

from __future__ import annotations

import threading

import pytest

from libbackoff import RetryBudget, RetryBudgetExhausted, RetryBudgetPool


def drain(budget: RetryBudget) -> None:
    while True:
        try:
            budget.withdraw()
        except RetryBudgetExhausted:
            return


def test_each_key_has_its_own_budget_and_a_key_always_the_same():
    pool = RetryBudgetPool(RetryBudget.aws(capacity=10, retry_cost=5), max_keys=8)
    drain(pool.get("db-1"))
    assert pool["db-1"].balance == 0.0
    assert pool["db-2"].balance == 10.0
    assert len(pool) == 2


def test_the_pool_holds_at_most_max_keys_and_drops_the_least_recently_used():
    pool = RetryBudgetPool(RetryBudget.grpc(max_tokens=4), max_keys=2)
    for key in ("a", "b"):
        pool[key].record_failure()
    pool.get("a")  # "b" is now the least recently used
    pool.get("c")
    assert (len(pool), pool.max_keys) == (2, 2)
    assert pool["a"].balance == 3.0  # kept
    assert pool["b"].balance == 4.0  # dropped, and back afresh


def test_a_budget_handed_out_stays_valid_after_its_key_is_dropped():
    pool = RetryBudgetPool(RetryBudget.aws(capacity=10, retry_cost=5), max_keys=1)
    kept = pool.get("a")
    pool.get("b")
    kept.withdraw()
    assert kept.balance == 5.0


def test_budgets_follow_the_template_clock(fake_clock):
    pool = RetryBudgetPool(RetryBudget.finagle(min_retries_per_second=1, ttl=2, clock=fake_clock), max_keys=4)
    budget = pool.get("x")
    budget.withdraw()
    budget.withdraw()
    with pytest.raises(RetryBudgetExhausted):
        budget.withdraw()
    fake_clock.now += 3
    budget.withdraw()


@pytest.mark.parametrize(
    ("max_keys", "error"), [(0, ValueError), (2**20 + 1, ValueError), (2**70, ValueError), ("8", TypeError)]
)
def test_bad_max_keys_is_refused_naming_it(max_keys, error):
    with pytest.raises(error, match="^max_keys"):
        RetryBudgetPool(RetryBudget(), max_keys=max_keys)


def test_keys_and_templates_are_checked():
    with pytest.raises(TypeError, match="template"):
        RetryBudgetPool("aws", max_keys=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="key"):
        RetryBudgetPool(RetryBudget(), max_keys=1).get(42)  # type: ignore[arg-type]


def test_threads_sharing_a_budget_never_overdraw_it():
    budget = RetryBudget.aws(capacity=50, retry_cost=1)
    held: list[int] = []  # tickets of retries still "running"
    balances: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        for call in range(500):
            try:
                ticket = budget.withdraw()
            except RetryBudgetExhausted:
                continue
            if call % 3 == 0:
                budget.refund(ticket)  # an abandoned retry: its tokens come back
            else:
                with lock:
                    held.append(ticket)
            with lock:
                balances.append(budget.balance)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert budget.granted + budget.refused == 8 * 500
    assert budget.refused > 0
    assert min(balances) >= 0
    assert budget.balance == 50 - len(held)  # every token is in the bucket or held by a ticket
    for ticket in held:
        budget.record_success(ticket)
    assert budget.balance == 50.0
