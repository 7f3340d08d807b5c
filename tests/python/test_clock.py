"""One Clock (now + sleep) for every time a retry loop, a breaker, a budget or a Backoff reads."""

from __future__ import annotations

import anyio
import pytest

import libbackoff as lb
from libbackoff.testing import FakeClock


def test_a_fake_clock_moves_only_when_slept_on() -> None:
    clock = FakeClock(start=5.0)
    assert (clock(), clock.now_ns()) == (5.0, 5_000_000_000)
    clock.sleep(1.5)
    assert (clock.now, clock.sleeps) == (6.5, [1.5])


def test_max_elapsed_is_counted_on_the_injected_clock() -> None:
    clock = FakeClock()
    calls = []

    @lb.retry(wait=lb.constant(2, jitter="none"), max_elapsed=5, clock=clock, sleep=clock.sleep)
    def failing() -> None:
        calls.append(clock.now)
        raise ConnectionError

    with pytest.raises(ConnectionError):
        failing()
    assert calls == [1000.0, 1002.0, 1004.0]  # a third wait would end past 5 s after the first failure
    assert (failing.statistics.attempt_number, failing.statistics.idle_for) == (3, 4.0)


def test_any_clock_object_serves_a_backoff_a_breaker_and_a_budget() -> None:
    ticks = iter(range(0, 10**12, 10**9))  # one second further on every read
    clock = lb.Clock(lambda: next(ticks), lambda seconds: None)
    backoff = lb.Backoff(lb.constant(1, jitter="none"), clock=clock)
    assert backoff.elapsed == 1.0
    breaker = lb.CircuitBreaker(failure_threshold=1, open_duration=10, clock=clock)
    breaker.open()
    assert breaker.counts().rejected == 0
    budget = lb.RetryBudget(capacity=50, clock=clock)
    assert budget.balance == 50


def test_a_clock_that_is_not_callable_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match=r"clock: expected a callable \(got 3\)"):
        lb.Retrying(clock=3)  # type: ignore[arg-type]


def test_a_clock_returning_a_bad_time_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="clock"):
        lb.Backoff(lb.constant(1), clock=lambda: float("nan"))


def test_a_clock_given_whole_also_does_the_waiting() -> None:
    clock = FakeClock()

    @lb.retry(wait=lb.constant(2, jitter="none"), max_elapsed=5, clock=clock)
    def failing() -> None:
        raise ConnectionError

    with pytest.raises(ConnectionError):
        failing()
    assert (clock.sleeps, clock.now) == ([2.0, 2.0], 1004.0)


def test_an_async_loop_waits_on_the_clock_given_whole() -> None:
    clock = FakeClock()
    attempts = []

    @lb.retry(wait=lb.constant(3, jitter="none"), max_attempts=3, clock=clock)
    async def flaky() -> str:
        attempts.append(clock.now)
        if len(attempts) < 3:
            raise ConnectionError
        return "ok"

    assert anyio.run(flaky) == "ok"
    assert attempts == [1000.0, 1003.0, 1006.0]


def test_an_explicit_sleep_still_wins_over_the_clocks() -> None:
    clock, waits = FakeClock(), []
    retrying = lb.Retrying(wait=lb.constant(1, jitter="none"), max_attempts=2, clock=clock, sleep=waits.append)
    with pytest.raises(ConnectionError):
        for attempt in retrying:
            with attempt:
                raise ConnectionError
    assert (waits, clock.sleeps) == ([1.0], [])
