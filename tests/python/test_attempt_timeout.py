"""attempt_timeout=: an async attempt still running at its timeout is cancelled (asyncio and trio), fails
with AttemptTimeout, is retried like any failure and is charged to a budget as a timeout."""

from __future__ import annotations

import asyncio
import math

import pytest
import trio

import libbackoff as lb

NO_WAIT = lb.constant(0, jitter="none", max_attempts=3)


class Hangs:
    """An attempt that hangs the first `hangs` times (recording its cancellation), then returns "ok"."""

    def __init__(self, hangs: int, sleep) -> None:
        self.hangs, self.sleep = hangs, sleep
        self.calls = 0
        self.cancelled = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.calls > self.hangs:
            return "ok"
        try:
            await self.sleep(3600)
        except BaseException:  # asyncio.CancelledError or trio.Cancelled
            self.cancelled += 1
            raise
        return "woke up"


def test_an_asyncio_attempt_past_its_timeout_is_cancelled_and_retried() -> None:
    attempt = Hangs(1, asyncio.sleep)
    retried = lb.retry(wait=NO_WAIT, attempt_timeout=0.05)(attempt.__call__)
    assert asyncio.run(retried()) == "ok"
    assert (attempt.calls, attempt.cancelled) == (2, 1)
    assert retried.statistics.attempt_number == 2


def test_a_trio_attempt_past_its_timeout_is_cancelled_and_retried() -> None:
    attempt = Hangs(1, trio.sleep)
    retried = lb.AsyncRetrying(wait=NO_WAIT, attempt_timeout=0.05).wraps(attempt.__call__)
    assert trio.run(retried) == "ok"
    assert (attempt.calls, attempt.cancelled) == (2, 1)


@pytest.mark.parametrize("run, sleep", [(lambda fn: asyncio.run(fn()), asyncio.sleep), (trio.run, trio.sleep)])
def test_the_last_timed_out_attempt_raises_attempt_timeout(run, sleep) -> None:
    attempt = Hangs(10, sleep)
    retried = lb.retry(wait=NO_WAIT, attempt_timeout=0.05)(attempt.__call__)
    with pytest.raises(lb.AttemptTimeout) as raised:
        run(retried)
    assert isinstance(raised.value, TimeoutError)
    assert raised.value.timeout == 0.05
    assert (attempt.calls, attempt.cancelled) == (3, 3)


def test_a_timed_out_attempt_is_charged_the_budgets_timeout_cost() -> None:
    budget = lb.RetryBudget(capacity=100, retry_cost=5, timeout_cost=10)
    balances: list[float] = []
    attempt = Hangs(1, asyncio.sleep)
    retried = lb.retry(
        wait=NO_WAIT, attempt_timeout=0.05, budget=budget, before_sleep=lambda state: balances.append(budget.balance)
    )(attempt.__call__)
    assert asyncio.run(retried()) == "ok"
    assert balances == [90]  # held while the retry waited; refunded when it succeeded
    assert budget.balance == 100


def test_an_attempts_own_timeout_error_is_not_taken_for_the_timeout() -> None:
    calls = []

    @lb.retry(wait=NO_WAIT, attempt_timeout=10, retry=ConnectionError)
    async def times_out_by_itself() -> None:
        calls.append(1)
        raise TimeoutError("the server's own")

    with pytest.raises(TimeoutError, match="the server's own") as raised:
        asyncio.run(times_out_by_itself())
    assert not isinstance(raised.value, lb.AttemptTimeout)
    assert calls == [1]


def test_a_sync_retry_loop_refuses_an_attempt_timeout() -> None:
    with pytest.raises(TypeError, match="attempt_timeout: only an async attempt can be cancelled"):
        lb.Retrying(attempt_timeout=1)

    with pytest.raises(TypeError, match="attempt_timeout"):

        @lb.retry(attempt_timeout=1)
        def plain() -> None:
            pass


def test_an_async_for_loop_refuses_an_attempt_timeout() -> None:
    async def loop() -> None:
        async for attempt in lb.AsyncRetrying(attempt_timeout=1):
            with attempt:
                pass

    with pytest.raises(TypeError, match="attempt_timeout"):
        asyncio.run(loop())


@pytest.mark.parametrize("value, error", [(-1, ValueError), (math.nan, ValueError), ("x", ValueError), ([], TypeError)])
def test_a_bad_attempt_timeout_is_rejected_naming_it(value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="attempt_timeout"):
        lb.AsyncRetrying(attempt_timeout=value)  # type: ignore[arg-type]


def test_zero_means_no_timeout() -> None:
    assert lb.AsyncRetrying(attempt_timeout=0).attempt_timeout is None
