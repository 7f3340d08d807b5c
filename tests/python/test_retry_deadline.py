"""deadline=: a limit on the whole call from its start, the first attempt included, on a fake clock."""

from __future__ import annotations

import datetime

import anyio
import pytest

import libbackoff as lb
from libbackoff.testing import FakeClock

EVERY_SECOND = lb.constant(1, jitter="none")


def slow_failures(clock: FakeClock, attempt_seconds: float, calls: list[float]):
    """A function whose every attempt takes `attempt_seconds` of the fake clock and then fails."""

    def attempt() -> None:
        calls.append(clock.now)
        if attempt_seconds:
            clock.sleep(attempt_seconds)
        raise ConnectionError("down")

    return attempt


def test_the_deadline_counts_the_first_attempt_where_max_elapsed_does_not() -> None:
    deadline_clock, elapsed_clock = FakeClock(), FakeClock()
    deadline_calls: list[float] = []
    elapsed_calls: list[float] = []
    by_deadline = lb.retry(wait=EVERY_SECOND, deadline=5, clock=deadline_clock)(
        slow_failures(deadline_clock, 3, deadline_calls)
    )
    by_elapsed = lb.retry(wait=EVERY_SECOND, max_elapsed=5, clock=elapsed_clock)(
        slow_failures(elapsed_clock, 3, elapsed_calls)
    )
    with pytest.raises(ConnectionError):
        by_deadline()
    with pytest.raises(ConnectionError):
        by_elapsed()
    # The second attempt fails at 1007; a wait to 1008 would pass 1005.
    assert deadline_calls == [1000.0, 1004.0]
    # max_elapsed counts from the first failure at 1003: the wait to 1008 ends exactly at 5 s.
    assert elapsed_calls == [1000.0, 1004.0, 1008.0]


def test_a_wait_that_would_end_at_the_deadline_is_not_made() -> None:
    clock = FakeClock()
    calls: list[float] = []
    failing = lb.retry(wait=EVERY_SECOND, deadline=2, clock=clock)(slow_failures(clock, 0, calls))
    with pytest.raises(ConnectionError):
        failing()
    assert calls == [1000.0, 1001.0]
    assert clock.sleeps == [1.0]
    assert failing.statistics.retry_outcome == "deadline_exceeded"
    assert (failing.statistics.attempt_number, failing.statistics.idle_for) == (2, 1.0)


def test_giving_up_at_the_deadline_raises_as_giving_up_does() -> None:
    clock = FakeClock()
    seen: list[str] = []
    retrying = lb.Retrying(
        wait=EVERY_SECOND,
        deadline=datetime.timedelta(seconds=1.5),
        clock=clock,
        reraise=False,
        on_giveup=lambda state: seen.append(state.retry_outcome),
    )
    with pytest.raises(lb.RetryError) as raised:
        retrying(slow_failures(clock, 0, []))
    assert isinstance(raised.value.__cause__, ConnectionError)
    assert raised.value.last_attempt.retry_outcome == "deadline_exceeded"
    assert seen == ["deadline_exceeded"]


def test_the_plain_loop_on_the_monotonic_clock_stops_at_the_deadline() -> None:
    calls = []

    @lb.retry(wait=EVERY_SECOND, deadline=0.2)
    def failing() -> None:
        calls.append(1)
        raise ConnectionError

    with lb.set_testing():
        with pytest.raises(ConnectionError):
            failing()
    assert calls == [1]  # the 1 s wait would end past the deadline
    assert failing.statistics.retry_outcome == "deadline_exceeded"


def test_a_call_that_succeeds_reports_it() -> None:
    @lb.retry(wait=EVERY_SECOND, deadline=10)
    def fine() -> int:
        return 7

    assert fine() == 7
    assert fine.statistics.retry_outcome == "succeeded"


def test_a_for_attempt_loop_stops_at_the_deadline() -> None:
    clock = FakeClock()
    starts = []
    with pytest.raises(ConnectionError):
        for attempt in lb.Retrying(wait=EVERY_SECOND, deadline=3, clock=clock):
            with attempt:
                starts.append(clock.now)
                raise ConnectionError
    assert starts == [1000.0, 1001.0, 1002.0]


def test_with_a_budget_a_retry_past_the_deadline_takes_no_tokens() -> None:
    clock = FakeClock()
    budget = lb.RetryBudget(capacity=100, retry_cost=5, clock=clock)
    failing = lb.retry(wait=EVERY_SECOND, deadline=0.5, budget=budget, clock=clock)(slow_failures(clock, 0, []))
    with pytest.raises(ConnectionError):
        failing()
    assert budget.balance == 100


def test_with_a_breaker_an_attempt_is_not_started_once_the_deadline_has_passed() -> None:
    clock = FakeClock()
    breaker = lb.CircuitBreaker(failure_threshold=100, clock=clock)
    calls: list[float] = []

    def oversleep(seconds: float) -> None:
        clock.sleep(seconds + 10)  # a wait that overruns, as a loaded machine's may

    failing = lb.retry(wait=EVERY_SECOND, deadline=5, breaker=breaker, clock=clock, sleep=oversleep)(
        slow_failures(clock, 0, calls)
    )
    with pytest.raises(ConnectionError):
        failing()
    assert calls == [1000.0]
    assert failing.statistics.retry_outcome == "deadline_exceeded"


def test_an_async_call_stops_at_the_deadline() -> None:
    clock = FakeClock()
    calls: list[float] = []

    @lb.retry(wait=EVERY_SECOND, deadline=2.5, clock=clock)
    async def failing() -> None:
        calls.append(clock.now)
        raise ConnectionError

    with pytest.raises(ConnectionError):
        anyio.run(failing)
    assert calls == [1000.0, 1001.0, 1002.0]
    assert failing.statistics.retry_outcome == "deadline_exceeded"


@pytest.mark.parametrize(
    "value, error, words",
    [(-1, ValueError, ["deadline", "-1"]), ("soon", ValueError, ["deadline", "soon"]), ([], TypeError, ["deadline"])],
)
def test_a_bad_deadline_is_rejected_naming_it(value: object, error: type[Exception], words: list[str]) -> None:
    with pytest.raises(error) as raised:
        lb.Retrying(deadline=value)  # type: ignore[arg-type]
    assert all(word in str(raised.value) for word in words), raised.value


def test_the_policy_carries_the_deadline() -> None:
    policy = lb.exponential(initial=0.1, deadline="30s")
    assert policy.deadline == 30.0
    assert "deadline=30.0" in repr(policy)
    assert lb.Retrying(wait=policy).policy.deadline == 30.0
    assert lb.Retrying(deadline=0).policy.deadline == 0.0
