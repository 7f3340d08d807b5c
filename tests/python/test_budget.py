"""RetryBudget: the three calibrations, exhaustion, tickets, and bad configuration."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from libbackoff import Calibration, ErrorClass, RetryBudget, RetryBudgetExhausted, _core


def withdrawals_until_refused(budget: RetryBudget, limit: int = 10_000) -> int:
    for granted in range(limit):
        try:
            budget.withdraw()
        except RetryBudgetExhausted:
            return granted
    raise AssertionError("the budget never refused")


def test_aws_charges_each_retry_and_refuses_when_the_bucket_is_empty():
    budget = RetryBudget.aws(capacity=12, retry_cost=5)
    assert withdrawals_until_refused(budget) == 2
    assert (budget.balance, budget.granted, budget.refused) == (2.0, 2, 1)


def test_aws_charges_by_error_class():
    budget = RetryBudget.aws(capacity=20, retry_cost=1, timeout_cost=10, throttling_cost=4)
    budget.withdraw(ErrorClass.TIMEOUT)
    budget.withdraw("throttling")
    budget.withdraw()
    assert budget.balance == 5.0


def test_aws_refunds_a_successful_retry_and_credits_a_first_attempt_up_to_capacity():
    budget = RetryBudget.aws(capacity=10, retry_cost=5, no_retry_increment=2)
    ticket = budget.withdraw()
    budget.withdraw()
    budget.record_success(ticket)  # the retry succeeded: its cost comes back
    assert budget.balance == 5.0
    budget.record_success()  # a first attempt succeeded
    assert budget.balance == 7.0
    for _ in range(5):
        budget.record_success()
    assert budget.balance == 10.0


def test_aws_refund_returns_an_abandoned_retrys_tokens():
    budget = RetryBudget.aws(capacity=10, retry_cost=10)
    ticket = budget.withdraw()
    budget.refund(ticket)
    assert budget.balance == 10.0


def test_grpc_stops_retries_at_or_below_half_of_max_tokens():
    budget = RetryBudget.grpc(max_tokens=10, token_ratio=0.5)
    for _ in range(4):
        budget.record_failure()
        budget.withdraw()  # 9, 8, 7, 6 tokens: above half
    budget.record_failure()
    with pytest.raises(RetryBudgetExhausted):
        budget.withdraw()  # 5 tokens: at half
    budget.record_success()
    assert budget.balance == 5.5
    budget.withdraw()


def test_grpc_never_counts_below_zero_nor_above_max():
    budget = RetryBudget.grpc(max_tokens=3, token_ratio=1)
    for _ in range(10):
        budget.record_failure()
    assert budget.balance == 0.0
    for _ in range(10):
        budget.record_success()
    assert budget.balance == 3.0


def test_finagle_allows_a_share_of_requests_until_the_deposits_expire(fake_clock):
    budget = RetryBudget.finagle(percent_can_retry=0.5, min_retries_per_second=0, ttl=10, clock=fake_clock)
    for _ in range(4):
        budget.record_request()
    assert withdrawals_until_refused(budget) == 2  # half of four requests
    fake_clock.now += 11  # deposits and withdrawals have both expired
    budget.record_request()
    budget.record_request()
    assert withdrawals_until_refused(budget) == 1


def test_finagle_reserve_allows_min_retries_per_second_over_the_ttl(fake_clock):
    budget = RetryBudget.finagle(min_retries_per_second=2, ttl=timedelta(seconds=5), clock=fake_clock)
    assert withdrawals_until_refused(budget) == 10
    fake_clock.now += 6
    assert withdrawals_until_refused(budget) == 10


def test_exhaustion_is_its_own_exception_saying_so():
    budget = RetryBudget.aws(capacity=1, retry_cost=1, timeout_cost=1, throttling_cost=1)
    budget.withdraw()
    with pytest.raises(RetryBudgetExhausted) as info:
        budget.withdraw(ErrorClass.TIMEOUT)
    error = info.value
    assert (error.calibration, error.error_class, error.balance) == (Calibration.AWS, ErrorClass.TIMEOUT, 0.0)
    assert str(error).startswith("retry budget exhausted:")
    assert "not the operation's own error" in str(error)
    assert not isinstance(error, (OSError, TimeoutError, ConnectionError))


def test_calibration_constructors_and_the_general_one_agree():
    assert RetryBudget.grpc().calibration is Calibration.GRPC
    assert RetryBudget.finagle().calibration is Calibration.FINAGLE
    assert RetryBudget().calibration is Calibration.AWS
    assert RetryBudget("grpc", max_tokens=4).balance == RetryBudget.grpc(max_tokens=4).balance == 4.0
    assert repr(RetryBudget.aws(capacity=12)) == "RetryBudget('aws', balance=12)"


def test_tickets_are_checked():
    budget = RetryBudget.aws(capacity=10, retry_cost=5)
    with pytest.raises(ValueError, match="ticket"):
        budget.record_success(2)  # not a ticket this budget issued
    with pytest.raises(ValueError, match="ticket"):
        budget.refund(-1)
    with pytest.raises(TypeError, match="ticket"):
        budget.refund("1")  # type: ignore[arg-type]
    budget.refund(0)  # a refusal holds nothing: a no-op
    assert budget.balance == 10.0


BAD: list[tuple[Any, dict[str, Any], type[Exception], str]] = [
    ("aws", {"capacity": 0}, ValueError, "capacity"),
    ("aws", {"capacity": "lots"}, TypeError, "capacity"),
    ("aws", {"retry_cost": 600}, ValueError, "retry_cost"),
    ("aws", {"capacity": 5}, ValueError, "timeout_cost"),  # the default timeout cost, 10, could never pass
    ("aws", {"timeout_cost": -1}, ValueError, "timeout_cost"),
    ("aws", {"no_retry_increment": float("nan")}, ValueError, "no_retry_increment"),
    ("grpc", {"capacity": 5}, ValueError, "capacity"),
    ("grpc", {"max_tokens": 0}, ValueError, "max_tokens"),
    ("grpc", {"max_tokens": 1001}, ValueError, "max_tokens"),
    ("grpc", {"token_ratio": 0.0001}, ValueError, "token_ratio"),
    ("finagle", {"percent_can_retry": 1001}, ValueError, "percent_can_retry"),
    ("finagle", {"min_retries_per_second": -1}, ValueError, "min_retries_per_second"),
    ("finagle", {"min_retries_per_second": 1.5}, TypeError, "min_retries_per_second"),
    ("finagle", {"ttl": 0}, ValueError, "ttl"),
    ("finagle", {"ttl": "10"}, ValueError, "ttl"),
    ("finagle", {"clock": 5}, TypeError, "clock"),
    ("sometimes", {}, ValueError, "calibration"),
    (2, {}, TypeError, "calibration"),
]


@pytest.mark.parametrize(("calibration", "options", "error", "param"), BAD, ids=[str(case[:2]) for case in BAD])
def test_bad_configuration_is_refused_naming_the_parameter(calibration, options, error, param):
    with pytest.raises(error, match=f"^{param}"):
        RetryBudget(calibration, **options)


def test_an_unknown_error_class_is_refused():
    with pytest.raises(ValueError, match="error_class"):
        RetryBudget().withdraw("fatal")


def test_the_core_budget_type_refuses_what_is_not_its_own_naming_the_argument():
    policy = _core.Policy(_core.Config())
    with pytest.raises(TypeError, match="^Budget: config must be a _core.BudgetConfig"):
        _core.Budget(_core.Config())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^budget: expected a _core.Budget"):
        _core.Retrier(policy).attach(None, policy)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^budget: expected a _core.Budget"):
        _core.budget_snapshot(policy)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="^error_class: unknown value 3"):
        RetryBudget()._withdraw_at(0, 3)


def test_a_core_budget_made_from_a_configuration_speaks_the_cores_units():
    config = _core.BudgetConfig()
    config.set_text("calibration", "grpc")
    budget = _core.Budget(config)
    budget._record_failure()  # gRPC: a failure takes 1 of 10 tokens
    assert budget._balance_milli_at(0) == 9000
    assert budget._calibration() == int(_core.Calibration.grpc)
    assert budget._config().get_i64(_core.BudgetParam.calibration) == int(_core.Calibration.grpc)


def test_a_finagle_budget_on_the_monotonic_clock_reads_the_cores_clock():
    budget = RetryBudget.finagle(percent_can_retry=1.0, min_retries_per_second=0)
    budget.record_request()  # deposits 1 token, which expires only after the ttl (10 s)
    assert budget.balance == 1.0
    ticket = budget.withdraw()
    assert withdrawals_until_refused(budget) == 0
    budget.refund(ticket)
    assert budget.stats().balance == 1.0
