"""RetryTransport against a real server on 127.0.0.1: what is retried, how long it waits, what it returns."""

from __future__ import annotations

import email.utils
import logging
import time

import httpx
import pytest

import libbackoff
from libbackoff import constant, exponential
from libbackoff.httpx import GiveUp, RetryEvent, RetryTransport

# Fixed, small waits: a test that checks a wait compares it with this, or with the server's hint.
QUICK = constant(0.01, jitter="none", max_attempts=4)


def client(**options: object) -> httpx.Client:
    return httpx.Client(transport=RetryTransport(**options))  # type: ignore[arg-type]


def test_a_503_then_a_200_returns_the_200_after_one_wait(servers, sleep):
    server = servers.start(503, 200)
    with client(policy=QUICK, sleep=sleep) as http:
        response = http.get(server.url + "/item")
    assert (response.status_code, response.text) == (200, "ok")
    assert server.methods == ["GET", "GET"]
    assert sleep.waits == [0.01]


def test_every_default_status_is_retried_and_others_are_not(servers, sleep):
    server = servers.start(429, 502, 503, 504, 200, 500, 404)
    policy = constant(0.01, jitter="none", max_attempts=9)
    with client(policy=policy, sleep=sleep) as http:
        assert http.get(server.url).status_code == 200
        assert http.get(server.url).status_code == 500
        assert http.get(server.url).status_code == 404
    assert len(server.received) == 7
    assert len(sleep.waits) == 4


def test_retry_after_in_seconds_sets_the_wait(servers, sleep):
    server = servers.start({"status": 429, "headers": {"Retry-After": "3"}}, 200)
    with client(policy=QUICK.replace(cap=60), sleep=sleep) as http:
        assert http.get(server.url).status_code == 200
    assert sleep.waits == [3.0]


def test_retry_after_as_an_http_date_waits_until_that_time(servers, sleep):
    sent_at = time.time()
    date = email.utils.formatdate(sent_at + 4, usegmt=True)  # whole seconds: up to 1 s earlier than +4
    server = servers.start({"status": 503, "headers": {"Retry-After": date}}, 200)
    with client(policy=QUICK.replace(cap=60), sleep=sleep) as http:
        assert http.get(server.url).status_code == 200
    (wait,) = sleep.waits
    assert 4.0 - 1.0 - (time.time() - sent_at) <= wait <= 4.0


def test_retry_after_is_a_floor_under_the_policy_and_capped_by_it(servers, sleep):
    server = servers.start(
        {"status": 503, "headers": {"Retry-After": "0"}},
        {"status": 503, "headers": {"Retry-After": "3600"}},
        200,
    )
    policy = constant(0.5, jitter="none", cap=2, max_attempts=4)
    with client(policy=policy, sleep=sleep) as http:
        assert http.get(server.url).status_code == 200
    assert sleep.waits == [0.5, 2.0]


@pytest.mark.parametrize("value", ["soon", "-5", "1.5", "Sun, 30 Feb 2025 08:49:37 GMT", "9" * 400])
def test_a_malformed_or_absurd_retry_after_falls_back_on_the_policy(servers, sleep, value):
    server = servers.start({"status": 503, "headers": {"Retry-After": value}}, 200)
    with client(policy=QUICK.replace(cap=1), sleep=sleep) as http:
        assert http.get(server.url).status_code == 200
    # A huge value saturates and is capped; a malformed one is no hint at all.
    assert sleep.waits == ([1.0] if value.isdigit() else [0.01])


def test_respect_retry_after_false_ignores_the_header(servers, sleep):
    server = servers.start({"status": 503, "headers": {"Retry-After": "3"}}, 200)
    with client(policy=QUICK.replace(cap=60), respect_retry_after=False, sleep=sleep) as http:
        assert http.get(server.url).status_code == 200
    assert sleep.waits == [0.01]


def test_a_refused_connection_is_retried_until_the_server_is_up(servers, free_port):
    server = servers.unstarted(200, port=free_port)
    waits = []

    def start_server_instead_of_sleeping(seconds):
        waits.append(seconds)
        server.start()

    with client(policy=QUICK, sleep=start_server_instead_of_sleeping) as http:
        response = http.get(server.url)
    assert response.status_code == 200
    assert len(waits) == 1
    assert server.methods == ["GET"]


def test_a_read_timeout_is_retried(servers, sleep):
    server = servers.start({"status": 200, "body": b"late", "delay": 2.0}, 200)
    timeout = httpx.Timeout(5.0, read=0.5)  # the second reply comes at once: far within it, even on a busy machine
    with httpx.Client(transport=RetryTransport(policy=QUICK, sleep=sleep), timeout=timeout) as http:
        response = http.get(server.url)
    assert response.text == "ok"
    assert len(sleep.waits) == 1


def test_a_post_is_not_retried(servers, sleep):
    server = servers.start(503, 200)
    events: list[RetryEvent] = []
    with client(policy=QUICK, sleep=sleep, on_giveup=events.append) as http:
        response = http.post(server.url, json={"order": 1})
    assert response.status_code == 503
    assert server.methods == ["POST"]
    assert sleep.waits == []
    assert [(event.give_up, event.attempt, event.reason) for event in events] == [(GiveUp.METHOD, 1, "status 503")]


def test_a_post_with_an_idempotency_key_is_retried_with_the_same_body(servers, sleep):
    server = servers.start(503, 200)
    with client(policy=QUICK, sleep=sleep) as http:
        response = http.post(server.url, content=b"pay 10", headers={"Idempotency-Key": "k-42"})
    assert response.status_code == 200
    assert [(r.method, r.body, r.headers["Idempotency-Key"]) for r in server.received] == [
        ("POST", b"pay 10", "k-42"),
        ("POST", b"pay 10", "k-42"),
    ]


def test_post_is_retried_when_opted_in(servers, sleep):
    server = servers.start(503, 200)
    with client(policy=QUICK, sleep=sleep, retry_methods={"GET", "post"}) as http:
        assert http.post(server.url, data={"a": "1"}).status_code == 200
    assert server.methods == ["POST", "POST"]


def test_a_post_that_never_reached_the_server_is_retried(servers, sleep, free_port):
    server = servers.unstarted(200, port=free_port)
    with client(policy=QUICK, sleep=lambda seconds: server.start()) as http:
        assert http.post(server.url, content=b"once").status_code == 200
    assert [(r.method, r.body) for r in server.received] == [("POST", b"once")]


def test_a_streaming_body_is_not_retried(servers, sleep):
    server = servers.start(503, 200)
    events: list[RetryEvent] = []

    def chunks():
        yield b"part 1, "
        yield b"part 2"

    with client(policy=QUICK, sleep=sleep, on_giveup=events.append) as http:
        response = http.put(server.url, content=chunks())
    assert response.status_code == 503
    assert [r.body for r in server.received] == [b"part 1, part 2"]
    assert [event.give_up for event in events] == [GiveUp.BODY]


def test_when_retries_run_out_the_last_response_is_returned(servers, sleep):
    server = servers.start(503, 502, 504, 200)
    events: list[RetryEvent] = []
    with client(policy=QUICK.replace(max_attempts=3), sleep=sleep, on_giveup=events.append) as http:
        response = http.get(server.url)
    assert response.status_code == 504
    assert response.text == "ok"  # the body of the returned response is still readable
    assert len(server.received) == 3
    assert [(event.give_up, event.attempt, event.reason) for event in events] == [(GiveUp.POLICY, 3, "status 504")]


def test_when_retries_run_out_the_original_error_is_raised(sleep, free_port):
    events: list[RetryEvent] = []
    with client(policy=QUICK.replace(max_attempts=3), sleep=sleep, on_giveup=events.append) as http:
        with pytest.raises(httpx.ConnectError) as raised:
            http.get(f"http://127.0.0.1:{free_port}/")
    assert len(sleep.waits) == 2
    assert events[0].exception is raised.value  # the third attempt's own exception, not a wrapper


def test_a_failed_response_is_closed_before_the_retry(servers, sleep):
    server = servers.start(503, 503, 200)
    seen: list[httpx.Response] = []
    closed_when_sending: list[list[bool]] = []

    class Recording(httpx.HTTPTransport):
        def handle_request(self, request):
            closed_when_sending.append([response.is_closed for response in seen])
            response = super().handle_request(request)
            seen.append(response)
            return response

    with httpx.Client(transport=RetryTransport(Recording(), policy=QUICK, sleep=sleep)) as http:
        with http.stream("GET", server.url) as final:
            assert closed_when_sending == [[], [True], [True, True]]
            assert not final.is_closed
            assert final.read() == b"ok"


def test_hooks_see_each_retry_with_its_attempt_delay_and_reason(servers, sleep, free_port):
    server = servers.unstarted(503, 200, port=free_port)
    retries: list[RetryEvent] = []
    policy = exponential(initial=0.1, jitter="none", max_attempts=4)

    def sleep_and_start(seconds):
        sleep(seconds)
        if server.received == [] and len(sleep.waits) == 1:
            server.start()

    with client(policy=policy, sleep=sleep_and_start, on_retry=retries.append) as http:
        assert http.get(server.url + "/x").status_code == 200
    assert [(event.attempt, event.reason, event.delay, event.give_up) for event in retries] == [
        (1, "ConnectError", 0.1, None),
        (2, "status 503", 0.2, None),
    ]
    assert isinstance(retries[0].exception, httpx.ConnectError) and retries[0].response is None
    assert retries[1].response is not None and retries[1].response.status_code == 503
    assert retries[1].request.url == server.url + "/x"


def test_retries_and_giving_up_are_logged_without_the_query(servers, sleep, caplog):
    server = servers.start(503, 503)
    caplog.set_level(logging.INFO, logger="libbackoff.httpx")
    with client(policy=QUICK.replace(max_attempts=2), sleep=sleep) as http:
        http.get(server.url + "/path?token=secret")
    records = [(record.levelname, record.getMessage()) for record in caplog.records]
    assert records == [
        ("INFO", f"GET {server.url}/path: attempt 1 failed (status 503); retrying in 0.010 s"),
        (
            "WARNING",
            f"GET {server.url}/path: attempt 2 failed (status 503); not retried: the policy's attempts or time"
            " are used up",
        ),
    ]


def test_testing_mode_retries_without_waiting(servers):
    server = servers.start(503, 200)
    with libbackoff.set_testing(), client(policy=constant(30, jitter="none", max_attempts=2)) as http:
        started = time.monotonic()
        assert http.get(server.url).status_code == 200
        assert time.monotonic() - started < 10
    assert len(server.received) == 2


def test_without_testing_mode_the_transport_really_waits(servers):
    server = servers.start(503, 200)
    with client(policy=constant(0.3, jitter="none", max_attempts=2)) as http:
        started = time.monotonic()
        assert http.get(server.url).status_code == 200
        assert time.monotonic() - started >= 0.3


def test_an_error_that_is_not_transient_is_raised_at_once(sleep):
    with client(policy=QUICK, sleep=sleep) as http, pytest.raises(httpx.UnsupportedProtocol):
        http.get("ftp://127.0.0.1/")
    assert sleep.waits == []
