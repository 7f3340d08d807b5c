"""Backoff: the stateful form (next / reset / elapsed / attempt), with an injected clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

import libbackoff as lb


def test_next_walks_the_same_delays_as_the_stateless_form_for_a_seeded_policy():
    policy = lb.exponential(0.1, cap=5, seed=77, max_attempts=6)
    state = lb.Backoff(policy)
    assert [state.next_ns() for _ in range(7)] == [policy.delay_ns(n) for n in range(7)]


def test_next_returns_none_once_the_attempts_are_used_up():
    state = lb.Backoff(lb.constant(1, jitter="none", max_attempts=3))
    assert [state.next(), state.next(), state.next()] == [1.0, 1.0, None]
    assert state.attempt == 2


def test_reset_starts_over():
    state = lb.Backoff(lb.exponential(1, cap=100, jitter="none", max_attempts=3))
    assert [state.next(), state.next(), state.next()] == [1.0, 2.0, None]
    state.reset()
    assert (state.attempt, state.next()) == (0, 1.0)


def test_unseeded_states_draw_independent_streams():
    policy = lb.exponential(1, cap=1000)
    first, second = lb.Backoff(policy), lb.Backoff(policy)
    assert [first.next_ns() for _ in range(10)] != [second.next_ns() for _ in range(10)]


def test_max_elapsed_stops_when_the_next_wait_would_pass_it(fake_clock):
    state = lb.Backoff(lb.constant(4, jitter="none", max_elapsed=10), clock=fake_clock)
    assert state.next() == 4.0
    fake_clock.now += 4
    assert state.next() == 4.0
    fake_clock.now += 4
    assert state.elapsed == 8.0
    assert state.next() is None  # 8 + 4 > 10


def test_elapsed_counts_from_the_last_reset(fake_clock):
    state = lb.Backoff(lb.constant(1), clock=fake_clock)
    fake_clock.now += 3
    assert state.elapsed == 3.0
    state.reset()
    fake_clock.now += 0.5
    assert state.elapsed == 0.5


def test_a_clock_that_goes_backwards_gives_zero_elapsed(fake_clock):
    state = lb.Backoff(lb.constant(1), clock=fake_clock)
    fake_clock.now -= 100
    assert state.elapsed == 0.0


@pytest.mark.parametrize("hint", [7.5, timedelta(seconds=7.5), "7500ms"])
def test_a_hint_longer_than_the_delay_is_honoured(hint):
    state = lb.Backoff(lb.constant(1, jitter="none", cap=60))
    assert state.next(hint) == 7.5


def test_a_hint_is_still_capped():
    state = lb.Backoff(lb.constant(1, jitter="none", cap=5))
    assert state.next(3600) == 5.0


def test_a_hint_shorter_than_the_delay_changes_nothing():
    state = lb.Backoff(lb.constant(2, jitter="none"))
    assert state.next(0.5) == 2.0


def test_a_bad_hint_names_the_parameter():
    state = lb.Backoff(lb.constant(1))
    with pytest.raises(ValueError, match=r"hint: must not be negative \(got '-1s'\)"):
        state.next(-1)
    with pytest.raises(TypeError, match="hint: expected seconds"):
        state.next(object())  # type: ignore[arg-type]


def test_the_core_rejects_a_negative_hint_in_nanoseconds_and_counts_nothing():
    state = lb.Backoff(lb.constant(1, jitter="none"))
    with pytest.raises(ValueError, match=r"hint_ns: must not be negative \(got -5 ns\)"):
        state.next_ns(-5)
    assert state.attempt == 0
    assert state.next_ns(0) == 1_000_000_000


def test_a_bad_clock_value_names_the_clock():
    with pytest.raises(ValueError, match="clock: must be a number"):
        lb.Backoff(lb.constant(1), clock=lambda: float("nan"))


def test_repr_and_policy():
    policy = lb.constant(1, seed=1)
    state = lb.Backoff(policy)
    assert state.policy is policy
    assert repr(state).startswith("Backoff(attempt=0, elapsed=")
