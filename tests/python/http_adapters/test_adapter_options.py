"""The adapters' options: checked when the adapter is made, naming the option; and how each mounts."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import pytest
import requests

from libbackoff import constant, set_testing
from libbackoff.aiohttp import RetryMiddleware
from libbackoff.requests import RetryAdapter

QUICK = constant(0.01, jitter="none", max_attempts=4)


@pytest.mark.parametrize("make", [RetryAdapter, RetryMiddleware])
@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"policy": 3}, TypeError, "policy: expected a libbackoff Policy"),
        ({"retry_statuses": [503, 42]}, ValueError, "retry_statuses: 42 is not an HTTP status code"),
        ({"retry_methods": "GET"}, TypeError, "retry_methods: expected method names"),
        ({"retry_exceptions": (ValueError, "x")}, TypeError, "retry_exceptions: expected Exception subclasses"),
        ({"budget": 5}, TypeError, "budget: expected a libbackoff RetryBudget"),
        ({"sleep": 0.1}, TypeError, "sleep"),
    ],
)
def test_a_bad_option_is_refused_naming_it(make, options, error, message):
    with pytest.raises(error, match=message):
        make(**options)


def test_the_adapter_is_an_http_adapter_with_urllib3_retries_off():
    adapter = RetryAdapter(policy=QUICK, pool_maxsize=3)
    assert isinstance(adapter, requests.adapters.HTTPAdapter)
    assert adapter.max_retries.total == 0
    assert adapter.policy is QUICK
    assert repr(adapter) == f"RetryAdapter(policy={QUICK!r})"


def test_retry_exceptions_replace_the_defaults(adapter, sleep, free_port):
    client = adapter(policy=QUICK, sleep=sleep, retry_exceptions=ValueError)
    with pytest.raises(client.connection_error):
        client.send("GET", f"http://127.0.0.1:{free_port}/")
    assert sleep.waits == []  # a refused connection is no ValueError


def test_testing_mode_skips_the_real_wait(adapter, servers):
    server = servers.start({"status": 503, "headers": {"Retry-After": "600"}}, 200)
    with set_testing(True):
        assert adapter(policy=QUICK.replace(cap=600)).send("GET", server.url).status == 200


def test_retries_are_logged_to_the_adapters_logger(adapter, servers, sleep, caplog):
    server = servers.start(503, 200)
    client = adapter(policy=QUICK, sleep=sleep)
    with caplog.at_level(logging.INFO):
        client.send("GET", server.url + "/item?token=secret")
    (record,) = caplog.records
    assert record.name == f"libbackoff.{client.name}"
    assert record.getMessage() == f"GET {server.url}/item: attempt 1 failed (status 503); retrying in 0.010 s"


def test_one_middleware_serves_sessions_on_different_event_loops(servers):
    middleware = RetryMiddleware(policy=QUICK)
    server = servers.start(503, 200, 503, 200)
    statuses = []

    async def get() -> None:
        async with aiohttp.ClientSession(middlewares=(middleware,)) as session, session.get(server.url) as response:
            statuses.append(response.status)

    with set_testing(True):
        asyncio.run(get())
        asyncio.run(get())
    assert statuses == [200, 200] and len(server.received) == 4


def test_aiohttps_raise_for_status_sees_only_the_final_response(servers):
    server = servers.start(503, 200, 503, 503, 503, 503)
    middleware = RetryMiddleware(policy=QUICK)

    async def get() -> int:
        async with (
            aiohttp.ClientSession(middlewares=(middleware,), raise_for_status=True) as session,
            session.get(server.url) as response,
        ):
            return response.status

    with set_testing(True):
        assert asyncio.run(get()) == 200  # the 503 was retried, not raised
        with pytest.raises(aiohttp.ClientResponseError) as raised:
            asyncio.run(get())
    assert raised.value.status == 503 and len(server.received) == 2 + 4
