"""libbackoff's RetryBudget and CircuitBreaker in the requests and aiohttp adapters, against a real server
on 127.0.0.1. The breakers' clocks stand still, so an open breaker stays open and reports its whole cooldown."""

from __future__ import annotations

import pytest

import libbackoff
from libbackoff import CircuitBreaker, CircuitState, RetryBudget, constant
from libbackoff.http import GiveUp, PerHost, RetryEvent

PATIENT = constant(0.01, jitter="none", max_attempts=10)


def frozen_clock() -> float:
    return 1000.0


def budget(tokens: float) -> RetryBudget:
    """AWS's retry quota with `tokens` in all, every retry costing 1, and no credit for first-attempt
    successes, so that the balance shows only what the retries took."""
    costs = {"retry_cost": 1.0, "timeout_cost": 1.0, "throttling_cost": 1.0, "no_retry_increment": 0.0}
    return RetryBudget.aws(capacity=tokens, **costs)


def test_an_exhausted_budget_stops_retries_and_returns_the_last_response(adapter, servers, sleep):
    server = servers.start(*[503] * 10)
    tokens = budget(2)
    events: list[RetryEvent] = []
    client = adapter(policy=PATIENT, budget=tokens, sleep=sleep, on_giveup=events.append)
    assert [client.send("GET", server.url).status for _ in range(2)] == [503, 503]
    assert len(server.received) == 3 + 1  # two retries paid for, then none left for the second request
    assert [(event.give_up, event.attempt) for event in events] == [(GiveUp.BUDGET, 3), (GiveUp.BUDGET, 1)]
    assert (tokens.granted, tokens.refused, tokens.balance) == (2, 2, 0)


def test_a_successful_retry_gets_its_tokens_back(adapter, servers, sleep):
    server = servers.start(503, 200)
    tokens = budget(1)
    assert adapter(policy=PATIENT, budget=tokens, sleep=sleep).send("GET", server.url).status == 200
    assert (tokens.granted, tokens.balance) == (1, 1)  # AWS refunds a retry that succeeds


def test_a_breaker_that_opens_stops_retries_and_fails_later_requests_fast(adapter, servers, sleep):
    server = servers.start(*[503] * 10)
    circuit = CircuitBreaker(failure_threshold=2, open_duration=30, clock=frozen_clock, name="api")
    events: list[RetryEvent] = []
    client = adapter(policy=PATIENT, breaker=circuit, sleep=sleep, on_giveup=events.append)
    with pytest.raises(libbackoff.CircuitOpenError) as during_retries:
        client.send("GET", server.url)
    assert len(server.received) == 2  # the third attempt was rejected
    assert [(event.give_up, event.attempt, event.reason) for event in events] == [(GiveUp.BREAKER, 2, "status 503")]
    with pytest.raises(client.connection_error) as later:  # what the library's users already catch
        client.send("GET", server.url)
    assert len(server.received) == 2
    assert isinstance(later.value, libbackoff.CircuitOpenError)
    refused = later.value
    assert (refused.remaining, refused.state, refused.name) == (30.0, CircuitState.OPEN, "api")
    assert during_retries.value.retry_after == refused.retry_after == 30.0
    assert refused.origin == server.url
    assert str(refused) == f"circuit breaker for {server.url} is open; retry after 30.000 s"
    assert circuit.state is CircuitState.OPEN


def test_a_breaker_per_host_keeps_a_failing_host_from_blocking_a_healthy_one(adapter, servers, sleep):
    failing, healthy = servers.start(*[503] * 10), servers.start()
    breakers = PerHost(lambda origin: CircuitBreaker(failure_threshold=1, open_duration=30, clock=frozen_clock))
    client = adapter(policy=PATIENT, breaker=breakers, sleep=sleep)
    with pytest.raises(libbackoff.CircuitOpenError):
        client.send("GET", failing.url)
    assert client.send("GET", healthy.url).status == 200
    assert breakers(failing.url).state is CircuitState.OPEN
    assert breakers(healthy.url).state is CircuitState.CLOSED


def test_a_wait_that_is_interrupted_gives_the_retrys_tokens_back(adapter, servers):
    server = servers.start(503, 200)
    tokens = budget(2)

    def interrupted(seconds: float) -> None:
        raise RuntimeError("shutting down")

    client = adapter(policy=PATIENT, budget=tokens, sleep=interrupted)
    with pytest.raises(RuntimeError, match="shutting down"):
        client.send("GET", server.url)
    assert len(server.received) == 1
    assert (tokens.granted, tokens.balance) == (1, 2)  # withdrawn for the retry, refunded when it never ran
