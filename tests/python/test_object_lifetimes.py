"""Breakers, budgets and backoff states are one Python object each over the core's (issue 17): they are
freed when their last reference goes, collected when a clock or listener refers back to them, and carry
no instance dictionary. Breakers and budgets are weakly referable (the metrics registry holds them so); a
Backoff is seen go through its clock."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable

import pytest

import libbackoff
from libbackoff import Backoff, CircuitBreaker, Policy, RetryBudget, RetryBudgetPool

REFERABLE: dict[str, Callable[[], object]] = {
    "breaker": CircuitBreaker,
    "budget": RetryBudget.aws,
    "pool budget": lambda: RetryBudgetPool(RetryBudget.aws(), max_keys=4).get("a"),
}
MAKERS = {**REFERABLE, "backoff": lambda: Backoff(Policy())}


@pytest.mark.parametrize("make", REFERABLE.values(), ids=REFERABLE.keys())
def test_an_object_nobody_holds_is_freed_at_once(make: Callable[[], object]) -> None:
    gc.disable()  # freed by its reference count, not by the collector
    try:
        ref = weakref.ref(make())
        assert ref() is None
    finally:
        gc.enable()


@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS.keys())
def test_an_object_has_no_instance_dictionary(make: Callable[[], object]) -> None:
    made = make()
    assert not hasattr(made, "__dict__")
    with pytest.raises(AttributeError):
        made.anything = 1  # type: ignore[attr-defined]


class SelfReferringClock:
    """A test clock that holds what it times: a cycle through the core object's clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self.timed: object = None

    def __call__(self) -> float:
        return self.now


def test_a_breaker_in_a_cycle_through_its_clock_is_collected() -> None:
    clock = SelfReferringClock()
    breaker = CircuitBreaker(clock=clock, failure_threshold=1)
    clock.timed = breaker
    with pytest.raises(ConnectionError), breaker:
        raise ConnectionError
    assert breaker.state is libbackoff.CircuitState.OPEN
    ref = weakref.ref(breaker)
    del breaker, clock
    gc.collect()
    assert ref() is None


def test_a_retrying_keeps_its_budget_alive_and_lets_it_go() -> None:
    budget = RetryBudget.aws()
    retrying = libbackoff.Retrying(budget=budget, stop=libbackoff.stop_after_attempt(3), sleep=lambda _: None)
    ref = weakref.ref(budget)
    del budget
    for attempt in retrying:  # the core retrier draws on the budget the Retrying holds
        with attempt:
            if attempt.retry_state.attempt_number == 1:
                raise ConnectionError
    assert ref().granted == 1  # type: ignore[union-attr]
    del retrying, attempt
    gc.collect()
    assert ref() is None


def test_a_backoff_nobody_holds_is_freed_at_once_with_its_clock() -> None:
    clock = SelfReferringClock()
    ref = weakref.ref(clock)
    gc.disable()
    try:
        state = Backoff(Policy(), clock=clock)
        del clock
        assert ref() is not None
        del state
        assert ref() is None
    finally:
        gc.enable()


def test_a_backoff_in_a_cycle_through_its_clock_is_collected() -> None:
    clock = SelfReferringClock()
    state = Backoff(Policy(), clock=clock)
    clock.timed = state
    clock.now = 2.0
    assert state.elapsed == 2.0
    ref = weakref.ref(clock)
    del state, clock
    gc.collect()
    assert ref() is None


class Recorder:
    """A listener that holds the breaker it listens to: a cycle through the core object's listener."""

    def __init__(self) -> None:
        self.breaker: CircuitBreaker | None = None
        self.seen: list[CircuitBreaker] = []

    def __call__(self, breaker: CircuitBreaker, change: libbackoff.StateChange) -> None:
        self.seen.append(breaker)


def test_a_breaker_whose_listener_refers_back_to_it_is_collected_after_it_changed_state() -> None:
    breaker, recorder = CircuitBreaker(), Recorder()
    recorder.breaker = breaker
    breaker.add_listener(recorder)
    breaker.open()
    assert recorder.seen == [breaker]
    recorder.seen.clear()
    ref = weakref.ref(breaker)
    del breaker, recorder
    gc.collect()
    assert ref() is None
