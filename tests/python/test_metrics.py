"""libbackoff.metrics: a real prometheus_client registry's text exposition, and the OpenTelemetry SDK's
in-memory reader, after real retried calls through named loops, breakers and budgets."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

import libbackoff as lb
from libbackoff.metrics import FAMILIES, instrument_opentelemetry, instrument_prometheus


@pytest.fixture
def names() -> Iterator[tuple[str, str, str]]:
    """Names no other test uses (named retry statistics live for the process)."""
    tag = uuid.uuid4().hex[:8]
    yield f"fetch-{tag}", f"payments-{tag}", f"search-{tag}"


def traffic(fake_clock, names: tuple[str, str, str]) -> tuple[lb.CircuitBreaker, lb.RetryBudget]:
    """Real calls: one that succeeds after two retries, one that gives up at max_attempts, one refused by
    an open breaker, one refused by an empty budget. Returns the breaker and budget, which must live."""
    loop, breaker_name, budget_name = names
    calls = {"n": 0}

    def twice_then_ok() -> str:
        calls["n"] += 1
        if calls["n"] <= 2:
            raise ConnectionError("down")
        return "ok"

    def always() -> str:
        raise ConnectionError("down")

    wait = lb.constant(0.5, jitter="none")
    retrying = lb.Retrying(wait=wait, max_attempts=3, clock=fake_clock, name=loop)
    assert retrying(twice_then_ok) == "ok"
    with pytest.raises(ConnectionError):
        retrying(always)
    breaker = lb.CircuitBreaker(failure_threshold=1, open_duration=60, clock=fake_clock, name=breaker_name)
    with pytest.raises(lb.CircuitOpenError):
        lb.Retrying(wait=wait, max_attempts=3, breaker=breaker, clock=fake_clock)(always)
    with pytest.raises(lb.CircuitOpenError), breaker:
        pass
    budget = lb.RetryBudget.aws(capacity=5, retry_cost=5, timeout_cost=5, name=budget_name)
    with pytest.raises(lb.RetryBudgetExhausted):
        lb.Retrying(wait=wait, max_attempts=5, budget=budget, clock=fake_clock)(always)
    return breaker, budget


def scrape(registry: CollectorRegistry) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of the text exposition, by (sample name, labels)."""
    text = generate_latest(registry).decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_prometheus_exposition_after_real_calls(fake_clock, names):
    loop, breaker_name, budget_name = names
    registry = CollectorRegistry()
    assert instrument_prometheus(registry) is instrument_prometheus(registry)  # once per registry
    breaker, budget = traffic(fake_clock, names)
    samples = scrape(registry)

    def value(sample: str, **labels: str) -> float:
        return samples[(sample, frozenset(labels.items()))]

    assert value("backoff_attempts_total", name=loop, outcome="success") == 1
    assert value("backoff_attempts_total", name=loop, outcome="failure") == 2 + 3
    assert value("backoff_retries_total", name=loop) == 2 + 2
    assert value("backoff_sleep_seconds_total", name=loop) == 4 * 0.5
    assert value("backoff_giveups_total", name=loop, reason="max_attempts") == 1
    assert value("backoff_giveups_total", name=loop, reason="max_elapsed") == 0
    assert value("backoff_breaker_state", name=breaker_name, state="open") == 1
    assert value("backoff_breaker_transitions_total", name=breaker_name, **{"from": "closed", "to": "open"}) == 1
    assert value("backoff_breaker_rejections_total", name=breaker_name) == 1
    assert value("backoff_budget_balance", name=budget_name) == 0
    assert value("backoff_budget_withdrawals_total", name=budget_name) == 1
    assert value("backoff_budget_refusals_total", name=budget_name) == 1
    types = {family.name: family.type for family in text_string_to_metric_families(generate_latest(registry).decode())}
    assert types == {family.name.removesuffix("_total"): "counter" if family.counter else "gauge" for family in FAMILIES}
    del breaker, budget


def test_a_dropped_breaker_leaves_the_exposition(fake_clock, names):
    registry = CollectorRegistry()
    instrument_prometheus(registry)
    breaker = lb.CircuitBreaker(name=names[1], clock=fake_clock)
    assert ("backoff_breaker_state", frozenset({("name", names[1]), ("state", "closed")})) in scrape(registry)
    del breaker
    assert not any(dict(labels).get("name") == names[1] for _, labels in scrape(registry))


def test_opentelemetry_in_memory_reader_after_real_calls(fake_clock, names):
    loop, breaker_name, budget_name = names
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    instruments = instrument_opentelemetry(provider)
    assert len(instruments) == len(FAMILIES)
    breaker, budget = traffic(fake_clock, names)
    points: dict[tuple[str, frozenset[tuple[str, object]]], float] = {}
    data = reader.get_metrics_data()
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            assert scope.scope.name == "libbackoff"
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    points[(metric.name, frozenset(point.attributes.items()))] = point.value

    assert points[("backoff.attempts", frozenset({("name", loop), ("outcome", "failure")}))] == 5
    assert points[("backoff.retries", frozenset({("name", loop)}))] == 4
    assert points[("backoff.sleep", frozenset({("name", loop)}))] == 2.0
    assert points[("backoff.giveups", frozenset({("name", loop), ("reason", "max_attempts")}))] == 1
    assert points[("backoff.breaker.state", frozenset({("name", breaker_name), ("state", "open")}))] == 1
    transition = frozenset({("name", breaker_name), ("from", "closed"), ("to", "open")})
    assert points[("backoff.breaker.transitions", transition)] == 1
    assert points[("backoff.breaker.rejections", frozenset({("name", breaker_name)}))] == 1
    assert points[("backoff.budget.balance", frozenset({("name", budget_name)}))] == 0
    assert points[("backoff.budget.refusals", frozenset({("name", budget_name)}))] == 1
    provider.shutdown()
    del breaker, budget
