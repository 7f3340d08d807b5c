"""Budget tickets are unforgeable and settle once: a bad or repeated ticket raises ValueError naming the
ticket and changes nothing, for a lone budget and a pool's."""

from __future__ import annotations

import threading

import pytest

from libbackoff import RetryBudget, RetryBudgetPool


def test_a_forged_ticket_credits_nothing() -> None:
    budget = RetryBudget.aws(capacity=10, retry_cost=5)
    budget.withdraw()
    for forged in (12345, 3, 2**64 - 1):
        with pytest.raises(ValueError, match=f"ticket.*{forged}"):
            budget.refund(forged)
        with pytest.raises(ValueError, match="ticket"):
            budget.record_success(forged)
    assert budget.balance == 5


def test_a_ticket_settles_once() -> None:
    budget = RetryBudget.aws(capacity=10, retry_cost=5)
    ticket = budget.withdraw()
    budget.refund(ticket)
    budget.withdraw()
    with pytest.raises(ValueError, match=str(ticket)):
        budget.refund(ticket)
    with pytest.raises(ValueError, match="ticket"):
        budget.record_success(ticket)
    assert budget.balance == 5


def test_a_pool_budgets_tickets_are_worthless_to_another_key() -> None:
    pool = RetryBudgetPool(RetryBudget.aws(capacity=10, retry_cost=5), max_keys=10)
    first, second = pool.get("a"), pool.get("b")
    second.withdraw()
    ticket = first.withdraw()
    with pytest.raises(ValueError, match="ticket"):
        second.refund(ticket)
    assert second.balance == 5
    first.record_success(ticket)
    assert first.balance == 10


def test_threads_racing_to_settle_one_ticket_credit_it_once() -> None:
    budget = RetryBudget.aws(capacity=1000, retry_cost=1)
    tickets = [budget.withdraw() for _ in range(500)]
    honoured: list[int] = []

    def settle_all() -> None:
        for ticket in tickets:
            try:
                budget.refund(ticket)
            except ValueError:
                continue
            honoured.append(ticket)

    threads = [threading.Thread(target=settle_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(honoured) == sorted(tickets)
    assert budget.balance == 1000
