"""The stateful API in a retry loop: on simulated time through the _at calls, and on the real clock."""
from __future__ import annotations

import time
from typing import Callable

from backoff_ctypes import Policy, State, monotonic_now_ns

MS, S = 1_000_000, 1_000_000_000


class Transient(Exception):
    pass


def retry_on_simulated_time(state: State, operation: Callable[[], None]) -> tuple[int, Exception | None]:
    """The loop a caller writes on a clock it keeps: ask next_at for each wait, then move the clock.
    Returns how many times the operation ran and its last error."""
    now = 0
    state.reset_at(now)
    calls = 0
    while True:
        calls += 1
        try:
            operation()
            return calls, None
        except Transient as error:
            delay = state.next_at(now)
            if delay is None:
                return calls, error
            now += delay


def failing(times: int) -> Callable[[], None]:
    remaining = [times]

    def operation() -> None:
        if remaining[0] > 0:
            remaining[0] -= 1
            raise Transient

    return operation


def test_retry_loop_succeeds_once_the_operation_recovers() -> None:
    with State(Policy(max_attempts=5)) as state:
        assert retry_on_simulated_time(state, failing(2)) == (3, None)
        assert state.attempt == 2


def test_max_attempts_counts_the_first_call() -> None:
    with State(Policy(max_attempts=3)) as state:
        calls, error = retry_on_simulated_time(state, failing(10))
    assert calls == 3 and isinstance(error, Transient)


def test_max_elapsed_stops_before_a_wait_that_would_pass_it() -> None:
    # Waits of 1 s, 2 s and 4 s bring the simulated clock to 7 s; another 8 s would pass 10 s.
    with State(Policy(initial="1s", jitter="none", max_elapsed="10s")) as state:
        calls, _ = retry_on_simulated_time(state, failing(10))
        assert calls == 4
        assert state.elapsed_at(7 * S) == 7 * S


def test_server_hint_is_a_floor_and_still_capped() -> None:
    with State(Policy(jitter="none", cap="2s")) as state:
        assert state.next_at(0, hint_ns=500 * MS) == 500 * MS
        assert state.next_at(0, hint_ns=3600 * S) == 2 * S


def test_typed_and_text_settings_build_the_same_schedule() -> None:
    typed = Policy(initial=250 * MS, multiplier=1.5, cap=10 * S, jitter="full", seed=2**64 - 1)
    text = Policy(initial="250ms", multiplier="1.5", cap="10s", jitter="full", seed="18446744073709551615")
    assert [typed.delay(n, 4) for n in range(30)] == [text.delay(n, 4) for n in range(30)]


def test_seeded_state_follows_the_stateless_schedule_with_key_zero() -> None:
    policy = Policy(seed=7, jitter="full")
    with State(policy) as state:
        assert [state.next() for _ in range(20)] == [policy.delay(n, 0) for n in range(20)]


def test_reset_replays_a_seeded_sequence_and_stop_is_sticky() -> None:
    with State(Policy(seed=11, max_attempts=4)) as state:
        first = [state.next() for _ in range(5)]
        state.reset()
        assert [state.next() for _ in range(5)] == first
    assert first[3:] == [None, None]


def test_delay_never_passes_the_cap_for_huge_attempts() -> None:
    policy = Policy(cap="30s", seed=1)
    for attempt in (63, 64, 2**63, 2**64 - 1):
        assert 0 <= policy.delay(attempt, key=99) <= 30 * S


def test_state_outlives_its_policy() -> None:
    policy = Policy(jitter="none")
    state = State(policy)
    policy.close()
    assert state.next() == 100 * MS


def test_retry_loop_sleeps_on_the_real_clock() -> None:
    operation = failing(2)
    calls = 0
    with State(Policy(initial="1ms", max_attempts=5)) as state:
        while True:
            calls += 1
            try:
                operation()
                break
            except Transient:
                delay = state.next()
                assert delay is not None
                time.sleep(delay / S)
    assert calls == 3


def test_monotonic_now_is_the_scale_of_the_states_own_clock() -> None:
    with State(Policy()) as state:  # started on the monotonic clock
        elapsed = state.elapsed_at(monotonic_now_ns() + S)
    assert S <= elapsed < 61 * S
