"""set_testing: waiting switched off for a whole suite, as a call or a context manager."""

from __future__ import annotations

import time

import pytest

import libbackoff as lb


@pytest.fixture(autouse=True)
def waiting_restored():
    yield
    lb.set_testing(False)


def failing_twice():
    calls = []

    def call() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("down")
        return "ok"

    return call, calls


def test_testing_mode_skips_the_real_waits():
    call, calls = failing_twice()
    wrapped = lb.retry(wait=lb.constant(30, jitter="none"))(call)
    lb.set_testing(True)
    started = time.monotonic()
    assert wrapped() == "ok"
    assert time.monotonic() - started < 5  # two 30 s waits were skipped
    assert len(calls) == 3
    assert wrapped.statistics["idle_for"] == 60.0  # the delays were still decided and counted
    assert lb.is_testing()


def test_the_context_manager_restores_the_previous_mode():
    assert not lb.is_testing()
    with lb.set_testing():
        assert lb.is_testing()
        with lb.set_testing(False):
            assert not lb.is_testing()
        assert lb.is_testing()
    assert not lb.is_testing()


def test_an_injected_sleep_is_still_called_in_testing_mode():
    call, _ = failing_twice()
    slept = []
    with lb.set_testing():
        lb.retry(wait=lb.constant(2, jitter="none"), sleep=slept.append)(call)()
    assert slept == [2.0, 2.0]


def test_testing_mode_covers_attempt_loops_and_coroutines():
    import asyncio

    call, calls = failing_twice()

    async def acall() -> str:
        return call()

    with lb.set_testing():
        for attempt in lb.Retrying(wait=lb.constant(30)):
            with attempt:
                call()
        calls.clear()
        started = time.monotonic()
        assert asyncio.run(lb.retry(wait=lb.constant(30))(acall)()) == "ok"
        assert time.monotonic() - started < 5


def always_down():
    calls = []

    def call() -> str:
        calls.append(1)
        raise ConnectionError(f"down {len(calls)}")

    return call, calls


def test_a_cap_on_attempts_lets_the_first_exception_through_at_once():
    call, calls = always_down()
    wrapped = lb.retry(wait=lb.constant(30), max_attempts=10)(call)
    with lb.set_testing(True, attempts=1):
        with pytest.raises(ConnectionError, match="down 1"):
            wrapped()
    assert len(calls) == 1 and wrapped.statistics["attempt_number"] == 1


def test_the_cap_covers_hooks_loops_and_coroutines():
    import asyncio

    call, calls = always_down()
    gave_up = []

    async def acall() -> str:
        return call()

    with lb.set_testing(True, attempts=2):
        with pytest.raises(ConnectionError):
            lb.retry(wait=lb.constant(30), on_giveup=gave_up.append)(call)()
        with pytest.raises(ConnectionError):
            for attempt in lb.Retrying(wait=lb.constant(30)):
                with attempt:
                    call()
        with pytest.raises(ConnectionError):
            asyncio.run(lb.retry(wait=lb.constant(30))(acall)())
    assert len(calls) == 6 and len(gave_up) == 1


def test_a_policys_own_lower_limit_stays_under_the_cap():
    call, calls = always_down()
    with lb.set_testing(True, attempts=5), pytest.raises(ConnectionError, match="down 2"):
        lb.retry(wait=lb.constant(30), max_attempts=2)(call)()
    assert len(calls) == 2


def test_leaving_the_block_lifts_the_cap():
    call, calls = failing_twice()
    wrapped = lb.retry(wait=lb.constant(0.001))(call)
    with lb.set_testing(True, attempts=1):
        with pytest.raises(ConnectionError):
            wrapped()
    assert wrapped() == "ok" and len(calls) == 3  # the next call retries as its policy says


@pytest.mark.parametrize(
    ("testing", "attempts", "error", "message"),
    [
        (False, 1, TypeError, "attempts: caps attempts in testing mode; pass testing=True too (got 1)"),
        (True, -1, ValueError, "attempts: max_attempts"),
        (True, 1.5, TypeError, "attempts: max_attempts: expected an int (got 1.5)"),
    ],
)
def test_a_bad_cap_names_attempts_and_changes_nothing(testing, attempts, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        lb.set_testing(testing, attempts=attempts)
    assert not lb.is_testing()
    call, calls = failing_twice()
    assert lb.retry(wait=lb.constant(0.001))(call)() == "ok" and len(calls) == 3
