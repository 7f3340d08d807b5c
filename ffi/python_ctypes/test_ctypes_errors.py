"""Bad input raises BackoffError carrying backoff_last_error()'s message."""
from __future__ import annotations

import threading

import pytest

from backoff_ctypes import BackoffError, Policy, State

EINVAL, EUNKNOWN = -1, -3


def test_multiplier_below_one_is_rejected_with_its_name_and_value() -> None:
    with pytest.raises(BackoffError) as caught:
        Policy(multiplier=0.5)
    assert caught.value.code == EINVAL
    assert caught.value.message == "multiplier: must be at least 1 (got 0.5)"


def test_cap_below_initial_is_rejected_when_the_policy_is_built() -> None:
    with pytest.raises(BackoffError, match="cap") as caught:
        Policy(initial="10s", cap="1s")
    assert caught.value.code == EINVAL


def test_misspelled_parameter_name_is_unknown() -> None:
    with pytest.raises(BackoffError, match="multipler") as caught:
        Policy(multipler="2")
    assert caught.value.code == EUNKNOWN


def test_misspelled_keyword_with_a_number_is_unknown_too() -> None:
    with pytest.raises(BackoffError, match="max_attempt") as caught:
        Policy(max_attempt=3)
    assert caught.value.code == EUNKNOWN


def test_negative_hint_is_rejected_and_counts_no_attempt() -> None:
    with State(Policy(jitter="none")) as state:
        with pytest.raises(BackoffError, match="hint_ns") as caught:
            state.next_at(0, -1)
        assert caught.value.code == EINVAL
        assert state.attempt == 0


def test_attempt_beyond_uint64_is_refused_rather_than_wrapped() -> None:
    with pytest.raises(OverflowError, match="attempt"):
        Policy().delay(2**64)


def test_each_thread_reads_the_message_of_its_own_failure() -> None:
    mismatches: list[str] = []

    def fail_repeatedly(factor: float) -> None:
        for _ in range(200):
            try:
                Policy(randomization_factor=factor)
            except BackoffError as error:
                if str(factor) not in error.message:
                    mismatches.append(error.message)

    threads = [threading.Thread(target=fail_repeatedly, args=(1.5 + n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert mismatches == []


def test_use_after_close_raises() -> None:
    policy = Policy()
    policy.close()
    policy.close()  # a second close is a no-op
    with pytest.raises(ValueError, match="after close"):
        policy.delay(0)
