"""A retry budget and a circuit breaker in the transports, against a real server on 127.0.0.1.

The breaker and the budget here are small test doubles of CircuitBreakerProtocol and RetryBudgetProtocol
(consecutive-failure breaker, AWS-style token bucket): libbackoff's own classes are not in the package yet.
They check the seam: which calls the transports make, in which order, with which permits and tickets.
"""

from __future__ import annotations

from typing import NamedTuple

import anyio
import httpx
import pytest

from libbackoff import constant
from libbackoff.httpx import AsyncRetryTransport, CircuitOpenError, GiveUp, PerHost, RetryEvent, RetryTransport

PATIENT = constant(0.01, jitter="none", max_attempts=10)


class Admission(NamedTuple):
    permit: int
    wait: float


class ConsecutiveFailureBreaker:
    """Opens after `threshold` failures in a row, for `open_for` seconds or the server's hint if longer;
    time stands still, so it stays open. Keeps a log of the calls it received."""

    def __init__(self, threshold: int, open_for: float = 30.0) -> None:
        self.threshold = threshold
        self.open_for = open_for
        self.failures = 0
        self.open_wait: float | None = None
        self.issued = 0
        self.outstanding: set[int] = set()
        self.log: list[tuple[str, float]] = []  # (outcome or "released", retry_after)

    def acquire(self) -> Admission:
        if self.open_wait is not None:
            return Admission(0, self.open_wait)
        self.issued += 1
        self.outstanding.add(self.issued)
        return Admission(self.issued, 0.0)

    def record(self, permit: int, outcome: str, duration: float, retry_after: float) -> None:
        assert duration >= 0
        self.outstanding.remove(permit)  # each permit is reported once
        self.log.append((outcome, retry_after))
        if outcome == "success":
            self.failures = 0
        elif outcome == "failure":
            self.failures += 1
            if self.failures >= self.threshold:
                self.open_wait = max(self.open_for, retry_after)

    def release(self, permit: int) -> None:
        self.outstanding.remove(permit)
        self.log.append(("released", 0.0))


class TokenBudget:
    """AWS standard retry quota: a retry costs `cost` tokens, refunded when that retry succeeds."""

    def __init__(self, tokens: int, cost: int = 1) -> None:
        self.tokens = tokens
        self.cost = cost
        self.requests = 0
        self.failures = 0
        self.error_classes: list[str] = []
        self.held: dict[int, int] = {}
        self.issued = 0
        self.successes: list[int] = []
        self.refunds = 0

    def record_request(self) -> None:
        self.requests += 1

    def record_failure(self) -> None:
        self.failures += 1

    def withdraw(self, error_class: str) -> int:
        self.error_classes.append(error_class)
        if self.tokens < self.cost:
            return 0
        self.tokens -= self.cost
        self.issued += 1
        self.held[self.issued] = self.cost
        return self.issued

    def record_success(self, ticket: int) -> None:
        self.successes.append(ticket)
        if ticket:
            self.tokens += self.held.pop(ticket)

    def refund(self, ticket: int) -> None:
        self.tokens += self.held.pop(ticket)
        self.refunds += 1


def sync_client(**options: object) -> httpx.Client:
    return httpx.Client(transport=RetryTransport(**options))  # type: ignore[arg-type]


def async_client(**options: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=AsyncRetryTransport(**options))  # type: ignore[arg-type]


def test_an_exhausted_budget_stops_retries_and_returns_the_last_response(servers, sleep):
    server = servers.start(*[503] * 10)
    budget = TokenBudget(tokens=2)
    events: list[RetryEvent] = []
    with sync_client(policy=PATIENT, budget=budget, sleep=sleep, on_giveup=events.append) as http:
        first = http.get(server.url)
        second = http.get(server.url)
    assert first.status_code == second.status_code == 503
    assert len(server.received) == 3 + 1  # two retries paid for, then none left for the second request
    assert [(event.give_up, event.attempt) for event in events] == [(GiveUp.BUDGET, 3), (GiveUp.BUDGET, 1)]
    assert (budget.requests, budget.failures, budget.tokens) == (2, 4, 0)


def test_a_successful_retry_reports_its_ticket_and_a_first_attempt_ticket_zero(servers, sleep):
    server = servers.start(503, 200, 200)
    budget = TokenBudget(tokens=1)
    with sync_client(policy=PATIENT, budget=budget, sleep=sleep) as http:
        assert http.get(server.url).status_code == 200
        assert http.get(server.url).status_code == 200
    assert budget.successes == [1, 0]
    assert budget.tokens == 1  # this budget refunds a retry that succeeds


def test_the_budget_is_charged_by_error_class(servers, sleep):
    server = servers.start(429, 503, {"status": 200, "delay": 2.0}, 200)
    budget = TokenBudget(tokens=10)
    transport = RetryTransport(policy=PATIENT, budget=budget, sleep=sleep)
    with httpx.Client(transport=transport, timeout=httpx.Timeout(5.0, read=0.5)) as http:
        assert http.get(server.url).status_code == 200
    assert budget.error_classes == ["throttling", "ordinary", "timeout"]


def test_a_breaker_that_opens_stops_retries_and_fails_later_requests_fast(servers, sleep):
    server = servers.start(*[503] * 10)
    breaker = ConsecutiveFailureBreaker(threshold=2)
    events: list[RetryEvent] = []
    with sync_client(policy=PATIENT, breaker=breaker, sleep=sleep, on_giveup=events.append) as http:
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
    assert breaker.log == [("failure", 0.0), ("failure", 0.0)]
    assert not breaker.outstanding


def test_the_breaker_hears_the_servers_retry_after(servers, sleep):
    server = servers.start({"status": 503, "headers": {"Retry-After": "60"}})
    breaker = ConsecutiveFailureBreaker(threshold=1)
    with sync_client(policy=PATIENT.replace(cap=120), breaker=breaker, sleep=sleep) as http:
        with pytest.raises(CircuitOpenError) as raised:
            http.get(server.url)
    assert breaker.log == [("failure", 60.0)]
    assert raised.value.retry_after == 60.0


def test_the_breaker_counts_health_not_the_callers_mistakes(servers, sleep):
    server = servers.start(404, 200)
    breaker = ConsecutiveFailureBreaker(threshold=1)
    with sync_client(policy=PATIENT, breaker=breaker, sleep=sleep) as http:
        assert http.get(server.url).status_code == 404
        with pytest.raises(httpx.UnsupportedProtocol):
            http.get("ftp://127.0.0.1/")
        assert http.get(server.url).status_code == 200
    assert [outcome for outcome, _ in breaker.log] == ["success", "ignored", "success"]


def test_a_breaker_per_host_keeps_a_failing_host_from_blocking_a_healthy_one(servers, sleep):
    failing = servers.start(*[503] * 10)
    healthy = servers.start(200, 200)
    made: dict[str, ConsecutiveFailureBreaker] = {}

    def make(origin: str) -> ConsecutiveFailureBreaker:
        made[origin] = ConsecutiveFailureBreaker(threshold=1)
        return made[origin]

    with sync_client(policy=PATIENT, breaker=PerHost(make), sleep=sleep) as http:
        with pytest.raises(CircuitOpenError):
            http.get(failing.url + "/a")
        assert http.get(healthy.url + "/b").status_code == 200
        with pytest.raises(CircuitOpenError):
            http.get(failing.url + "/c")
        assert http.get(healthy.url + "/d").status_code == 200
    assert list(made) == [failing.url, healthy.url]


@pytest.mark.anyio
async def test_async_an_exhausted_budget_stops_retries(servers, sleep):
    server = servers.start(*[503] * 10)
    budget = TokenBudget(tokens=1)
    events: list[RetryEvent] = []
    async with async_client(policy=PATIENT, budget=budget, sleep=sleep.asleep, on_giveup=events.append) as http:
        assert (await http.get(server.url)).status_code == 503
    assert len(server.received) == 2
    assert [event.give_up for event in events] == [GiveUp.BUDGET]


@pytest.mark.anyio
async def test_async_a_breaker_that_opens_fails_fast(servers, sleep):
    server = servers.start(*[503] * 10)
    breaker = ConsecutiveFailureBreaker(threshold=2)
    async with async_client(policy=PATIENT, breaker=breaker, sleep=sleep.asleep) as http:
        with pytest.raises(CircuitOpenError):
            await http.get(server.url)
        with pytest.raises(CircuitOpenError):
            await http.get(server.url)
    assert len(server.received) == 2


@pytest.mark.anyio
async def test_async_cancelling_the_wait_refunds_the_retrys_ticket(servers):
    server = servers.start(503, 200)
    budget = TokenBudget(tokens=1)
    waiting = anyio.Event()

    async def wait_until_cancelled(seconds: float) -> None:
        waiting.set()
        await anyio.sleep_forever()

    async with async_client(policy=PATIENT, budget=budget, sleep=wait_until_cancelled) as http:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(http.get, server.url)
            await waiting.wait()
            assert (budget.tokens, budget.held) == (0, {1: 1})  # the retry holds its ticket while it waits
            tasks.cancel_scope.cancel()
    assert (budget.refunds, budget.tokens, budget.held) == (1, 1, {})
    assert len(server.received) == 1


@pytest.mark.anyio
async def test_async_cancelling_an_attempt_releases_its_permit(servers):
    server = servers.start({"status": 200, "delay": 1.0})
    breaker = ConsecutiveFailureBreaker(threshold=1)
    async with async_client(policy=PATIENT, breaker=breaker) as http:
        with anyio.move_on_after(0.2):
            await http.get(server.url)
    assert breaker.log == [("released", 0.0)]
    assert not breaker.outstanding


def test_a_retry_the_breaker_rejects_gets_its_ticket_back(servers, sleep):
    server = servers.start(503, 200)
    budget = TokenBudget(tokens=1)
    breaker = ConsecutiveFailureBreaker(threshold=1)
    with sync_client(policy=PATIENT, budget=budget, breaker=breaker, sleep=sleep) as http:
        with pytest.raises(CircuitOpenError):
            http.get(server.url)
    assert len(sleep.waits) == 1  # the retry was scheduled, then rejected
    assert (budget.refunds, budget.tokens) == (1, 1)


def test_a_hook_that_raises_ends_the_request_and_gives_everything_back(servers, sleep):
    server = servers.start(503, 200)
    budget = TokenBudget(tokens=1)
    responses: list[httpx.Response] = []

    class Recording(httpx.HTTPTransport):
        def handle_request(self, request):
            responses.append(super().handle_request(request))
            return responses[-1]

    def broken_hook(event: RetryEvent) -> None:
        raise RuntimeError("metrics backend down")

    transport = RetryTransport(Recording(), policy=PATIENT, budget=budget, sleep=sleep, on_retry=broken_hook)
    with httpx.Client(transport=transport) as http, pytest.raises(RuntimeError, match="metrics backend down"):
        http.get(server.url)
    assert [response.is_closed for response in responses] == [True]
    assert (budget.refunds, budget.tokens, sleep.waits) == (1, 1, [])
