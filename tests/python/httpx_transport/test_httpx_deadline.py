"""The transports' deadline: a request's retries end by a limit counted from its first attempt, against a
real server on 127.0.0.1 and a fake clock that the waits move."""

from __future__ import annotations

import anyio
import httpx
import pytest

from libbackoff import constant
from libbackoff.httpx import AsyncRetryTransport, GiveUp, RetryEvent, RetryTransport
from libbackoff.testing import FakeClock

EVERY_SECOND = constant(1, jitter="none", max_attempts=10)


def test_a_request_gives_up_when_the_next_wait_would_pass_its_deadline(servers) -> None:
    server = servers.start(503, 503, 503, 503, 503)
    clock = FakeClock()
    events: list[RetryEvent] = []
    transport = RetryTransport(policy=EVERY_SECOND, deadline=2.5, clock=clock, sleep=clock.sleep, on_giveup=events.append)
    with httpx.Client(transport=transport) as http:
        response = http.get(server.url)
    assert response.status_code == 503  # the last response is returned, as on giving up
    assert len(server.received) == 3  # at 1000, 1001 and 1002; a wait to 1003 would pass 1002.5
    assert clock.sleeps == [1.0, 1.0]
    assert [event.give_up for event in events] == [GiveUp.DEADLINE]


def test_the_deadline_counts_from_each_requests_own_start(servers) -> None:
    server = servers.start(503, 503, 503, 503)
    clock = FakeClock()
    transport = RetryTransport(policy=EVERY_SECOND, deadline=1.5, clock=clock, sleep=clock.sleep)
    with httpx.Client(transport=transport) as http:
        assert http.get(server.url).status_code == 503
        assert http.get(server.url).status_code == 503
    assert len(server.received) == 4  # two attempts each


def test_the_async_transport_keeps_the_deadline(servers) -> None:
    server = servers.start(503, 503, 503, 503)
    clock = FakeClock()

    async def get() -> int:
        transport = AsyncRetryTransport(policy=EVERY_SECOND, deadline=1.5, clock=clock, sleep=clock.async_sleep)
        async with httpx.AsyncClient(transport=transport) as http:
            return (await http.get(server.url)).status_code

    assert anyio.run(get) == 503
    assert len(server.received) == 2


@pytest.mark.parametrize("value", [-1, "soon"])
def test_a_bad_deadline_is_rejected_naming_it(value: object) -> None:
    with pytest.raises(ValueError, match="deadline"):
        RetryTransport(deadline=value)  # type: ignore[arg-type]
