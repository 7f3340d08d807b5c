"""A server hint at the library's own saturation point caps the wait instead of raising ValueError, in
@retry, Retrying, AsyncRetrying and CircuitBreaker; the breaker holds it for at most max_hint_open."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import anyio
import pytest

from libbackoff import AsyncRetrying, CircuitBreaker, CircuitOpenError, Retrying, constant, retry
from libbackoff.server_hints import hint_ns, parse_retry_after

INT64_MAX = 2**63 - 1
SATURATED = [
    parse_retry_after("99999999999"),  # the parser's own largest value
    parse_retry_after("Sat, 01 Jan 2300 00:00:00 GMT", now=0),  # a date after 2262
    1e12,
    math.inf,
    10**30,
    timedelta.max,
]


class Throttled(Exception):
    def __init__(self, retry_after: Any) -> None:
        super().__init__(f"retry after {retry_after!r}")
        self.retry_after = retry_after


@pytest.mark.parametrize("hint", SATURATED)
def test_a_saturated_hint_is_the_longest_wait_not_an_error(hint: Any) -> None:
    assert hint_ns(hint) == INT64_MAX


@pytest.mark.parametrize("hint", SATURATED)
def test_retry_waits_the_policys_cap_for_a_saturated_hint(hint: Any) -> None:
    waits: list[float] = []
    calls = 0

    @retry(wait=constant(1, cap=30, jitter="none"), max_attempts=2, sleep=waits.append)
    def throttled() -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise Throttled(hint)
        return "ok"

    assert throttled() == "ok"
    assert waits == [30.0]


@pytest.mark.parametrize("hint", SATURATED)
def test_retrying_loop_and_giving_up_keep_the_users_exception(hint: Any) -> None:
    waits: list[float] = []
    with pytest.raises(Throttled):
        for attempt in Retrying(wait=constant(1, cap=5, jitter="none"), max_attempts=2, sleep=waits.append):
            with attempt:
                raise Throttled(hint)
    assert waits == [5.0]


def test_async_retrying_caps_a_saturated_hint() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def main() -> None:
        async for attempt in AsyncRetrying(wait=constant(1, cap=7, jitter="none"), max_attempts=3, sleep=sleep):
            with attempt:
                if len(waits) < 2:
                    raise Throttled(math.inf)

    anyio.run(main)
    assert waits == [7.0, 7.0]


@pytest.mark.parametrize("hint", SATURATED)
def test_retry_on_an_async_function_caps_a_saturated_hint(hint: Any) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    @retry(wait=constant(1, cap=30, jitter="none"), max_attempts=2, sleep=sleep)
    async def throttled() -> str:
        if not waits:
            raise Throttled(hint)
        return "ok"

    assert anyio.run(throttled) == "ok"
    assert waits == [30.0]


@pytest.mark.parametrize("hint", SATURATED)
def test_a_breaker_tripped_with_a_saturated_hint_opens_for_max_hint_open(fake_clock: Any, hint: Any) -> None:
    breaker = CircuitBreaker(failure_threshold=1, open_duration=30, clock=fake_clock)

    @breaker
    def call() -> None:
        raise Throttled(hint)

    with pytest.raises(Throttled):  # the user's exception, not a ValueError
        call()
    with pytest.raises(CircuitOpenError) as refused:
        call()
    assert refused.value.remaining == 3600.0  # the default max_hint_open: an hour
    counts = breaker.counts()
    assert counts.admitted == counts.failures == 1


def test_max_hint_open_sets_the_bound_and_zero_ignores_hints(fake_clock: Any) -> None:
    for bound, expected in ((120, 120.0), (0, 30.0), (timedelta(hours=2), 7200.0)):
        breaker = CircuitBreaker(failure_threshold=1, open_duration=30, max_hint_open=bound, clock=fake_clock)
        breaker.record(breaker.acquire(), "failure", retry_after=9_200_000_000)
        with pytest.raises(CircuitOpenError) as refused:
            breaker.acquire()
        assert refused.value.remaining == expected
    with pytest.raises(ValueError, match="max_hint_open"):
        CircuitBreaker(max_hint_open=-1)


def test_a_nan_or_negative_hint_is_a_bug_named_as_retry_after(fake_clock: Any) -> None:
    breaker = CircuitBreaker(failure_threshold=1, clock=fake_clock)
    for bad in (math.nan, -1.0):
        permit = breaker.acquire()
        with pytest.raises(ValueError, match="retry_after"):
            breaker.record(permit, "failure", retry_after=bad)
        breaker.release(permit)
    with pytest.raises(TypeError, match="retry_after"):
        hint_ns(object())  # type: ignore[arg-type]
