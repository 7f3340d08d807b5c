"""tenacity's wait strategies: our engine-backed schedules give tenacity's values, attempt for attempt,
and stay bounded where float arithmetic would overflow."""

from __future__ import annotations

import types
from datetime import timedelta

import pytest
import tenacity as peer_tenacity

import libbackoff.compat.tenacity as ours

ATTEMPTS = [1, 2, 3, 4, 5, 10, 20, 40, 63, 64, 100, 1000, 1025, 10**6]


def state_at(tenacity: types.ModuleType, attempt: int) -> object:
    state = tenacity.RetryCallState(None, None, (), {})
    state.attempt_number = attempt
    state.set_result(None)
    return state


def schedule(tenacity: types.ModuleType, make: str) -> list[float]:
    wait = eval(make, {"t": tenacity, "timedelta": timedelta})  # the same expression through each module
    return [wait(state_at(tenacity, attempt)) for attempt in ATTEMPTS]


DETERMINISTIC = [
    "t.wait_fixed(0.25)",
    "t.wait_fixed(timedelta(milliseconds=1500))",
    "t.wait_none()",
    "t.wait_incrementing(start=0.5, increment=0.25, max=30)",
    "t.wait_incrementing(start=timedelta(seconds=2), increment=timedelta(seconds=1))",
    "t.wait_exponential(max=2**30)",
    "t.wait_exponential(multiplier=0.5, max=60)",
    "t.wait_exponential(multiplier=3, exp_base=3, max=timedelta(minutes=10))",
    "t.wait_exponential(min=4, max=40)",
    "t.wait_exponential(multiplier=10, max=5)",
    "t.wait_exponential(multiplier=0)",
    "t.wait_chain(t.wait_fixed(1), t.wait_fixed(2), t.wait_exponential(max=9))",
    "t.wait_fixed(1) + t.wait_exponential(max=9) + t.wait_incrementing(1, 1, 3)",
    "sum([t.wait_fixed(1), t.wait_none(), t.wait_fixed(0.5)])",
]


@pytest.mark.parametrize("make", DETERMINISTIC)
def test_deterministic_waits_match_tenacity_at_every_attempt(make: str) -> None:
    expected = schedule(peer_tenacity, make)
    assert schedule(ours, make) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_exponential_without_max_saturates_at_the_engines_longest_wait() -> None:
    wait = ours.wait_exponential()
    longest = wait(state_at(ours, 10**6))
    assert longest == pytest.approx((2**63 - 1) / 1e9)  # about 292 years; tenacity's float grows to 4.6e18 s
    assert wait(state_at(ours, 2**62)) == longest
    assert wait(state_at(ours, 10**30)) == longest  # past the engine's uint64 attempt counter


@pytest.mark.parametrize(
    ("make", "low", "high"),
    [
        ("t.wait_random(1, 3)", 1, 3),
        ("t.wait_random_exponential(multiplier=0.5, max=60)", 0, 60),
        ("t.wait_exponential_jitter(initial=1, max=60, jitter=2)", 0, 60),
    ],
)
def test_random_waits_stay_in_tenacitys_bounds(tenacity: types.ModuleType, make: str, low: float, high: float) -> None:
    wait = eval(make, {"t": tenacity})
    for attempt in (1, 2, 5, 9, 50, 2000):
        draws = [wait(state_at(tenacity, attempt)) for _ in range(300)]
        assert all(low <= draw <= high for draw in draws)
        assert len(set(draws)) > 1 or draws[0] == high


def test_random_exponential_draws_uniformly_below_the_exponential(tenacity: types.ModuleType) -> None:
    wait = tenacity.wait_random_exponential(multiplier=1, max=100)
    draws = [wait(state_at(tenacity, 4)) for _ in range(4000)]  # uniform on [0, 8]
    assert all(0 <= draw <= 8 for draw in draws)
    assert sum(draws) / len(draws) == pytest.approx(4, abs=0.25)
    assert sum(draw < 4 for draw in draws) == pytest.approx(2000, abs=200)


def test_exponential_jitter_adds_up_to_jitter_and_caps_after_the_sum(tenacity: types.ModuleType) -> None:
    wait = tenacity.wait_exponential_jitter(initial=1, max=10, jitter=3)
    assert all(4 <= wait(state_at(tenacity, 3)) <= 7 for _ in range(500))
    assert {wait(state_at(tenacity, 5)) for _ in range(100)} == {10}


def test_wait_exception_waits_what_the_exception_says(tenacity: types.ModuleType) -> None:
    wait = tenacity.wait_exception(lambda error: error.args[0])
    state = state_at(tenacity, 1)
    state.outcome = tenacity.Future.construct(1, TimeoutError(7.5), True)
    assert wait(state) == 7.5


def test_an_exp_base_below_one_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="multiplier: must be at least 1"):
        ours.wait_exponential(exp_base=0.5)
