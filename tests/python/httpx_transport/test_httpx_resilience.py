"""libbackoff's CircuitBreaker and RetryBudget in the transports, against a real server on 127.0.0.1.

The breakers' clocks stand still, so an open breaker stays open and reports its whole cooldown.
"""

from __future__ import annotations

import anyio
import httpx
import pytest

import libbackoff
from libbackoff import CircuitBreaker, CircuitBreakerPool, CircuitState, RetryBudget, RetryBudgetPool, constant
from libbackoff.httpx import AsyncRetryTransport, CircuitOpenError, GiveUp, PerHost, RetryEvent, RetryTransport

PATIENT = constant(0.01, jitter="none", max_attempts=10)


def frozen_clock() -> float:
    return 1000.0


def breaker(threshold: int) -> CircuitBreaker:
    """Opens after `threshold` failures in a row, for 30 s or the server's hint if longer."""
    return CircuitBreaker(failure_threshold=threshold, open_duration=30, clock=frozen_clock)


def budget(tokens: float, **costs: float) -> RetryBudget:
    """AWS's retry quota with `tokens` in all, every retry costing 1 unless `costs` say otherwise, and no
    credit for first-attempt successes, so that the balance shows only what the retries took."""
    every_cost = {"retry_cost": 1.0, "timeout_cost": 1.0, "throttling_cost": 1.0}
    return RetryBudget.aws(capacity=tokens, **{**every_cost, "no_retry_increment": 0.0, **costs})


def sync_client(**options: object) -> httpx.Client:
    return httpx.Client(transport=RetryTransport(**options))  # type: ignore[arg-type]


def async_client(**options: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=AsyncRetryTransport(**options))  # type: ignore[arg-type]


def test_an_exhausted_budget_stops_retries_and_returns_the_last_response(servers, sleep):
    server = servers.start(*[503] * 10)
    tokens = budget(2)
    events: list[RetryEvent] = []
    with sync_client(policy=PATIENT, budget=tokens, sleep=sleep, on_giveup=events.append) as http:
        first = http.get(server.url)
        second = http.get(server.url)
    assert first.status_code == second.status_code == 503
    assert len(server.received) == 3 + 1  # two retries paid for, then none left for the second request
    assert [(event.give_up, event.attempt) for event in events] == [(GiveUp.BUDGET, 3), (GiveUp.BUDGET, 1)]
    assert (tokens.granted, tokens.refused, tokens.balance) == (2, 2, 0)


def test_a_successful_retry_gets_its_tokens_back(servers, sleep):
    server = servers.start(503, 200, 200)
    tokens = budget(1)
    with sync_client(policy=PATIENT, budget=tokens, sleep=sleep) as http:
        assert http.get(server.url).status_code == 200
        assert tokens.balance == 1  # AWS refunds a retry that succeeds
        assert http.get(server.url).status_code == 200
    assert (tokens.granted, tokens.balance) == (1, 1)


def test_the_budget_is_charged_by_error_class(servers, sleep):
    server = servers.start(429, 503, {"status": 200, "delay": 2.0}, 200)
    tokens = budget(100, retry_cost=1, throttling_cost=2, timeout_cost=4)
    transport = RetryTransport(policy=PATIENT, budget=tokens, sleep=sleep)
    with httpx.Client(transport=transport, timeout=httpx.Timeout(5.0, read=0.5)) as http:
        assert http.get(server.url).status_code == 200
    assert tokens.balance == 100 - 2 - 1  # the timeout's retry (4) succeeded and was refunded


def test_a_breaker_that_opens_stops_retries_and_fails_later_requests_fast(servers, sleep):
    server = servers.start(*[503] * 10)
    circuit = breaker(2)
    events: list[RetryEvent] = []
    with sync_client(policy=PATIENT, breaker=circuit, sleep=sleep, on_giveup=events.append) as http:
        with pytest.raises(CircuitOpenError) as during_retries:
            http.get(server.url)
        assert len(server.received) == 2  # the third attempt was rejected
        assert [(event.give_up, event.attempt, event.reason) for event in events] == [(GiveUp.BREAKER, 2, "status 503")]
        with pytest.raises(httpx.TransportError) as later:  # what httpx users already catch
            http.get(server.url)
    assert len(server.received) == 2
    assert len(events) == 1  # a request rejected before any attempt gave nothing up
    assert isinstance(later.value, CircuitOpenError)
    assert during_retries.value.retry_after == later.value.retry_after == 30.0
    assert during_retries.value.origin == server.url
    counts = circuit.counts()
    assert (counts.admitted, counts.failures, counts.rejected) == (2, 2, 2)
    assert circuit.state is CircuitState.OPEN


def test_a_refused_request_is_caught_as_libbackoffs_own_circuit_open_error(servers, sleep):
    server = servers.start(503, 503)
    circuit = CircuitBreaker(failure_threshold=1, open_duration=30, clock=frozen_clock, name="api")
    with sync_client(policy=PATIENT, breaker=circuit, sleep=sleep) as http:
        try:
            http.get(server.url)
        except libbackoff.CircuitOpenError as refused:  # one hierarchy: the transport's error is the package's
            caught = refused
    assert isinstance(caught, CircuitOpenError)
    assert (caught.remaining, caught.state, caught.name) == (30.0, CircuitState.OPEN, "api")
    assert str(caught) == f"circuit breaker for {server.url} is open; retry after 30.000 s"
    assert len(server.received) == 1


def test_the_breaker_hears_the_servers_retry_after(servers, sleep):
    server = servers.start({"status": 503, "headers": {"Retry-After": "60"}})
    circuit = breaker(1)
    with sync_client(policy=PATIENT.replace(cap=120), breaker=circuit, sleep=sleep) as http:
        with pytest.raises(CircuitOpenError) as raised:
            http.get(server.url)
    assert raised.value.retry_after == 60.0  # open for the hint, not its own 30 s


def test_the_breaker_counts_health_not_the_callers_mistakes(servers, sleep):
    server = servers.start(404, 200)
    circuit = breaker(1)
    with sync_client(policy=PATIENT, breaker=circuit, sleep=sleep) as http:
        assert http.get(server.url).status_code == 404
        with pytest.raises(httpx.UnsupportedProtocol):
            http.get("ftp://127.0.0.1/")
        assert http.get(server.url).status_code == 200
    counts = circuit.counts()
    assert (counts.successes, counts.ignored, counts.failures) == (2, 1, 0)
    assert circuit.state is CircuitState.CLOSED


def test_a_breaker_per_host_keeps_a_failing_host_from_blocking_a_healthy_one(servers, sleep):
    failing = servers.start(*[503] * 10)
    healthy = servers.start(200, 200)
    made: dict[str, CircuitBreaker] = {}

    def make(origin: str) -> CircuitBreaker:
        made[origin] = breaker(1)
        return made[origin]

    with sync_client(policy=PATIENT, breaker=PerHost(make), sleep=sleep) as http:
        with pytest.raises(CircuitOpenError):
            http.get(failing.url + "/a")
        assert http.get(healthy.url + "/b").status_code == 200
        with pytest.raises(CircuitOpenError):
            http.get(failing.url + "/c")
        assert http.get(healthy.url + "/d").status_code == 200
    assert list(made) == [failing.url, healthy.url]
    assert [made[url].state for url in made] == [CircuitState.OPEN, CircuitState.CLOSED]


def test_a_breaker_pool_keeps_one_breaker_per_host(servers, sleep):
    failing = servers.start(*[503] * 10)
    healthy = servers.start(200, 200)
    pool = CircuitBreakerPool(max_keys=8, failure_threshold=1, open_duration=30, clock=frozen_clock)
    with sync_client(policy=PATIENT, breaker=pool, sleep=sleep) as http:
        with pytest.raises(CircuitOpenError):
            http.get(failing.url + "/a")
        assert http.get(healthy.url + "/b").status_code == 200
        with pytest.raises(CircuitOpenError):
            http.get(failing.url + "/c")
    assert len(failing.received) == 1  # the second request was refused without a call
    assert (pool[failing.url].state, pool[healthy.url].state) == (CircuitState.OPEN, CircuitState.CLOSED)
    assert (pool[failing.url].name, len(pool)) == (failing.url, 2)


def test_a_budget_pool_keeps_one_budget_per_host(servers, sleep):
    failing = servers.start(*[503] * 10)
    healthy = servers.start(503, 200)
    pool = RetryBudgetPool(budget(1), max_keys=8)
    with sync_client(policy=PATIENT, budget=pool, sleep=sleep) as http:
        assert http.get(failing.url).status_code == 503  # spent its host's one token
        assert http.get(healthy.url).status_code == 200  # its own token paid for the retry
    assert (pool[failing.url].balance, pool[healthy.url].balance) == (0, 1)
    assert len(pool) == 2


@pytest.mark.anyio
async def test_async_an_exhausted_budget_stops_retries(servers, sleep):
    server = servers.start(*[503] * 10)
    tokens = budget(1)
    events: list[RetryEvent] = []
    async with async_client(policy=PATIENT, budget=tokens, sleep=sleep.asleep, on_giveup=events.append) as http:
        assert (await http.get(server.url)).status_code == 503
    assert len(server.received) == 2
    assert [event.give_up for event in events] == [GiveUp.BUDGET]
    assert (tokens.granted, tokens.refused) == (1, 1)


@pytest.mark.anyio
async def test_async_a_breaker_that_opens_fails_fast(servers, sleep):
    server = servers.start(*[503] * 10)
    circuit = breaker(2)
    async with async_client(policy=PATIENT, breaker=circuit, sleep=sleep.asleep) as http:
        with pytest.raises(CircuitOpenError):
            await http.get(server.url)
        with pytest.raises(CircuitOpenError):
            await http.get(server.url)
    assert len(server.received) == 2
    assert circuit.counts().rejected == 2


@pytest.mark.anyio
async def test_async_cancelling_the_wait_refunds_the_retrys_ticket(servers):
    server = servers.start(503, 200)
    tokens = budget(1)
    waiting = anyio.Event()

    async def wait_until_cancelled(seconds: float) -> None:
        waiting.set()
        await anyio.sleep_forever()

    async with async_client(policy=PATIENT, budget=tokens, sleep=wait_until_cancelled) as http:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(http.get, server.url)
            await waiting.wait()
            assert tokens.balance == 0  # the retry holds its tokens while it waits
            tasks.cancel_scope.cancel()
    assert tokens.balance == 1
    assert len(server.received) == 1


@pytest.mark.anyio
async def test_async_cancelling_an_attempt_releases_its_permit(servers):
    server = servers.start({"status": 200, "delay": 1.0})
    circuit = breaker(1)
    async with async_client(policy=PATIENT, breaker=circuit) as http:
        with anyio.move_on_after(0.2):
            await http.get(server.url)
    counts = circuit.counts()
    assert (counts.admitted, counts.released, counts.successes, counts.failures) == (1, 1, 0, 0)


def test_a_retry_the_breaker_rejects_gets_its_ticket_back(servers, sleep):
    server = servers.start(503, 200)
    tokens = budget(1)
    with sync_client(policy=PATIENT, budget=tokens, breaker=breaker(1), sleep=sleep) as http:
        with pytest.raises(CircuitOpenError):
            http.get(server.url)
    assert len(sleep.waits) == 1  # the retry was scheduled, then rejected
    assert (tokens.granted, tokens.balance) == (1, 1)


def test_a_hook_that_raises_ends_the_request_and_gives_everything_back(servers, sleep):
    server = servers.start(503, 200)
    tokens = budget(1)
    responses: list[httpx.Response] = []

    class Recording(httpx.HTTPTransport):
        def handle_request(self, request):
            responses.append(super().handle_request(request))
            return responses[-1]

    def broken_hook(event: RetryEvent) -> None:
        raise RuntimeError("metrics backend down")

    transport = RetryTransport(Recording(), policy=PATIENT, budget=tokens, sleep=sleep, on_retry=broken_hook)
    with httpx.Client(transport=transport) as http, pytest.raises(RuntimeError, match="metrics backend down"):
        http.get(server.url)
    assert [response.is_closed for response in responses] == [True]
    assert (tokens.balance, sleep.waits) == (1, [])
