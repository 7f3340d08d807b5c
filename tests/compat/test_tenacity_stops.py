"""tenacity's `|` and `&` on stop_after_attempt and stop_after_delay: decided by the engine's stop_when in
our module, they give tenacity's answer for every state, the boundaries included."""

from __future__ import annotations

import itertools
import types
from fractions import Fraction

import pytest
import tenacity as peer_tenacity

import libbackoff.compat.tenacity as ours

ATTEMPT_NUMBERS = [1, 2, 3, 4, 5, 100]
ELAPSED = [0.0, 0.5, 9.999999, 10.0, 10.000001, 11.0, 1e9, 1e12, -1.0]
COMBINATIONS = [
    "t.stop_after_attempt(3) | t.stop_after_delay(10)",
    "t.stop_after_attempt(3) & t.stop_after_delay(10)",
    "t.stop_after_delay(10) & t.stop_after_attempt(3)",
    "t.stop_after_attempt(1) & t.stop_after_delay(10)",
    "t.stop_after_attempt(3) & t.stop_after_delay(0.25)",
]


def state(tenacity: types.ModuleType, attempt_number: int, elapsed: float | Fraction) -> object:
    call_state = tenacity.RetryCallState(None, None, (), {})
    call_state.attempt_number = attempt_number
    call_state.set_result(None)
    call_state.start_time = 0.0
    call_state.outcome_timestamp = elapsed
    return call_state


def answers(tenacity: types.ModuleType, make: str) -> list[bool]:
    stop = eval(make, {"t": tenacity})  # the same expression through each module
    return [stop(state(tenacity, n, elapsed)) for n, elapsed in itertools.product(ATTEMPT_NUMBERS, ELAPSED)]


@pytest.mark.parametrize("make", COMBINATIONS)
def test_the_engine_s_answers_are_tenacity_s(make):
    assert eval(make, {"t": ours})._limits is not None  # the engine decides these
    assert answers(ours, make) == answers(peer_tenacity, make)


def test_and_stops_only_once_both_are_reached():
    both = ours.stop_after_attempt(3) & ours.stop_after_delay(10)
    assert not both(state(ours, 5, 9.0))  # attempts reached, time not
    assert not both(state(ours, 2, 20.0))  # time reached, attempts not
    assert both(state(ours, 3, 10.0))


@pytest.mark.parametrize(
    "make",
    [
        "t.stop_after_attempt(3) & t.stop_before_delay(10)",  # counts the upcoming sleep: tenacity's comparison
        "t.stop_after_attempt(3) & t.stop_after_attempt(4)",
        "t.stop_after_attempt(3) & t.stop_after_delay(10) & t.stop_never",
        "t.stop_after_attempt(0) | t.stop_after_delay(10)",  # 0 attempts is "unlimited" to the engine
    ],
)
def test_other_combinations_are_asked_member_by_member(tenacity, make):
    stop = eval(make, {"t": tenacity})
    assert getattr(stop, "_limits", None) is None
    stop(state(tenacity, 3, 5.0))  # answers, as tenacity does


def test_a_hand_built_state_with_a_fraction_gets_tenacity_s_comparison(tenacity):
    either = tenacity.stop_after_attempt(3) | tenacity.stop_after_delay(1)
    assert either(state(tenacity, 1, Fraction(1)))
    assert not either(state(tenacity, 1, Fraction(999_999_999, 10**9)))
