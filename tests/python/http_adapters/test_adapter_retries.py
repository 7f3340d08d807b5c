"""What the requests and aiohttp adapters retry, how long they wait, and what they return, against a real
server on 127.0.0.1."""

from __future__ import annotations

import email.utils
import time

import pytest

from libbackoff import constant, exponential, set_testing
from libbackoff.http import GiveUp, RetryEvent

# Fixed, small waits: a test that checks a wait compares it with this, or with the server's hint.
QUICK = constant(0.01, jitter="none", max_attempts=4)


def test_a_503_then_a_200_returns_the_200_after_the_policys_wait(adapter, servers, sleep):
    server = servers.start(503, 200)
    answer = adapter(policy=QUICK, sleep=sleep).send("GET", server.url + "/item")
    assert (answer.status, answer.text) == (200, "ok")
    assert server.methods == ["GET", "GET"]
    assert sleep.waits == [0.01]


def test_the_waits_follow_the_policy_and_the_last_response_is_returned(adapter, servers, sleep):
    server = servers.start(503, 502, 504, 503, 200)
    policy = exponential(initial=0.1, multiplier=2, cap=10, jitter="none", max_attempts=4)
    events: list[RetryEvent] = []
    answer = adapter(policy=policy, sleep=sleep, on_giveup=events.append).send("GET", server.url)
    assert answer.status == 503
    assert len(server.received) == 4
    assert sleep.waits == [0.1, 0.2, 0.4]
    assert [(event.give_up, event.attempt, event.reason) for event in events] == [(GiveUp.POLICY, 4, "status 503")]


def test_statuses_outside_the_retried_set_are_returned_at_once(adapter, servers, sleep):
    server = servers.start(500, 404)
    client = adapter(policy=QUICK, sleep=sleep)
    assert [client.send("GET", server.url).status for _ in range(2)] == [500, 404]
    assert len(server.received) == 2 and sleep.waits == []


def test_retry_after_in_seconds_sets_the_wait(adapter, servers, sleep):
    server = servers.start({"status": 429, "headers": {"Retry-After": "3"}}, 200)
    assert adapter(policy=QUICK.replace(cap=60), sleep=sleep).send("GET", server.url).status == 200
    assert sleep.waits == [3.0]


def test_retry_after_as_an_http_date_waits_until_that_time(adapter, servers, sleep):
    sent_at = time.time()
    date = email.utils.formatdate(sent_at + 4, usegmt=True)  # whole seconds: up to 1 s earlier than +4
    server = servers.start({"status": 429, "headers": {"Retry-After": date}}, 200)
    assert adapter(policy=QUICK.replace(cap=60), sleep=sleep).send("GET", server.url).status == 200
    (wait,) = sleep.waits
    assert 4.0 - 1.0 - (time.time() - sent_at) <= wait <= 4.0


def test_retry_after_beyond_the_policys_cap_waits_the_cap(adapter, servers, sleep):
    server = servers.start({"status": 503, "headers": {"Retry-After": "3600"}}, 200)
    assert adapter(policy=QUICK.replace(cap=2), sleep=sleep).send("GET", server.url).status == 200
    assert sleep.waits == [2.0]


def test_a_post_is_not_retried_without_an_idempotency_key(adapter, servers, sleep):
    server = servers.start(503, 200)
    events: list[RetryEvent] = []
    answer = adapter(policy=QUICK, sleep=sleep, on_giveup=events.append).send("POST", server.url, data=b"order")
    assert answer.status == 503
    assert server.methods == ["POST"]
    assert [event.give_up for event in events] == [GiveUp.METHOD]


def test_a_post_with_an_idempotency_key_is_retried_with_its_body(adapter, servers, sleep):
    server = servers.start(503, 200)
    headers = {"Idempotency-Key": "order-17"}
    answer = adapter(policy=QUICK, sleep=sleep).send("POST", server.url, data=b"order", headers=headers)
    assert answer.status == 200
    assert [(r.method, r.body) for r in server.received] == [("POST", b"order")] * 2


def test_a_streamed_body_is_not_sent_again(adapter, servers, sleep):
    server = servers.start(503, 200)
    events: list[RetryEvent] = []
    client = adapter(policy=QUICK, sleep=sleep, on_giveup=events.append)
    assert client.send("PUT", server.url, data=client.stream([b"part 1, ", b"part 2"])).status == 503
    assert [(r.method, r.body) for r in server.received] == [("PUT", b"part 1, part 2")]
    assert [event.give_up for event in events] == [GiveUp.BODY]


def test_a_refused_connection_is_retried_until_the_server_is_up(adapter, servers, free_port):
    server = servers.unstarted(200, port=free_port)
    waits: list[float] = []

    def start_server_instead_of_sleeping(seconds: float) -> None:
        waits.append(seconds)
        server.start()

    # A POST too: a refused connection never reached the server, so sending it again is safe.
    answer = adapter(policy=QUICK, sleep=start_server_instead_of_sleeping).send("POST", server.url, data=b"once")
    assert answer.status == 200
    assert waits == [0.01]
    assert [(r.method, r.body) for r in server.received] == [("POST", b"once")]


def test_when_retries_run_out_the_librarys_own_error_is_raised(adapter, sleep, free_port):
    events: list[RetryEvent] = []
    client = adapter(policy=QUICK.replace(max_attempts=3), sleep=sleep, on_giveup=events.append)
    with pytest.raises(client.connection_error) as raised:
        client.send("GET", f"http://127.0.0.1:{free_port}/")
    assert len(sleep.waits) == 2
    assert events[0].exception is raised.value  # the last attempt's own exception, not a wrapper


def test_a_read_timeout_is_retried(adapter, servers, sleep):
    server = servers.start({"status": 200, "body": b"late", "delay": 2.0}, 200)
    answer = adapter(policy=QUICK, sleep=sleep).send("GET", server.url, timeout=0.5)
    assert (answer.status, answer.text) == (200, "ok")
    assert len(server.received) == 2


def test_testing_mode_with_a_cap_on_attempts_returns_the_first_answer(adapter, servers, sleep):
    server = servers.start(503, 200)
    with set_testing(True, attempts=1):
        answer = adapter(policy=QUICK, sleep=sleep).send("GET", server.url)
    assert answer.status == 503 and len(server.received) == 1 and sleep.waits == []
