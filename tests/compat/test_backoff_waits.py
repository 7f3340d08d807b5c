"""python-backoff's wait generators and jitter, against the peer and our drop-in."""

from __future__ import annotations

import math
import types

import pytest

import libbackoff.compat.backoff as ours


def first(generator: types.GeneratorType, count: int, send: object = None) -> list[float]:
    generator.send(None)
    return [generator.send(send) for _ in range(count)]


def test_expo_grows_by_base_from_factor_and_stays_at_max_value(backoff: types.ModuleType) -> None:
    assert first(backoff.expo(), 5) == [1, 2, 4, 8, 16]
    assert first(backoff.expo(base=3, factor=5), 3) == [5, 15, 45]
    assert first(backoff.expo(factor=3, max_value=16), 6) == [3, 6, 12, 16, 16, 16]


def test_expo_with_a_max_value_below_factor_waits_max_value(backoff: types.ModuleType) -> None:
    assert first(backoff.expo(factor=10, max_value=4), 3) == [4, 4, 4]


def test_expo_stays_at_max_value_without_growing_a_power() -> None:
    waits = ours.expo(max_value=30)
    waits.send(None)
    for _ in range(5000):  # python-backoff computes 2 ** 4999 here before comparing it with max_value
        last = next(waits)
    assert last == 30


def test_fibo_follows_fibonacci_up_to_max_value(backoff: types.ModuleType) -> None:
    assert first(backoff.fibo(), 7) == [1, 1, 2, 3, 5, 8, 13]
    assert first(backoff.fibo(max_value=8), 8) == [1, 1, 2, 3, 5, 8, 8, 8]


def test_constant_repeats_a_number_and_walks_an_iterable_once(backoff: types.ModuleType) -> None:
    assert first(backoff.constant(interval=3), 4) == [3, 3, 3, 3]
    waits = backoff.constant(interval=[1, 2.5])
    assert first(waits, 2) == [1, 2.5]
    with pytest.raises(StopIteration):
        next(waits)


def test_decay_falls_exponentially_to_min_value() -> None:  # python-backoff 2.3+, not in the released 2.2.1
    waits = first(ours.decay(initial_value=100, decay_factor=3, min_value=5), 4)
    assert waits == pytest.approx([100, max(100 * math.exp(-3), 5), 5, 5])


def test_runtime_waits_what_the_failure_says(backoff: types.ModuleType) -> None:
    waits = backoff.runtime(value=lambda failure: failure * 2)
    waits.send(None)
    assert [waits.send(n) for n in (1, 5, 0.25)] == [2, 10, 0.5]


def test_full_jitter_draws_between_zero_and_the_value(backoff: types.ModuleType) -> None:
    draws = [backoff.full_jitter(8) for _ in range(2000)]
    assert all(0 <= draw <= 8 for draw in draws)
    assert 3.5 < sum(draws) / len(draws) < 4.5
    assert backoff.full_jitter(0) == 0


def test_random_jitter_adds_up_to_one_second(backoff: types.ModuleType) -> None:
    draws = [backoff.random_jitter(2) for _ in range(2000)]
    assert all(2 <= draw <= 3 for draw in draws)
    assert len(set(draws)) > 1000
