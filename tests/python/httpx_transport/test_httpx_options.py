"""The transports' options: checked at construction with messages that name them; PerHost's bookkeeping."""

from __future__ import annotations

import threading

import httpx
import pytest

from libbackoff import CircuitBreaker, Policy
from libbackoff.httpx import AsyncRetryTransport, PerHost, RetryTransport, default_policy


@pytest.mark.parametrize(
    ("options", "error", "names"),
    [
        ({"policy": 5}, TypeError, "policy"),
        ({"retry_statuses": "503"}, TypeError, "retry_statuses"),
        ({"retry_statuses": {600}}, ValueError, "retry_statuses"),
        ({"retry_statuses": {True}}, ValueError, "retry_statuses"),
        ({"retry_methods": "GET"}, TypeError, "retry_methods"),
        ({"retry_methods": {b"GET"}}, TypeError, "retry_methods"),
        ({"retry_exceptions": (httpx.ConnectError, KeyboardInterrupt)}, TypeError, "retry_exceptions"),
        ({"budget": object()}, TypeError, "budget"),
        ({"breaker": object()}, TypeError, "breaker"),
        ({"on_retry": "log"}, TypeError, "on_retry"),
        ({"sleep": 1.0}, TypeError, "sleep"),
    ],
)
def test_a_bad_option_raises_naming_it(options, error, names):
    for transport in (RetryTransport, AsyncRetryTransport):
        with pytest.raises(error, match=names):
            transport(**options)


def test_an_unknown_option_is_a_type_error():
    with pytest.raises(TypeError, match="retries"):
        RetryTransport(retries=3)  # type: ignore[call-arg]


def test_a_breaker_or_budget_of_another_type_is_a_type_error():
    class LookAlike:
        def acquire(self): ...

    with pytest.raises(TypeError, match="breaker: expected a libbackoff CircuitBreaker"):
        RetryTransport(breaker=LookAlike())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="budget: expected a libbackoff RetryBudget or RetryBudgetPool"):
        RetryTransport(budget=LookAlike())  # type: ignore[arg-type]


def test_the_sync_and_async_transports_do_not_wrap_each_other():
    with pytest.raises(TypeError, match="transport"):
        RetryTransport(httpx.AsyncHTTPTransport())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="transport"):
        AsyncRetryTransport(httpx.HTTPTransport())  # type: ignore[arg-type]


def test_the_default_policy_is_bounded():
    policy = RetryTransport().policy
    assert isinstance(policy, Policy)
    assert (policy.initial, policy.cap, policy.max_attempts) == (0.5, 30.0, 4)
    assert repr(default_policy()) == repr(policy)


def test_per_host_instances_are_keyed_by_origin_without_user_info_or_default_port():
    origins: list[str] = []

    def make(origin):
        origins.append(origin)
        return object()

    per_host = PerHost(make)
    assert per_host("https://a.example") is per_host("https://a.example")
    assert per_host("https://b.example") is not per_host("https://a.example")
    assert origins == ["https://a.example", "https://b.example"]

    seen: list[str] = []

    transport = RetryTransport(
        httpx.MockTransport(lambda request: httpx.Response(200)),
        breaker=PerHost(lambda origin: seen.append(origin) or CircuitBreaker()),
    )
    with httpx.Client(transport=transport) as http:
        http.get("https://user:secret@Example.COM:443/path?q=1")
        http.get("http://[::1]:8080/")
    assert seen == ["https://example.com", "http://[::1]:8080"]


def test_per_host_drops_the_least_recently_used_origin_beyond_max_hosts():
    per_host = PerHost(lambda origin: object(), max_hosts=2)
    a, b = per_host("a"), per_host("b")
    assert per_host("a") is a  # now "b" is the least recently used
    per_host("c")
    assert per_host("a") is a
    assert per_host("b") is not b


def test_per_host_gives_every_thread_the_same_instance():
    per_host = PerHost(lambda origin: object())
    barrier = threading.Barrier(8)
    results: list[object] = []

    def use():
        barrier.wait()
        results.append(per_host("https://shared.example"))

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(result) for result in results}) == 1


def test_per_host_checks_its_arguments():
    with pytest.raises(TypeError, match="factory"):
        PerHost(5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_hosts"):
        PerHost(lambda origin: 1, max_hosts=0)


def test_a_per_host_factory_that_makes_something_else_fails_the_request_naming_the_option():
    transport = RetryTransport(
        httpx.MockTransport(lambda request: httpx.Response(200)), breaker=PerHost(lambda origin: object())
    )
    with httpx.Client(transport=transport) as http, pytest.raises(TypeError, match="breaker: the PerHost factory"):
        http.get("https://a.example/")
