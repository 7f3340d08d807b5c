"""@retry and AsyncRetrying on coroutines, on asyncio and on trio."""

from __future__ import annotations

import asyncio
import sys

import anyio
import pytest

import libbackoff as lb

pytestmark = pytest.mark.anyio


def fixed(seconds: float = 1.0, **kwargs: object) -> lb.Policy:
    return lb.constant(seconds, jitter="none", **kwargs)  # type: ignore[arg-type]


async def test_decorated_coroutine_retries_until_success(fake_clock, make_async_flaky):
    flaky = make_async_flaky(2)

    @lb.retry(wait=fixed(0.5), sleep=fake_clock.async_sleep)
    async def call(x: int) -> object:
        return await flaky(x)

    assert await call(1) == "ok"
    assert flaky.calls == 3
    assert fake_clock.sleeps == [0.5, 0.5]
    assert dict(call.statistics) == {"attempt_number": 3, "idle_for": 1.0}


async def test_bare_decorator_sleeps_in_the_running_event_loop(make_async_flaky):
    flaky = make_async_flaky(1)

    @lb.retry
    async def call() -> object:
        return await flaky()

    assert call.retry.policy.kind is lb.Kind.EXPONENTIAL
    with anyio.fail_after(5):
        assert await call.retry_with(wait=lb.constant(0.001))() == "ok"
    assert flaky.calls == 2


async def test_giving_up_reraises_the_last_exception(fake_clock, make_async_flaky):
    flaky = make_async_flaky(9)
    call = lb.retry(wait=fixed(), max_attempts=3, sleep=fake_clock.async_sleep)(flaky.__call__)
    with pytest.raises(ConnectionError, match="failure 3"):
        await call()
    assert flaky.calls == 3


async def test_reraise_false_raises_retry_error(fake_clock, make_async_flaky):
    call = lb.retry(max_attempts=2, reraise=False, sleep=fake_clock.async_sleep)(make_async_flaky(9).__call__)
    with pytest.raises(lb.RetryError) as raised:
        await call()
    assert raised.value.last_attempt.attempt_number == 2


async def test_result_predicate_and_permanent_errors(fake_clock, make_async_flaky):
    results = iter([None, 7])

    async def produce() -> object:
        return next(results)

    assert await lb.retry(retry_if_result=lambda v: v is None, sleep=fake_clock.async_sleep)(produce)() == 7
    flaky = make_async_flaky(3, error=PermissionError)
    with pytest.raises(PermissionError):
        await lb.retry(permanent=PermissionError, sleep=fake_clock.async_sleep)(flaky.__call__)()
    assert flaky.calls == 1


async def test_hooks_and_hints(fake_clock, make_async_flaky):
    class Throttled(Exception):
        retry_after = 3.0

    seen = []
    flaky = make_async_flaky(1, error=Throttled)
    call = lb.retry(
        wait=fixed(),
        sleep=fake_clock.async_sleep,
        before_sleep=lambda s: seen.append(("sleep", s.attempt_number, s.upcoming_sleep)),
        on_success=lambda s: seen.append(("success", s.attempt_number, s.idle_for)),
    )(flaky.__call__)
    assert await call() == "ok"
    assert seen == [("sleep", 1, 3.0), ("success", 2, 3.0)]


async def test_async_retrying_runs_a_coroutine_function(fake_clock, make_async_flaky):
    assert await lb.AsyncRetrying(sleep=fake_clock.async_sleep)(make_async_flaky(2).__call__, "x") == "ok"


async def test_async_attempt_loop(fake_clock, make_async_flaky):
    flaky = make_async_flaky(2)
    numbers = []
    async for attempt in lb.AsyncRetrying(wait=fixed(), sleep=fake_clock.async_sleep):
        with attempt:
            numbers.append(attempt.retry_state.attempt_number)
            await flaky()
    assert numbers == [1, 2, 3]
    assert fake_clock.sleeps == [1.0, 1.0]


async def test_async_attempt_loop_gives_up(fake_clock):
    with pytest.raises(ValueError, match="no"):
        async for attempt in lb.AsyncRetrying(max_attempts=2, sleep=fake_clock.async_sleep):
            with attempt:
                raise ValueError("no")


async def test_async_attempt_loop_sleeps_in_the_running_event_loop(make_async_flaky):
    flaky = make_async_flaky(1)
    with anyio.fail_after(5):
        async for attempt in lb.AsyncRetrying(wait=lb.constant(0.001)):
            with attempt:
                await flaky()
    assert flaky.calls == 2


async def test_cancellation_during_the_wait_is_not_retried(make_async_flaky):
    flaky = make_async_flaky(100)
    call = lb.retry(wait=fixed(3600))(flaky.__call__)
    with anyio.move_on_after(0.05) as scope:
        await call()
    assert scope.cancelled_caught
    assert flaky.calls == 1


def test_asyncio_cancelled_error_raised_by_the_call_propagates(make_async_flaky):
    flaky = make_async_flaky(3, error=asyncio.CancelledError)

    async def main() -> None:
        with pytest.raises(asyncio.CancelledError):
            await lb.retry(flaky.__call__)()

    asyncio.run(main())
    assert flaky.calls == 1


def test_async_retrying_needs_async_for():
    with pytest.raises(TypeError, match="AsyncRetrying is iterated with 'async for'"):
        iter(lb.AsyncRetrying())


def test_async_retrying_refuses_plain_functions():
    with pytest.raises(TypeError, match="is not a coroutine function: use Retrying or @retry"):
        lb.AsyncRetrying().wraps(print)


def test_without_an_event_loop_the_default_sleep_says_so(monkeypatch):
    monkeypatch.delitem(sys.modules, "trio", raising=False)
    calls = []

    async def failing() -> None:
        calls.append(1)
        raise ConnectionError("down")

    coroutine = lb.retry(wait=lb.constant(0.001))(failing)()
    with pytest.raises(RuntimeError, match="no running asyncio loop or trio run to sleep in"):
        coroutine.send(None)  # driven by hand, outside any event loop
    assert calls == [1]


async def test_the_last_exception_is_not_chained_to_earlier_failures(make_async_flaky):
    with lb.set_testing(), pytest.raises(ConnectionError, match="failure 3") as raised:
        await lb.retry(max_attempts=3)(make_async_flaky(5).__call__)()
    assert raised.value.__context__ is None and raised.value.__cause__ is None
