"""tenacity 9.2's ``enabled=`` and ``name=``, and ``tenacity.tornadoweb``, against tenacity and our drop-in."""

from __future__ import annotations

import asyncio
import logging
import pickle
import types
from typing import Any

import pytest
from tornado import gen, ioloop


def flaky(failures: int) -> Any:
    """A function that raises ConnectionError ``failures`` times, then returns its call count."""
    calls = [0]

    def call() -> int:
        calls[0] += 1
        if calls[0] <= failures:
            raise ConnectionError(f"call {calls[0]}")
        return calls[0]

    call.calls = calls  # type: ignore[attr-defined]
    return call


def test_a_disabled_decorator_calls_once_and_lets_the_exception_through(tenacity: types.ModuleType) -> None:
    call = flaky(1)
    retried = tenacity.retry(stop=tenacity.stop_after_attempt(3), enabled=False)(call)
    with pytest.raises(ConnectionError, match="call 1"):
        retried()
    assert call.calls == [1] and retried.statistics == {}
    assert retried.retry_with(enabled=True)() == 2  # switched back on, it retries


def test_a_disabled_retrying_object_and_loop_make_one_attempt(tenacity: types.ModuleType) -> None:
    retrying = tenacity.Retrying(stop=tenacity.stop_after_attempt(3), enabled=False)
    with pytest.raises(ConnectionError):
        retrying(flaky(1))
    attempts = 0
    with pytest.raises(ConnectionError):
        for attempt in retrying:
            with attempt:
                attempts += 1
                raise ConnectionError("once")
    assert attempts == 1
    assert retrying.copy(enabled=True)(flaky(2)) == 3


def test_a_disabled_async_decorator_awaits_once(tenacity: types.ModuleType) -> None:
    calls = []

    @tenacity.retry(stop=tenacity.stop_after_attempt(3), enabled=False)
    async def fetch() -> None:
        calls.append(1)
        raise ConnectionError("once")

    with pytest.raises(ConnectionError):
        asyncio.run(fetch())
    assert calls == [1]


def test_a_name_is_what_logging_prints_for_a_loop(tenacity: types.ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test_tenacity_switches")
    retrying = tenacity.Retrying(
        name="ws_listener", stop=tenacity.stop_after_attempt(2), before=tenacity.before_log(logger, logging.INFO)
    )
    assert str(retrying) == "ws_listener" and "name='ws_listener'" in repr(retrying)
    assert str(retrying.copy()) == "ws_listener" and str(tenacity.Retrying()) == "<unknown>"
    with caplog.at_level(logging.INFO, logger="test_tenacity_switches"), pytest.raises(tenacity.RetryError):
        for attempt in retrying:
            with attempt:
                raise ConnectionError
    assert [record.getMessage() for record in caplog.records] == [
        "Starting call to 'ws_listener', this is the 1st time calling it.",
        "Starting call to 'ws_listener', this is the 2nd time calling it.",
    ]


def test_a_tornado_coroutine_is_retried_on_the_ioloop(tenacity: types.ModuleType) -> None:
    call = flaky(2)
    slept: list[float] = []

    @gen.coroutine
    def nap(seconds: float) -> Any:
        slept.append(seconds)
        yield gen.moment

    @tenacity.retry(stop=tenacity.stop_after_attempt(5), wait=tenacity.wait_fixed(0.25), sleep=nap)
    @gen.coroutine
    def fetch() -> Any:
        yield gen.moment
        return call()

    assert gen.is_coroutine_function(fetch)
    assert ioloop.IOLoop.current().run_sync(fetch) == 3
    assert slept == [0.25, 0.25] and fetch.statistics["attempt_number"] == 3
    assert isinstance(fetch.retry, tenacity.tornadoweb.TornadoRetrying)


def test_a_retrying_object_with_its_waits_pickles_and_still_retries(tenacity: types.ModuleType) -> None:
    retrying = tenacity.Retrying(
        wait=tenacity.wait_exponential(multiplier=2, max=10) + tenacity.wait_chain(tenacity.wait_fixed(1)),
        stop=tenacity.stop_after_attempt(3),
        retry=tenacity.retry_if_exception_type(ConnectionError),
        sleep=_record_sleep,
    )
    _recorded_sleeps.clear()
    restored = pickle.loads(pickle.dumps(retrying))
    assert restored(flaky(2)) == 3
    assert _recorded_sleeps == [3.0, 5.0]


_recorded_sleeps: list[float] = []


def _record_sleep(seconds: float) -> None:
    """A sleep that records (module level: a pickled sleep is found again by its name)."""
    _recorded_sleeps.append(seconds)
