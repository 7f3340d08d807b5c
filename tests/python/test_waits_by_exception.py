"""Per-exception waits: ``wait={ConnectionError: policy, TimeoutError: policy}``; each kind of failure
backs off on its own schedule while the call's limits count every attempt."""

from __future__ import annotations

import asyncio

import pytest

import libbackoff as lb
from libbackoff.testing import FakeClock


def failing(*errors: BaseException):
    """A function that raises ``errors`` in turn, then returns the number of calls."""
    calls = []

    def call() -> int:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return len(calls)

    return call, calls


WAITS = {
    ConnectionError: lb.exponential(1, 2, jitter="none"),
    TimeoutError: lb.constant(5, jitter="none"),
}


def test_each_kind_of_failure_backs_off_on_its_own_schedule():
    clock = FakeClock()
    call, _ = failing(ConnectionError(), ConnectionError(), TimeoutError(), ConnectionError())
    retried = lb.retry(wait=WAITS, clock=clock)(call)
    assert retried() == 5
    assert clock.sleeps == [1.0, 2.0, 5.0, 4.0]  # the third ConnectionError waits its third delay
    assert retried.statistics["attempt_number"] == 5 and retried.statistics["idle_for"] == 12.0


def test_the_first_matching_entry_wins_and_a_subclass_matches():
    clock = FakeClock()
    call, _ = failing(ConnectionRefusedError(), OSError())
    waits = {ConnectionError: lb.constant(1, jitter="none"), OSError: lb.constant(7, jitter="none")}
    assert lb.retry(wait=waits, clock=clock)(call)() == 3
    assert clock.sleeps == [1.0, 7.0]


def test_the_calls_limits_count_every_attempt():
    clock = FakeClock()
    call, calls = failing(ConnectionError(), TimeoutError(), ConnectionError(), TimeoutError())
    with pytest.raises(ConnectionError):
        lb.retry(wait=WAITS, max_attempts=3, clock=clock)(call)()
    assert len(calls) == 3 and clock.sleeps == [1.0, 5.0]


def test_an_entrys_own_max_attempts_ends_the_call():
    clock = FakeClock()
    call, calls = failing(TimeoutError("1"), ConnectionError(), TimeoutError("2"), TimeoutError("3"))
    waits = {**WAITS, TimeoutError: lb.constant(5, jitter="none", max_attempts=3)}
    with pytest.raises(TimeoutError, match="3"):
        lb.retry(wait=waits, clock=clock, on_giveup=lambda state: None)(call)()
    assert len(calls) == 4 and clock.sleeps == [5.0, 1.0, 5.0]


def test_a_retried_result_or_an_unmatched_exception_takes_the_default_policy():
    clock = FakeClock()
    results = iter([None, None, "ready"])
    retried = lb.retry(wait=WAITS, retry_if_result=lambda value: value is None, clock=clock)(lambda: next(results))
    assert retried() == "ready"
    call, _ = failing(ValueError())
    assert lb.retry(wait=WAITS, clock=clock)(call)() == 2
    default = lb.Policy()
    assert len(clock.sleeps) == 3 and all(0 <= slept <= default.base_delay(1) for slept in clock.sleeps)


def test_a_longer_server_hint_is_waited():
    clock = FakeClock()
    throttled = ConnectionError("slow down")
    throttled.retry_after = 30  # type: ignore[attr-defined]
    call, _ = failing(throttled, ConnectionError())
    assert lb.retry(wait=WAITS, clock=clock)(call)() == 3
    assert clock.sleeps == [30.0, 2.0]


def test_loops_and_coroutines_take_the_same_waits():
    clock = FakeClock()
    call, _ = failing(TimeoutError(), ConnectionError())
    for attempt in lb.Retrying(wait=WAITS, clock=clock):
        with attempt:
            call()

    async def acall() -> int:
        return call()

    call, _ = failing(TimeoutError(), ConnectionError())
    assert asyncio.run(lb.retry(wait=WAITS, clock=clock, sleep=clock.async_sleep)(acall)()) == 3
    assert clock.sleeps == [5.0, 1.0, 5.0, 1.0]


def test_testing_mode_caps_a_call_with_per_exception_waits():
    call, calls = failing(ConnectionError(), ConnectionError())
    with lb.set_testing(True, attempts=1), pytest.raises(ConnectionError):
        lb.retry(wait=WAITS)(call)()
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("waits", "message"),
    [
        (
            {ConnectionError: 5},
            r"wait\[ConnectionError\]: expected a libbackoff Policy such as exponential\(\) \(got 5\)",
        ),
        ({"ConnectionError": lb.constant(1)}, r"wait\['ConnectionError'\]: expected an Exception subclass"),
        ({KeyboardInterrupt: lb.constant(1)}, r"wait\[KeyboardInterrupt\]: KeyboardInterrupt is not an Exception"),
        ({(): lb.constant(1)}, r"wait\[\(\)\]: a key is an Exception subclass or a tuple of them"),
    ],
)
def test_a_bad_entry_is_refused_naming_it(waits, message):
    with pytest.raises(TypeError, match=message):
        lb.Retrying(wait=waits)


def test_an_entrys_own_max_elapsed_ends_the_call_on_the_calls_time():
    clock = FakeClock()
    call, calls = failing(ConnectionError(), TimeoutError(), TimeoutError())
    waits = {**WAITS, TimeoutError: lb.constant(5, jitter="none", max_elapsed=8)}
    with pytest.raises(TimeoutError):
        lb.retry(wait=waits, clock=clock)(call)()
    assert len(calls) == 3 and clock.sleeps == [1.0, 5.0]  # at 6 s, 6 + 5 would pass 8
