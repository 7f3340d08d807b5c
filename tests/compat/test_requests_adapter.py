"""RetryAdapter against a real HTTP server on 127.0.0.1 (the httpx transport tests' scripted server):
requests, urllib3 and the kernel's sockets are real; only the sleep records its waits instead of waiting."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import pytest
import requests

import libbackoff
from libbackoff import CircuitBreaker, RetryBudget, exponential
from libbackoff.requests import RetryAdapter

POLICY = exponential(initial=0.1, multiplier=2, cap=10, jitter="none", max_attempts=4)


def session_with(sleep: Any, **options: Any) -> requests.Session:
    session = requests.Session()
    session.mount("http://", RetryAdapter(policy=options.pop("policy", POLICY), sleep=sleep, **options))
    return session


def test_503_then_200_is_retried_after_the_policys_wait(servers: Any, sleep: Any) -> None:
    server = servers.start(503, 200)
    response = session_with(sleep).get(server.url + "/items")
    assert response.status_code == 200 and response.text == "ok"
    assert server.methods == ["GET", "GET"]
    assert sleep.waits == [0.1]


def test_the_last_response_is_returned_when_attempts_run_out(servers: Any, sleep: Any) -> None:
    server = servers.start(503, 502, 504, 503, 200)
    response = session_with(sleep).get(server.url)
    assert response.status_code == 503
    assert len(server.received) == 4 and sleep.waits == [0.1, 0.2, 0.4]


def test_retry_after_in_seconds_is_a_floor_under_the_cap(servers: Any, sleep: Any) -> None:
    server = servers.start({"status": 429, "headers": {"Retry-After": "3"}}, 200)
    assert session_with(sleep).get(server.url).status_code == 200
    assert sleep.waits == [3.0]


def test_retry_after_as_an_http_date(servers: Any, sleep: Any) -> None:
    when = email.utils.formatdate(time.time() + 5, usegmt=True)
    server = servers.start({"status": 429, "headers": {"Retry-After": when}}, 200)
    assert session_with(sleep).get(server.url).status_code == 200
    [wait] = sleep.waits
    assert 3.0 <= wait <= 6.0  # the date has whole seconds, and the clock moved on since it was written


def test_retry_after_beyond_the_cap_waits_the_cap(servers: Any, sleep: Any) -> None:
    server = servers.start({"status": 503, "headers": {"Retry-After": "3600"}}, 200)
    assert session_with(sleep).get(server.url).status_code == 200
    assert sleep.waits == [10.0]


def test_post_is_not_retried_without_an_idempotency_key(servers: Any, sleep: Any) -> None:
    server = servers.start(503, 200)
    response = session_with(sleep).post(server.url, data=b"payload")
    assert response.status_code == 503
    assert server.methods == ["POST"] and sleep.waits == []


def test_post_with_an_idempotency_key_is_retried_with_its_body(servers: Any, sleep: Any) -> None:
    server = servers.start(503, 200)
    response = session_with(sleep).post(server.url, json={"a": 1}, headers={"Idempotency-Key": "k1"})
    assert response.status_code == 200
    assert [request.body for request in server.received] == [b'{"a": 1}'] * 2


def test_a_streamed_body_is_not_sent_again(servers: Any, sleep: Any) -> None:
    server = servers.start(503, 200)
    response = session_with(sleep).put(server.url, data=iter([b"a", b"b"]))
    assert response.status_code == 503 and server.methods == ["PUT"]


def test_connection_refused_then_success(servers: Any, free_port: int, sleep: Any) -> None:
    server = servers.unstarted(200, port=free_port)

    def start_after_first_wait(seconds: float) -> None:
        sleep(seconds)
        if len(sleep.waits) == 1:
            server.start()

    response = session_with(start_after_first_wait).post(server.url, data=b"x")  # refused: never sent
    assert response.status_code == 200
    assert server.methods == ["POST"] and sleep.waits == [0.1]


def test_connection_refused_for_good_raises_requests_error(free_port: int, sleep: Any) -> None:
    with pytest.raises(requests.exceptions.ConnectionError):
        session_with(sleep).get(f"http://127.0.0.1:{free_port}/")
    assert sleep.waits == [0.1, 0.2, 0.4]


def test_a_spent_budget_stops_retries_across_requests(servers: Any, sleep: Any) -> None:
    budget = RetryBudget.aws(capacity=10, retry_cost=5)
    server = servers.start(*[503] * 10)
    session = session_with(sleep, budget=budget)
    assert session.get(server.url).status_code == 503  # 3 retries wanted, 2 allowed: 10 tokens / 5
    assert session.get(server.url).status_code == 503  # none left
    assert len(server.received) == 4 and len(sleep.waits) == 2


def test_an_open_breaker_refuses_before_sending(servers: Any, sleep: Any) -> None:
    breaker = CircuitBreaker(failure_threshold=2, open_duration=60)
    server = servers.start(*[503] * 10)
    session = session_with(sleep, breaker=breaker, policy=POLICY.replace(max_attempts=1))
    for _ in range(2):
        assert session.get(server.url).status_code == 503
    with pytest.raises(requests.exceptions.ConnectionError, match="circuit breaker for http://127.0.0.1") as refused:
        session.get(server.url)
    assert isinstance(refused.value, libbackoff.CircuitOpenError) and refused.value.retry_after > 50
    assert len(server.received) == 2


def test_bad_options_are_refused_by_name() -> None:
    with pytest.raises(TypeError, match="policy"):
        RetryAdapter(policy=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="retry_statuses"):
        RetryAdapter(retry_statuses=[700])
    with pytest.raises(TypeError, match="sleep"):
        RetryAdapter(sleep=5)  # type: ignore[arg-type]
