"""The httpx transports with an AdaptiveLimiter, against a real server on 127.0.0.1 that throttles: 429
and 503 answers count as throttles and pace the attempts after them; other statuses do not. The limiter
and the transport share a FakeClock, whose sleep moves both on."""

from __future__ import annotations

import anyio
import httpx
import pytest

from libbackoff import AdaptiveLimiter, RateLimitExceeded, constant
from libbackoff.httpx import AsyncRetryTransport, RetryTransport
from libbackoff.testing import FakeClock

EVERY_SECOND = constant(1, jitter="none", max_attempts=4)


@pytest.mark.parametrize("status", [429, 503])
def test_a_throttle_paces_the_next_attempt(servers, status):
    """The throttle at 1000 s sets the bucket to 0.5 tokens/s (nothing measured yet) and capacity 1, empty;
    after the policy's 1 s it holds 0.5 tokens, so the retry waits 1 s more for its token."""
    server = servers.start(status, 200)
    clock = FakeClock()
    limiter = AdaptiveLimiter(clock=clock)
    transport = RetryTransport(policy=EVERY_SECOND, limiter=limiter, sleep=clock.sleep)
    with httpx.Client(transport=transport) as http:
        assert http.get(server.url).status_code == 200
    assert len(server.received) == 2
    assert clock.sleeps == [1.0, 1.0]  # the policy's delay, then the limiter's wait
    assert limiter.enabled
    # The 200 at 1002 s: measured 0.8 * 2/2.0 = 0.8; the curve 0.4 * 2^3 + 0 = 3.2, capped at 2 * 0.8.
    assert limiter.fill_rate == pytest.approx(1.6)


def test_other_statuses_are_not_throttles(servers):
    server = servers.start(500, 502, 200)
    clock = FakeClock()
    limiter = AdaptiveLimiter(clock=clock)
    policy = constant(1, jitter="none", max_attempts=4)
    transport = RetryTransport(policy=policy, limiter=limiter, sleep=clock.sleep, retry_statuses={500, 502})
    with httpx.Client(transport=transport) as http:
        assert http.get(server.url).status_code == 200
    assert clock.sleeps == [1.0, 1.0]  # the policy's delays only
    assert not limiter.enabled


def test_a_fail_fast_limiter_raises_before_sending(servers):
    server = servers.start(429, 200)
    clock = FakeClock()
    limiter = AdaptiveLimiter(fail_fast=True, clock=clock)
    transport = RetryTransport(policy=EVERY_SECOND, limiter=limiter, sleep=clock.sleep)
    with httpx.Client(transport=transport) as http, pytest.raises(RateLimitExceeded) as refused:
        http.get(server.url)
    assert len(server.received) == 1  # the retry was never sent
    assert refused.value.wait == 1.0


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_async_transport_awaits_the_limiters_wait(servers, backend):
    server = servers.start(429, 200)
    clock = FakeClock()
    limiter = AdaptiveLimiter(clock=clock)
    transport = AsyncRetryTransport(policy=EVERY_SECOND, limiter=limiter, sleep=clock.async_sleep)

    async def get() -> int:
        async with httpx.AsyncClient(transport=transport) as http:
            return (await http.get(server.url)).status_code

    assert anyio.run(get, backend=backend) == 200
    assert clock.sleeps == [1.0, 1.0]


def test_a_limiter_of_the_wrong_type_is_refused():
    with pytest.raises(TypeError, match="limiter: expected a libbackoff AdaptiveLimiter"):
        RetryTransport(limiter="fast")  # type: ignore[typeddict-item]
