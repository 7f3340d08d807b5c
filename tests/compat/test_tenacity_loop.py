"""tenacity's retry loop in our drop-in: the order of hooks, patching a decorated function's strategies,
and concurrent calls, against tenacity and our drop-in."""

from __future__ import annotations

import asyncio
import threading
import types
from typing import Any

import pytest


def test_hooks_run_in_tenacitys_order(tenacity: types.ModuleType) -> None:
    events: list[str] = []

    def hook(name: str) -> Any:
        return lambda state: events.append(f"{name}{state.attempt_number}")

    def wait(state: Any) -> float:
        events.append(f"wait{state.attempt_number}")
        return 0.5

    def stop(state: Any) -> bool:
        events.append(f"stop{state.attempt_number}")
        return state.attempt_number >= 2

    retrying = tenacity.Retrying(
        sleep=lambda seconds: events.append(f"sleep{seconds}"),
        wait=wait,
        stop=stop,
        before=hook("before"),
        after=hook("after"),
        before_sleep=hook("before_sleep"),
    )
    with pytest.raises(tenacity.RetryError):
        retrying(lambda: 1 / 0)
    assert events == [
        "before1", "after1", "wait1", "stop1", "before_sleep1", "sleep0.5",
        "before2", "after2", "wait2", "stop2",
    ]  # fmt: skip
    assert retrying.statistics["attempt_number"] == 2 and retrying.statistics["idle_for"] == 0.5


def test_patching_the_retry_strategy_of_a_decorated_function_takes_effect(tenacity: types.ModuleType) -> None:
    results = iter([None, None, "ready"])

    @tenacity.retry(stop=tenacity.stop_after_attempt(5))
    def poll() -> Any:
        return next(results)

    assert poll() is None  # exceptions only: a returned None is final
    poll.retry.retry = tenacity.retry_if_result(lambda value: value is None)
    assert poll() == "ready"
    assert poll.statistics["attempt_number"] == 2


def test_patching_before_of_a_decorated_function_takes_effect(tenacity: types.ModuleType) -> None:
    seen: list[int] = []

    @tenacity.retry
    def succeed() -> str:
        return "ok"

    succeed()
    succeed.retry.before = lambda state: seen.append(state.attempt_number)
    assert succeed() == "ok" and seen == [1]


def test_one_retrying_object_serves_concurrent_calls(tenacity: types.ModuleType) -> None:
    retrying = tenacity.Retrying(stop=tenacity.stop_after_attempt(4), sleep=lambda seconds: None)
    start = threading.Barrier(8)
    counts: list[int] = []

    def worker(failures: int) -> None:
        start.wait()
        calls = 0

        def flaky() -> int:
            nonlocal calls
            calls += 1
            if calls <= failures:
                raise OSError
            return calls

        counts.append(retrying(flaky))

    threads = [threading.Thread(target=worker, args=(n % 3,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == sorted(n % 3 + 1 for n in range(8))


def test_async_retrying_awaits_async_strategies(tenacity: types.ModuleType) -> None:
    async def too_small(value: int) -> bool:
        return value < 3

    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def run() -> int:
        attempts = 0
        async for attempt in tenacity.AsyncRetrying(
            retry=tenacity.asyncio.retry_if_result(too_small), wait=tenacity.wait_fixed(0.25), sleep=sleep
        ):
            with attempt:
                attempts += 1
            attempt.retry_state.set_result(attempts)
        return attempts

    assert asyncio.run(run()) == 3
    assert slept == [0.25, 0.25]


def test_reraise_raises_the_last_exception_not_retry_error(tenacity: types.ModuleType) -> None:
    @tenacity.retry(stop=tenacity.stop_after_attempt(2), reraise=True, sleep=lambda seconds: None)
    def broken() -> None:
        raise KeyError("gone")

    with pytest.raises(KeyError, match="gone"):
        broken()
    assert broken.statistics["attempt_number"] == 2
