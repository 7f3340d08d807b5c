"""A saturated Retry-After through the transports with breaker=: the response comes back (or the breaker's
refusal), never a ValueError, and every permit the breaker admitted is settled, the half-open probe's too."""

from __future__ import annotations

import httpx
import pytest

from libbackoff import CircuitBreaker, CircuitState, constant
from libbackoff.httpx import AsyncRetryTransport, CircuitOpenError, RetryTransport

SATURATED = ["99999999999", "9200000000", "Sat, 01 Jan 2300 00:00:00 GMT"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def settled(breaker: CircuitBreaker) -> bool:
    counts = breaker.counts()
    return counts.admitted == counts.successes + counts.failures + counts.ignored + counts.released + counts.stale


@pytest.mark.parametrize("retry_after", SATURATED)
def test_a_saturated_retry_after_opens_the_breaker_for_max_hint_open(servers, sleep, retry_after):
    server = servers.start({"status": 503, "headers": {"Retry-After": retry_after}})
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, open_duration=30, clock=clock)
    transport = RetryTransport(policy=constant(1, cap=10, max_attempts=3), breaker=breaker, sleep=sleep)
    with httpx.Client(transport=transport) as http:
        with pytest.raises(CircuitOpenError) as refused:
            http.get(server.url)
    assert refused.value.retry_after == 3600.0
    assert settled(breaker)
    assert len(server.received) == 1


@pytest.mark.parametrize("retry_after", SATURATED)
def test_a_half_open_probe_answered_with_a_saturated_hint_frees_its_slot(servers, sleep, retry_after):
    server = servers.start(503, {"status": 503, "headers": {"Retry-After": retry_after}}, 200)
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, open_duration=30, clock=clock)
    transport = RetryTransport(policy=constant(1, max_attempts=1), breaker=breaker, sleep=sleep)
    with httpx.Client(transport=transport) as http:
        assert http.get(server.url).status_code == 503  # trips the breaker
        clock.now += 31
        assert http.get(server.url).status_code == 503  # the half-open probe fails with the hint
        assert breaker.state is CircuitState.OPEN
        assert settled(breaker)
        clock.now += 3601  # max_hint_open later the next probe is admitted: no slot leaked
        assert http.get(server.url).status_code == 200
    assert breaker.state is CircuitState.CLOSED
    assert settled(breaker)


@pytest.mark.anyio
async def test_async_a_saturated_retry_after_settles_the_permit(servers, sleep):
    server = servers.start({"status": 429, "headers": {"Retry-After": "99999999999"}})
    breaker = CircuitBreaker(failure_threshold=1, open_duration=30, clock=Clock())
    transport = AsyncRetryTransport(policy=constant(1, max_attempts=3), breaker=breaker, sleep=sleep.asleep)
    async with httpx.AsyncClient(transport=transport) as http:
        with pytest.raises(CircuitOpenError):
            await http.get(server.url)
    assert settled(breaker)


def test_a_transport_that_raises_settles_the_permit(sleep):
    class Broken(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("refused", request=request)

    breaker = CircuitBreaker(failure_threshold=10, clock=Clock())
    transport = RetryTransport(Broken(), policy=constant(1, max_attempts=3), breaker=breaker, sleep=sleep)
    with httpx.Client(transport=transport) as http, pytest.raises(httpx.ConnectError):
        http.get("http://127.0.0.1:9/")
    counts = breaker.counts()
    assert counts.admitted == counts.failures == 3
    assert settled(breaker)
