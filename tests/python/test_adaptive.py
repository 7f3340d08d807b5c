"""AdaptiveLimiter (AWS adaptive retry mode) through Python: the core's constants on the scripted sequence
of tests/core/adaptive_limiter_test.cpp (worked out by hand there), its waits plain and awaited, fail-fast
mode, and the retry loops that pace every attempt with it. Virtual time: a FakeClock starting at 1000 s
(a whole number of the limiter's half-second buckets, so the sequence's buckets are the same)."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from libbackoff import (
    AdaptiveLimiter,
    AsyncRetrying,
    RateLimitExceeded,
    Retrying,
    constant,
    retry,
)
from libbackoff.testing import FakeClock

#: (1 - 0.5 tokens) / 1.792 tokens a second, rounded up to the nanosecond by the core.
FIRST_WAIT = 0.279017858
EVERY_SECOND = constant(1, jitter="none", max_attempts=4)


class Throttled(Exception):
    pass


def throttling(exc: Exception) -> str | None:
    return "throttling" if isinstance(exc, Throttled) else None


def throttled_once(clock: FakeClock, fail_fast: bool = False) -> AdaptiveLimiter:
    """Successes at 0, 0.25 and 0.5 s, a throttle at 1 s: fill rate and capacity 0.7 * 2.56 = 1.792,
    0.5 tokens."""
    limiter = AdaptiveLimiter(fail_fast=fail_fast, clock=clock)
    for offset, throttled in ((0.0, False), (0.25, False), (0.5, False), (1.0, True)):
        clock.now = 1000.0 + offset
        limiter.record(throttled)
    return limiter


def failing(*errors: Exception) -> Any:
    """An operation that raises each of ``errors`` in turn, then returns "ok"."""
    pending = iter(errors)

    def op() -> str:
        for error in pending:
            raise error
        return "ok"

    return op


def test_the_aws_constants_on_the_scripted_sequence():
    clock = FakeClock()
    limiter = throttled_once(clock)
    assert limiter.enabled
    assert limiter.fill_rate == pytest.approx(1.792)
    assert limiter.measured_rate == pytest.approx(2.56)
    assert limiter.capacity == pytest.approx(1.792)
    assert limiter.tokens == pytest.approx(0.5)
    assert limiter.acquire() == FIRST_WAIT  # nothing taken
    clock.now += FIRST_WAIT
    assert limiter.acquire() == 0.0  # the token is there now, and taken
    clock.now = 1002.0
    limiter.record(False)  # measured 0.8 * 1/1.0 + 0.2 * 2.56; the curve at 1 s after the cut
    assert limiter.measured_rate == pytest.approx(1.312)
    assert limiter.fill_rate == pytest.approx(2.554268015584957)


def test_nothing_waits_before_the_first_throttle():
    clock = FakeClock()
    limiter = AdaptiveLimiter(clock=clock)
    for _ in range(100):
        assert limiter.acquire() == 0.0
        limiter.record(False)
    assert not limiter.enabled


def test_wait_sleeps_on_the_clock_until_it_takes_a_token():
    clock = FakeClock()
    limiter = throttled_once(clock)
    limiter.wait()
    assert clock.sleeps == [FIRST_WAIT]
    assert limiter.tokens == pytest.approx(0.0, abs=1e-8)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_wait_async_waits_in_the_event_loop_too(backend):
    clock = FakeClock()
    limiter = throttled_once(clock)
    anyio.run(limiter.wait_async, backend=backend)
    assert clock.sleeps == [FIRST_WAIT]


def test_fail_fast_raises_with_the_wait_and_takes_nothing():
    clock = FakeClock()
    limiter = throttled_once(clock, fail_fast=True)
    with pytest.raises(RateLimitExceeded) as refused:
        limiter.acquire()
    assert refused.value.wait == FIRST_WAIT
    assert "client-side limit" in str(refused.value)
    assert limiter.tokens == pytest.approx(0.5)


def test_bad_arguments_name_the_parameter():
    with pytest.raises(TypeError, match="fail_fast"):
        AdaptiveLimiter(fail_fast=1)  # type: ignore[arg-type]
    limiter = AdaptiveLimiter()
    with pytest.raises(TypeError, match="throttled"):
        limiter.record(1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="limiter"):
        Retrying(limiter=object())  # type: ignore[typeddict-item]


def test_retry_paces_every_attempt_and_records_throttles():
    """The first attempt waits for its token; the throttle cuts the rate to 0.7 * 1.792; the retry after
    1 s finds a token (0 + 1.0 * 1.2544 >= 1) and succeeds, which grows the rate again."""
    clock = FakeClock()
    limiter = throttled_once(clock)
    op = retry(wait=EVERY_SECOND, clock=clock, limiter=limiter, budget_cost=throttling)(failing(Throttled()))
    assert op() == "ok"
    assert clock.sleeps == [FIRST_WAIT, 1.0]
    assert op.statistics["attempt_number"] == 2
    # Both responses counted: at 1002.28 s (bucket 2004) measured = 0.8 * 2/1.0 + 0.2 * 2.56.
    assert limiter.measured_rate == pytest.approx(2.112)
    assert limiter.fill_rate > 0.7 * 1.792


def test_without_budget_cost_no_failure_is_a_throttle():
    clock = FakeClock()
    limiter = AdaptiveLimiter(clock=clock)
    assert retry(wait=EVERY_SECOND, clock=clock, limiter=limiter)(failing(Throttled()))() == "ok"
    assert not limiter.enabled
    assert retry(wait=EVERY_SECOND, clock=clock, limiter=limiter, budget_cost=throttling)(failing(Throttled()))()
    assert limiter.enabled


def test_a_for_attempt_loop_is_paced_too():
    clock = FakeClock()
    limiter = throttled_once(clock)
    for attempt in Retrying(wait=EVERY_SECOND, clock=clock, limiter=limiter):
        with attempt:
            pass
    assert clock.sleeps == [FIRST_WAIT]


def test_a_fail_fast_limiter_refuses_the_first_attempt_with_no_token():
    clock = FakeClock()
    limiter = throttled_once(clock, fail_fast=True)
    with pytest.raises(RateLimitExceeded) as refused:
        retry(wait=EVERY_SECOND, clock=clock, limiter=limiter)(failing())()
    assert refused.value.wait == FIRST_WAIT
    assert refused.value.__cause__ is None  # no attempt was made


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_retry_awaits_the_limiters_waits(backend):
    clock = FakeClock()
    limiter = throttled_once(clock)
    attempts = []

    async def op() -> str:
        attempts.append(clock.now)
        if len(attempts) == 1:
            raise Throttled()
        return "ok"

    loop = AsyncRetrying(wait=EVERY_SECOND, clock=clock, sleep=clock.async_sleep, limiter=limiter, budget_cost=throttling)
    assert anyio.run(loop, op, backend=backend) == "ok"
    assert clock.sleeps == [FIRST_WAIT, 1.0]
    assert attempts == [pytest.approx(1001.0 + FIRST_WAIT), pytest.approx(1002.0 + FIRST_WAIT)]
