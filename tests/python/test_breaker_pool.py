"""CircuitBreakerPool: one breaker per key in bounded memory, the same object for a key every time."""

from __future__ import annotations

import gc
import threading
import uuid

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from libbackoff import CircuitBreaker, CircuitBreakerPool, CircuitState, StateChange, _core, exponential
from libbackoff.metrics import instrument_prometheus


def trip(breaker: CircuitBreaker) -> None:
    breaker.record(breaker.acquire(), "failure")


def test_each_key_has_its_own_breaker_made_with_the_pools_options():
    pool = CircuitBreakerPool(max_keys=8, failure_threshold=1)
    trip(pool.get("db-1"))
    assert pool["db-1"].state is CircuitState.OPEN
    assert pool["db-2"].state is CircuitState.CLOSED
    assert (pool["db-1"].name, pool["db-2"].name) == ("db-1", "db-2")
    assert len(pool) == 2


def test_a_hot_key_returns_the_same_breaker_object_every_time():
    pool = CircuitBreakerPool(max_keys=4)
    assert pool.get("a") is pool.get("a") is pool["a"]


def test_the_pool_holds_at_most_max_keys_and_drops_the_least_recently_used():
    pool = CircuitBreakerPool(max_keys=2, failure_threshold=1)
    a, b = pool.get("a"), pool.get("b")
    trip(a)
    trip(b)
    pool.get("a")  # "b" is now the least recently used
    pool.get("c")
    assert (len(pool), pool.max_keys) == (2, 2)
    assert pool.get("a") is a and a.state is CircuitState.OPEN  # kept
    fresh = pool.get("b")
    assert fresh is not b and fresh.state is CircuitState.CLOSED  # dropped, and back afresh
    assert b.state is CircuitState.OPEN  # the breaker handed out before stays valid


def test_memory_stays_bounded_however_many_keys_pass():
    pool = CircuitBreakerPool(max_keys=16)
    for i in range(2000):
        pool.get(f"host-{i}")
    assert len(pool) == 16


def test_threads_share_one_breaker_per_key():
    pool = CircuitBreakerPool(max_keys=4)
    barrier = threading.Barrier(8)
    seen: list[list[CircuitBreaker]] = [[] for _ in range(8)]

    def work(index: int) -> None:
        barrier.wait()
        for i in range(400):
            seen[index].append(pool.get(f"k{i % 3}"))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(pool) == 3
    for i in range(3):  # three keys never evict one another: one breaker each, for every thread
        assert {id(breakers[j]) for breakers in seen for j in range(i, 400, 3)} == {id(pool.get(f"k{i}"))}


def test_every_keys_breaker_has_every_option_of_the_pool(fake_clock):
    heard: list[tuple[CircuitBreaker, StateChange]] = []
    pool = CircuitBreakerPool(
        max_keys=4,
        failure_threshold=1,
        open_policy=exponential(10, cap=10, jitter="none"),
        is_failure=ConnectionError,
        exclude=KeyError,
        on_state_change=lambda breaker, change: heard.append((breaker, change)),
        clock=fake_clock,
    )
    first, second = pool.get("a"), pool.get("b")
    for breaker in (first, second):
        with pytest.raises(KeyError), breaker:  # excluded: counts as nothing
            raise KeyError("k")
        with pytest.raises(ValueError), breaker:  # not a failure: a success
            raise ValueError("v")
        assert breaker.state is CircuitState.CLOSED
    with pytest.raises(ConnectionError), first:
        raise ConnectionError("down")
    assert first.state is CircuitState.OPEN and second.state is CircuitState.CLOSED
    assert [(breaker, change.state) for breaker, change in heard] == [(first, CircuitState.OPEN)]
    assert (first.stats().counts["failures"], first.stats().counts["successes"]) == (1, 1)
    fake_clock.now += 10  # the open policy's period, on the pool's clock
    with first:
        pass
    assert first.state is CircuitState.CLOSED and len(heard) == 3  # half-open, then closed


def scraped_states(registry: CollectorRegistry, name: str) -> dict[str, float]:
    text = generate_latest(registry).decode()
    return {
        sample.labels["state"]: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "backoff_breaker_state" and sample.labels["name"] == name and sample.value
    }


def test_each_keys_breaker_is_exported_by_its_key_while_the_pool_holds_it():
    registry = CollectorRegistry()
    instrument_prometheus(registry)
    key, other = f"db-{uuid.uuid4().hex[:8]}", f"db-{uuid.uuid4().hex[:8]}"
    pool = CircuitBreakerPool(max_keys=1, failure_threshold=1)
    held = pool.get(key)
    trip(held)
    assert scraped_states(registry, key) == {"open": 1}
    assert pool.breakers() == [held]
    pool.get(other)  # evicts the key: the pool no longer holds its breaker, so it is no longer exported
    assert pool.breakers() != [held] and held.state is CircuitState.OPEN
    assert scraped_states(registry, key) == {} and scraped_states(registry, other) == {"closed": 1}
    del pool
    gc.collect()
    assert scraped_states(registry, other) == {}


@pytest.mark.parametrize("max_keys", [0, -1, 2**20 + 1])
def test_max_keys_outside_its_domain_is_refused(max_keys):
    with pytest.raises(ValueError, match=f"max_keys.*{max_keys}"):
        CircuitBreakerPool(max_keys=max_keys)


def test_a_bad_breaker_option_is_refused_at_construction():
    with pytest.raises(ValueError, match="failure_threshold"):
        CircuitBreakerPool(failure_threshold=0)
    with pytest.raises(TypeError, match="name"):
        CircuitBreakerPool(name="x")
    with pytest.raises(TypeError, match="key"):
        CircuitBreakerPool().get(42)  # type: ignore[arg-type]


def test_what_make_raises_reaches_the_caller_and_the_key_stays_absent():
    made: list[str] = []

    def make(key: str) -> object:
        made.append(key)
        if key == "bad":
            raise LookupError(key)
        return [key]

    objects = _core.KeyedObjects(4, make)
    with pytest.raises(LookupError, match="bad"):
        objects.get("bad")
    assert objects.size() == 0
    assert objects.get("good") is objects.get("good") and made == ["bad", "good"]
    with pytest.raises(LookupError):
        objects.get("bad")  # tried again: nothing was kept
    with pytest.raises(TypeError, match="make"):
        _core.KeyedObjects(4, 42)
