"""libbackoff.http without any client library: the decisions of one request, told in plain values,
as a future requests/urllib3 or aiohttp adapter will tell them."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

import libbackoff
from libbackoff import CircuitBreaker, constant
from libbackoff.http import GiveUp, HttpRules, PerHost, RequestRetry, RetryEvent
from libbackoff.testing import FakeClock

ORIGIN = "https://api.example.com"


def request(rules: HttpRules, method: str = "GET", *, key: bool = False, replayable: bool = True) -> RequestRetry:
    return RequestRetry(
        rules,
        f"{method} /items",
        method=method,
        origin=ORIGIN,
        path="/items",
        idempotency_key=key,
        replayable=replayable,
        log=logging.getLogger("test_http_core"),
    )


def rules(**options: object) -> tuple[HttpRules, list[RetryEvent]]:
    events: list[RetryEvent] = []
    made = HttpRules(
        policy=constant(1, jitter="none", max_attempts=3),
        clock=FakeClock(),
        on_retry=events.append,
        on_giveup=events.append,
        **options,  # type: ignore[arg-type]
    )
    return made, events


def test_a_transient_status_is_retried_for_at_least_the_servers_retry_after() -> None:
    shared, events = rules()
    call = request(shared)
    assert call.after_response(call.admit(), 503, "7", "first response") == 7.0
    assert call.after_response(call.admit(), 200, None, "second response") is None
    assert [(event.attempt, event.reason, event.delay, event.response) for event in events] == [
        (1, "status 503", 7.0, "first response")
    ]


def test_the_policy_ends_the_retries_and_says_so() -> None:
    shared, events = rules()
    call = request(shared)
    delays = [call.after_response(call.admit(), 502, None, None) for _ in range(3)]
    assert delays == [1.0, 1.0, None]
    assert events[-1].give_up is GiveUp.POLICY


def test_a_post_is_retried_only_with_an_idempotency_key_or_when_it_was_never_sent() -> None:
    shared, events = rules()
    post = request(shared, "POST")
    assert post.after_response(post.admit(), 503, None, None) is None
    assert events[-1].give_up is GiveUp.METHOD
    unsent = request(shared, "POST")
    refused = ConnectionRefusedError("connect")
    assert unsent.after_exception(unsent.admit(), refused, retryable=True, timeout=False, sent=False) == 1.0
    keyed = request(shared, "POST", key=True)
    assert keyed.after_response(keyed.admit(), 503, None, None) == 1.0


def test_a_streamed_body_is_not_sent_again() -> None:
    shared, events = rules()
    call = request(shared, "PUT", replayable=False)
    assert call.after_response(call.admit(), 503, None, None) is None
    assert events[-1].give_up is GiveUp.BODY


def test_an_exception_the_adapter_calls_permanent_is_delivered_at_once() -> None:
    shared, events = rules()
    call = request(shared)
    assert call.after_exception(call.admit(), ValueError("bad url"), retryable=False, timeout=False, sent=True) is None
    assert events == []


def test_a_per_host_breaker_refuses_with_libbackoffs_error_chained_to_the_last_failure() -> None:
    breakers = PerHost(lambda origin: CircuitBreaker(failure_threshold=1, open_duration=30, clock=FakeClock()))
    shared, events = rules(breaker=breakers)
    call = request(shared)
    timeout = TimeoutError("read")
    assert call.after_exception(call.admit(), timeout, retryable=True, timeout=True, sent=True) == 1.0
    with pytest.raises(libbackoff.CircuitOpenError) as refused:
        call.admit()
    assert refused.value.__cause__ is timeout
    assert refused.value.remaining == 30.0
    assert events[-1].give_up is GiveUp.BREAKER
    assert breakers(ORIGIN).state is libbackoff.CircuitState.OPEN


def test_the_http_core_needs_no_client_library() -> None:
    code = "import sys, libbackoff.http; print('httpx' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_bad_rules_name_the_option_and_the_value() -> None:
    with pytest.raises(ValueError, match="retry_statuses: 700 is not an HTTP status code"):
        HttpRules(retry_statuses={503, 700})
