"""CircuitBreaker's state machine, driven by an injected clock: no test sleeps."""

from __future__ import annotations

import math

import pytest

from libbackoff import (
    CircuitBreaker,
    CircuitOpenError,
    CircuitState,
    StateChangeCause,
    exponential,
)


class Boom(Exception):
    pass


def fail(breaker: CircuitBreaker, times: int = 1) -> None:
    for _ in range(times):
        breaker.record(breaker.acquire(), "failure")


def succeed(breaker: CircuitBreaker, times: int = 1) -> None:
    for _ in range(times):
        breaker.record(breaker.acquire(), "success")


def refusal(breaker: CircuitBreaker) -> CircuitOpenError:
    with pytest.raises(CircuitOpenError) as info:
        breaker.acquire()
    return info.value


def causes(breaker: CircuitBreaker) -> list[tuple[CircuitState, StateChangeCause]]:
    return [(change.state, change.cause) for change in breaker.events()]


def test_consecutive_failures_trip_and_a_success_resets_the_run(fake_clock):
    breaker = CircuitBreaker(failure_threshold=3, clock=fake_clock)
    fail(breaker, 2)
    succeed(breaker)
    fail(breaker, 2)
    assert breaker.state is CircuitState.CLOSED
    fail(breaker)
    assert breaker.state is CircuitState.OPEN
    assert causes(breaker) == [(CircuitState.OPEN, StateChangeCause.FAILURES)]


def test_the_open_period_ends_at_its_exact_time_and_admits_a_probe(fake_clock):
    breaker = CircuitBreaker(failure_threshold=1, open_duration=30, clock=fake_clock)
    fail(breaker)
    fake_clock.now += 29.5
    assert refusal(breaker).remaining == pytest.approx(0.5)
    fake_clock.now += 0.5
    breaker.acquire()
    assert breaker.state is CircuitState.HALF_OPEN


def test_count_rule_counts_failures_within_a_time_window_only(fake_clock):
    breaker = CircuitBreaker(trip="count", failure_threshold=3, window_duration=10, clock=fake_clock)
    fail(breaker, 2)
    fake_clock.now += 15  # both failures have left the window
    fail(breaker, 2)
    assert breaker.state is CircuitState.CLOSED
    assert breaker.counts().window_failures == 2
    fail(breaker)
    assert breaker.state is CircuitState.OPEN


def test_ratio_rule_waits_for_min_calls_then_trips_at_the_ratio(fake_clock):
    breaker = CircuitBreaker(
        trip="ratio", failure_ratio=0.5, min_calls=4, window="count", window_size=10, clock=fake_clock
    )
    fail(breaker, 3)  # a ratio of 1, but only 3 calls
    assert breaker.state is CircuitState.CLOSED
    fail(breaker)
    assert breaker.state is CircuitState.OPEN
    assert causes(breaker) == [(CircuitState.OPEN, StateChangeCause.FAILURE_RATIO)]


def test_ratio_rule_stays_closed_below_the_ratio(fake_clock):
    breaker = CircuitBreaker(
        trip="ratio", failure_ratio=0.5, min_calls=4, window="count", window_size=10, clock=fake_clock
    )
    for _ in range(5):
        succeed(breaker, 2)
        fail(breaker)  # one failure in three calls
    assert breaker.state is CircuitState.CLOSED
    assert breaker.counts().window_calls == 10  # a count window of exactly window_size calls


def test_slow_calls_trip_by_their_ratio_even_when_they_succeed(fake_clock):
    breaker = CircuitBreaker(
        slow_call_duration=1, slow_call_ratio=0.5, min_calls=2, window="count", window_size=4, clock=fake_clock
    )
    permit = breaker.acquire()
    breaker.record(permit, "success", duration=0.5)
    permit = breaker.acquire()
    breaker.record(permit, "success", duration=1.0)  # at the threshold is slow: 1 of 2
    assert breaker.state is CircuitState.OPEN
    assert breaker.counts().slow == 1
    assert causes(breaker) == [(CircuitState.OPEN, StateChangeCause.SLOW_CALLS)]


def test_the_decorator_times_calls_for_the_slow_call_rule(fake_clock):
    breaker = CircuitBreaker(slow_call_duration=2, min_calls=1, window="count", window_size=1, clock=fake_clock)

    @breaker
    def slow_query() -> str:
        fake_clock.now += 3
        return "rows"

    assert slow_query() == "rows"
    assert breaker.state is CircuitState.OPEN


def test_an_open_policy_lengthens_the_open_period_with_each_trip_in_a_row(fake_clock):
    breaker = CircuitBreaker(
        failure_threshold=1, open_policy=exponential(initial=1, multiplier=2, jitter="none"), clock=fake_clock
    )
    fail(breaker)
    periods = []
    for _ in range(3):
        periods.append(refusal(breaker).remaining)
        fake_clock.now += periods[-1]
        fail(breaker)  # the probe fails: open again, for longer
    assert periods == [1.0, 2.0, 4.0]
    fake_clock.now += 8
    succeed(breaker)  # the probe succeeds: closed, and the streak starts over
    fail(breaker)
    assert refusal(breaker).remaining == 1.0


def test_a_server_hint_keeps_the_breaker_open_longer(fake_clock):
    breaker = CircuitBreaker(failure_threshold=1, open_duration=30, clock=fake_clock)
    breaker.record(breaker.acquire(), "failure", retry_after=120)
    assert refusal(breaker).remaining == 120.0


def test_half_open_admits_at_most_the_probe_count_and_closes_after_enough_successes(fake_clock):
    breaker = CircuitBreaker(
        failure_threshold=1, open_duration=10, half_open_probes=2, half_open_successes=3, clock=fake_clock
    )
    fail(breaker)
    fake_clock.now += 10
    first, second = breaker.acquire(), breaker.acquire()
    full = refusal(breaker)
    assert (full.state, full.remaining) == (CircuitState.HALF_OPEN, 0.0)
    breaker.record(first, "success")
    breaker.record(second, "success")
    assert breaker.state is CircuitState.HALF_OPEN  # two successes of the three needed
    succeed(breaker)
    assert breaker.state is CircuitState.CLOSED
    assert causes(breaker) == [
        (CircuitState.OPEN, StateChangeCause.FAILURES),
        (CircuitState.HALF_OPEN, StateChangeCause.OPEN_ELAPSED),
        (CircuitState.CLOSED, StateChangeCause.PROBES_SUCCEEDED),
    ]


def test_a_failed_probe_reopens_the_breaker(fake_clock):
    breaker = CircuitBreaker(failure_threshold=1, open_duration=10, clock=fake_clock)
    fail(breaker)
    fake_clock.now += 10
    fail(breaker)
    assert breaker.state is CircuitState.OPEN
    assert refusal(breaker).remaining == 10.0
    assert [cause for _, cause in causes(breaker)][-1] is StateChangeCause.PROBE_FAILED


def test_half_open_that_lasts_too_long_reopens(fake_clock):
    breaker = CircuitBreaker(
        failure_threshold=1, open_duration=10, half_open_successes=2, half_open_max_duration=5, clock=fake_clock
    )
    fail(breaker)
    fake_clock.now += 10
    succeed(breaker)  # one success of two
    fake_clock.now += 5
    refusal(breaker)
    assert breaker.state is CircuitState.OPEN
    assert causes(breaker)[-1] == (CircuitState.OPEN, StateChangeCause.HALF_OPEN_TIMEOUT)


def test_a_lost_probe_permit_expires_and_its_late_result_is_stale(fake_clock):
    breaker = CircuitBreaker(failure_threshold=1, open_duration=10, permit_lease=2, clock=fake_clock)
    fail(breaker)
    fake_clock.now += 10
    lost = breaker.acquire()  # never settled in time
    refusal(breaker)
    fake_clock.now += 2
    probe = breaker.acquire()  # the lease ran out: the slot is free again
    breaker.record(lost, "failure")
    assert breaker.state is CircuitState.HALF_OPEN  # the late failure changed nothing
    breaker.record(probe, "success")
    assert breaker.state is CircuitState.CLOSED
    counts = breaker.counts()
    assert (counts.expired, counts.stale) == (1, 1)


def test_a_result_from_before_a_trip_is_stale(fake_clock):
    breaker = CircuitBreaker(failure_threshold=2, open_duration=10, clock=fake_clock)
    early = breaker.acquire()
    fail(breaker, 2)
    fake_clock.now += 10
    succeed(breaker)  # closed again
    breaker.record(early, "failure")
    fail(breaker)
    assert breaker.state is CircuitState.CLOSED  # the stale failure did not start a run
    assert breaker.counts().stale == 1


def test_isolate_refuses_everything_until_closed(fake_clock):
    breaker = CircuitBreaker(clock=fake_clock)
    breaker.isolate()
    error = refusal(breaker)
    assert (error.state, error.remaining) == (CircuitState.ISOLATED, math.inf)
    fake_clock.now += 1e6
    refusal(breaker)
    breaker.close()
    succeed(breaker)


def test_disable_admits_everything_and_never_trips(fake_clock):
    breaker = CircuitBreaker(failure_threshold=1, clock=fake_clock)
    breaker.disable()
    fail(breaker, 10)
    assert breaker.state is CircuitState.DISABLED
    breaker.reset()
    assert breaker.state is CircuitState.CLOSED


def test_manual_open_and_half_open(fake_clock):
    breaker = CircuitBreaker(open_duration=7, clock=fake_clock)
    breaker.open()
    assert refusal(breaker).remaining == 7.0
    breaker.half_open()
    succeed(breaker)
    assert breaker.state is CircuitState.CLOSED
    assert [cause for _, cause in causes(breaker)] == [
        StateChangeCause.MANUAL,
        StateChangeCause.MANUAL,
        StateChangeCause.PROBES_SUCCEEDED,
    ]


def test_state_changes_carry_the_time_they_happened(fake_clock):
    breaker = CircuitBreaker(failure_threshold=1, open_duration=4, clock=fake_clock)
    fail(breaker)
    fake_clock.now += 4
    succeed(breaker)
    assert [(change.previous, change.state, change.at) for change in breaker.events()] == [
        (CircuitState.CLOSED, CircuitState.OPEN, 1000.0),
        (CircuitState.OPEN, CircuitState.HALF_OPEN, 1004.0),
        (CircuitState.HALF_OPEN, CircuitState.CLOSED, 1004.0),
    ]
    assert breaker.events() == []  # taken once


def test_counts_add_up_once_every_permit_is_settled(fake_clock):
    breaker = CircuitBreaker(failure_threshold=3, open_duration=10, clock=fake_clock)
    succeed(breaker, 4)
    breaker.record(breaker.acquire(), "ignored")
    breaker.release(breaker.acquire())
    stale = breaker.acquire()
    fail(breaker, 3)
    breaker.record(stale, "success")
    refusal(breaker)
    refusal(breaker)
    counts = breaker.counts()
    assert counts.admitted == 10
    assert (counts.successes, counts.failures, counts.ignored, counts.released, counts.stale) == (4, 3, 1, 1, 1)
    assert counts.admitted == counts.successes + counts.failures + counts.ignored + counts.released + counts.stale
    assert (counts.rejected, counts.trips, counts.consecutive_failures) == (2, 1, 3)
