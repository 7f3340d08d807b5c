"""Threads hammering one CircuitBreaker: half-open never admits more than its probes, no permit leaks,
counts add up, and state changes reach the listener in order."""

from __future__ import annotations

import itertools
import random
import threading
import time

from libbackoff import CircuitBreaker, CircuitOpenError, CircuitState, StateChange

THREADS = 8


def run_threads(work, calls: int) -> None:
    start = threading.Barrier(THREADS)

    def worker(seed: int) -> None:
        start.wait()
        rng = random.Random(seed)
        for _ in range(calls):
            work(rng)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_half_open_never_admits_more_than_its_probes():
    probes = 3
    breaker = CircuitBreaker(half_open_probes=probes, half_open_successes=10**9, permit_lease=3600)
    breaker.half_open()
    lock = threading.Lock()
    holding = peak = 0

    def call(rng: random.Random) -> None:
        nonlocal holding, peak
        try:
            permit = breaker.acquire()
        except CircuitOpenError:
            return
        with lock:  # counted only while the permit is surely held: after acquire, before it is settled
            holding += 1
            peak = max(peak, holding)
        time.sleep(0)  # let other threads ask while this probe is in flight
        with lock:
            holding -= 1
        if rng.random() < 0.5:
            breaker.record(permit, "success")
        else:
            breaker.release(permit)

    run_threads(call, 2000)
    counts = breaker.counts()
    assert peak <= probes
    assert counts.admitted > probes  # slots were freed and handed out again
    assert counts.admitted + counts.rejected == THREADS * 2000
    assert counts.admitted == counts.successes + counts.released
    assert (counts.probes_in_flight, counts.stale, counts.expired) == (0, 0, 0)
    assert breaker.state is CircuitState.HALF_OPEN


def test_a_tripping_and_recovering_breaker_leaks_no_permit_and_orders_its_changes():
    changes: list[StateChange] = []
    breaker = CircuitBreaker(
        failure_threshold=3,
        open_duration=0.0005,
        half_open_probes=2,
        half_open_successes=2,
        permit_lease=3600,
        on_state_change=lambda b, change: changes.append(change),
    )
    probes_seen: list[int] = []

    class Down(Exception):
        pass

    @breaker
    def flaky(fail: bool) -> None:
        probes_seen.append(breaker.counts().probes_in_flight)
        if fail:
            raise Down

    def call(rng: random.Random) -> None:
        try:
            flaky(rng.random() < 0.3)
        except (Down, CircuitOpenError):
            pass

    run_threads(call, 1500)
    counts = breaker.counts()
    assert counts.trips > 0  # the test exercised trips and probes, not only the closed state
    assert max(probes_seen) <= 2
    assert counts.admitted + counts.rejected == THREADS * 1500
    assert counts.admitted == counts.successes + counts.failures + counts.stale
    assert counts.probes_in_flight == 0
    for before, after in itertools.pairwise(changes):
        assert after.previous is before.state
        assert after.at >= before.at
