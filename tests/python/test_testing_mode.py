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
