"""AsyncRetryTransport against a real server on 127.0.0.1, on asyncio and on trio."""

from __future__ import annotations

import email.utils
import time

import anyio
import httpx
import pytest

import libbackoff
from libbackoff import constant
from libbackoff.httpx import AsyncRetryTransport, GiveUp, RetryEvent

pytestmark = pytest.mark.anyio

QUICK = constant(0.01, jitter="none", max_attempts=4)


def client(**options: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=AsyncRetryTransport(**options))  # type: ignore[arg-type]


async def test_a_503_then_a_200_returns_the_200_after_one_wait(servers, sleep):
    server = servers.start(503, 200)
    async with client(policy=QUICK, sleep=sleep.asleep) as http:
        response = await http.get(server.url)
    assert (response.status_code, response.text) == (200, "ok")
    assert server.methods == ["GET", "GET"]
    assert sleep.waits == [0.01]


async def test_retry_after_in_seconds_and_as_a_date_set_the_wait(servers, sleep):
    sent_at = time.time()
    date = email.utils.formatdate(sent_at + 4, usegmt=True)
    server = servers.start(
        {"status": 429, "headers": {"Retry-After": "3"}}, {"status": 503, "headers": {"Retry-After": date}}, 200
    )
    async with client(policy=QUICK.replace(cap=60), sleep=sleep.asleep) as http:
        assert (await http.get(server.url)).status_code == 200
    seconds, until_date = sleep.waits
    assert seconds == 3.0
    assert 4.0 - 1.0 - (time.time() - sent_at) <= until_date <= 4.0


async def test_a_refused_connection_is_retried_until_the_server_is_up(servers, free_port):
    server = servers.unstarted(200, port=free_port)

    async def start_server_instead_of_sleeping(seconds):
        server.start()

    async with client(policy=QUICK, sleep=start_server_instead_of_sleeping) as http:
        assert (await http.get(server.url)).status_code == 200
    assert server.methods == ["GET"]


async def test_a_post_is_not_retried_unless_it_has_an_idempotency_key(servers, sleep):
    server = servers.start(503, 503, 200)
    events: list[RetryEvent] = []
    async with client(policy=QUICK, sleep=sleep.asleep, on_giveup=events.append) as http:
        assert (await http.post(server.url, content=b"x")).status_code == 503
        assert [event.give_up for event in events] == [GiveUp.METHOD]
        keyed = await http.post(server.url, content=b"x", headers={"Idempotency-Key": "k"})
    assert keyed.status_code == 200
    assert server.methods == ["POST", "POST", "POST"]


async def test_when_retries_run_out_the_original_error_is_raised(sleep, free_port):
    events: list[RetryEvent] = []
    async with client(policy=QUICK.replace(max_attempts=2), sleep=sleep.asleep, on_giveup=events.append) as http:
        with pytest.raises(httpx.ConnectError) as raised:
            await http.get(f"http://127.0.0.1:{free_port}/")
    assert events[0].exception is raised.value
    assert len(sleep.waits) == 1


async def test_when_retries_run_out_the_last_response_is_returned_readable(servers, sleep):
    server = servers.start(502, {"status": 503, "body": b"busy"})
    async with client(policy=QUICK.replace(max_attempts=2), sleep=sleep.asleep) as http:
        response = await http.get(server.url)
    assert (response.status_code, response.text) == (503, "busy")


async def test_testing_mode_retries_without_waiting_on_the_event_loop(servers):
    server = servers.start(503, 200)
    with libbackoff.set_testing():
        async with client(policy=constant(30, jitter="none", max_attempts=2)) as http:
            with anyio.fail_after(10):
                assert (await http.get(server.url)).status_code == 200


async def test_the_wait_is_the_event_loops_sleep_and_cancellation_ends_it(servers):
    server = servers.start(503, 200)
    async with client(policy=constant(30, jitter="none", max_attempts=2)) as http:
        with anyio.move_on_after(0.3) as scope:
            await http.get(server.url)
    assert scope.cancelled_caught
    assert server.methods == ["GET"]  # cancelled during the 30 s wait, before the retry
