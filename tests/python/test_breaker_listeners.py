"""State changes pushed to listeners and pulled with events(); breakers and their listeners freed."""

from __future__ import annotations

import gc
import sys
import threading
import weakref

import pytest

from libbackoff import CircuitBreaker, CircuitState, StateChange, StateChangeCause


def trip(breaker: CircuitBreaker) -> None:
    breaker.record(breaker.acquire(), "failure")


def test_listener_hears_each_change_with_its_breaker():
    heard: list[tuple[CircuitBreaker, StateChange]] = []
    breaker = CircuitBreaker(failure_threshold=1, on_state_change=lambda b, change: heard.append((b, change)))
    trip(breaker)
    breaker.close()
    assert [(b is breaker, change.previous, change.state, change.cause) for b, change in heard] == [
        (True, CircuitState.CLOSED, CircuitState.OPEN, StateChangeCause.FAILURES),
        (True, CircuitState.OPEN, CircuitState.CLOSED, StateChangeCause.MANUAL),
    ]


def test_listeners_run_in_order_and_can_be_added_and_removed():
    heard: list[str] = []

    def first(breaker: CircuitBreaker, change: StateChange) -> None:
        heard.append("first")

    def second(breaker: CircuitBreaker, change: StateChange) -> None:
        heard.append("second")

    breaker = CircuitBreaker(on_state_change=[first])
    breaker.add_listener(second)
    assert breaker.listeners == (first, second)
    breaker.isolate()
    breaker.remove_listener(first)
    breaker.close()
    assert heard == ["first", "second", "second"]
    with pytest.raises(ValueError):
        breaker.remove_listener(first)
    with pytest.raises(TypeError, match="listener"):
        breaker.add_listener(42)  # type: ignore[arg-type]


def test_listener_runs_on_the_thread_that_caused_the_change():
    threads: list[int] = []
    breaker = CircuitBreaker(
        failure_threshold=1, on_state_change=lambda b, change: threads.append(threading.get_ident())
    )
    worker = threading.Thread(target=trip, args=(breaker,))
    worker.start()
    worker.join()
    assert threads == [worker.ident]


def test_listener_may_call_back_into_its_breaker():
    seen: list[tuple[CircuitState, int]] = []

    def close_at_once(breaker: CircuitBreaker, change: StateChange) -> None:
        seen.append((change.state, breaker.counts().trips))
        if change.state is CircuitState.OPEN:
            breaker.close()  # delivered after this listener returns, in order

    breaker = CircuitBreaker(failure_threshold=1, on_state_change=close_at_once)
    trip(breaker)
    assert seen == [(CircuitState.OPEN, 1), (CircuitState.CLOSED, 1)]
    assert breaker.state is CircuitState.CLOSED


def test_a_listener_that_raises_is_reported_and_never_fails_the_call(monkeypatch):
    reported: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: reported.append(info.exc_value))
    heard: list[CircuitState] = []

    def broken(breaker: CircuitBreaker, change: StateChange) -> None:
        raise RuntimeError("listener bug")

    breaker = CircuitBreaker(
        failure_threshold=1, on_state_change=[broken, lambda b, change: heard.append(change.state)]
    )
    trip(breaker)  # does not raise
    assert heard == [CircuitState.OPEN]  # the next listener still ran
    assert [str(error) for error in reported] == ["listener bug"]
    assert breaker.counts().listener_errors == 1


def test_events_keep_the_last_64_and_count_the_dropped():
    breaker = CircuitBreaker()
    for _ in range(35):
        breaker.isolate()
        breaker.close()
    events = breaker.events()
    assert len(events) == 64
    assert (events[0].state, events[-1].state) == (CircuitState.ISOLATED, CircuitState.CLOSED)  # 6 oldest dropped
    assert breaker.counts().events_dropped == 6


def test_events_and_listeners_both_see_every_change():
    heard: list[StateChange] = []
    breaker = CircuitBreaker(on_state_change=lambda b, change: heard.append(change))
    breaker.disable()
    breaker.open()
    assert breaker.events() == heard
    assert len(heard) == 2


def test_a_breaker_is_freed_as_soon_as_its_last_reference_goes():
    breaker = CircuitBreaker(on_state_change=lambda b, change: None)
    breaker.isolate()
    ref = weakref.ref(breaker)
    del breaker
    assert ref() is None


def test_a_breaker_whose_listener_refers_to_it_is_collected():
    def self_referring() -> weakref.ref[CircuitBreaker]:
        breaker = CircuitBreaker()
        breaker.add_listener(lambda b, change: breaker.counts())  # breaker -> core -> listener -> breaker
        breaker.isolate()
        return weakref.ref(breaker)

    ref = self_referring()
    gc.collect()
    assert ref() is None


def test_a_listener_added_later_hears_the_changes_from_then_on():
    breaker = CircuitBreaker(failure_threshold=1)  # no listener: the core has none installed yet
    trip(breaker)
    heard: list[StateChange] = []
    breaker.add_listener(lambda b, change: heard.append(change))
    breaker.close()
    assert [change.state for change in heard] == [CircuitState.CLOSED]
    assert [change.state for change in breaker.events()] == [CircuitState.OPEN, CircuitState.CLOSED]


def test_listeners_removed_down_to_none_and_added_again_are_heard():
    heard: list[str] = []

    def listener(breaker: CircuitBreaker, change: StateChange) -> None:
        heard.append(change.state.value)

    breaker = CircuitBreaker()
    breaker.add_listener(listener)
    breaker.remove_listener(listener)
    breaker.isolate()
    assert breaker.listeners == () and heard == []
    breaker.add_listener(listener)
    breaker.close()
    assert heard == ["closed"]


def test_threads_adding_the_first_listeners_at_once_all_get_theirs():
    breaker = CircuitBreaker()
    barrier = threading.Barrier(8)
    heard: list[int] = []

    def add(index: int) -> None:
        barrier.wait()
        breaker.add_listener(lambda b, change: heard.append(index))

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(breaker.listeners) == 8
    breaker.isolate()
    assert sorted(heard) == list(range(8))
