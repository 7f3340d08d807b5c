"""libbackoff.tracing and the httpx transports: a CLIENT span per attempt against a real server on
127.0.0.1, with ``http.request.resend_count`` on every resent attempt (OpenTelemetry HTTP conventions)."""

from __future__ import annotations

import httpx
import pytest
from opentelemetry.trace import SpanKind, StatusCode

from libbackoff import constant
from libbackoff.httpx import AsyncRetryTransport, RetryTransport

QUICK = constant(0.01, jitter="none", max_attempts=4)


def described(spans):
    return [
        (
            span.name,
            span.kind,
            span.attributes.get("http.request.resend_count"),
            span.attributes.get("http.response.status_code"),
            span.attributes.get("error.type"),
        )
        for span in spans.get_finished_spans()
    ]


def test_each_attempt_is_a_client_span_and_resent_ones_count_their_resend(spans, servers, sleep):
    server = servers.start(503, 429, 200)
    with httpx.Client(transport=RetryTransport(policy=QUICK, sleep=sleep)) as http:
        assert http.get(server.url + "/item?token=secret").status_code == 200
    assert described(spans) == [
        ("GET", SpanKind.CLIENT, None, 503, "503"),
        ("GET", SpanKind.CLIENT, 1, 429, "429"),
        ("GET", SpanKind.CLIENT, 2, 200, None),
    ]
    first, _, last = spans.get_finished_spans()
    assert first.attributes["url.full"] == server.url + "/item"  # never the query: it may hold a secret
    assert (first.attributes["server.address"], first.attributes["server.port"]) == (
        "127.0.0.1",
        int(server.url.rsplit(":", 1)[1]),
    )
    assert (first.status.status_code, last.status.status_code) == (StatusCode.ERROR, StatusCode.UNSET)


def test_a_refused_connection_is_an_attempt_span_with_its_error_type(spans, sleep, free_port):
    with httpx.Client(transport=RetryTransport(policy=QUICK.replace(max_attempts=2), sleep=sleep)) as http:
        with pytest.raises(httpx.ConnectError):
            http.get(f"http://127.0.0.1:{free_port}/")
    assert described(spans) == [
        ("GET", SpanKind.CLIENT, None, None, "httpx.ConnectError"),
        ("GET", SpanKind.CLIENT, 1, None, "httpx.ConnectError"),
    ]


@pytest.mark.anyio
async def test_the_async_transport_traces_its_attempts_the_same_way(spans, servers, sleep):
    server = servers.start(502, 200)
    async with httpx.AsyncClient(transport=AsyncRetryTransport(policy=QUICK, sleep=sleep.asleep)) as http:
        assert (await http.post(server.url, headers={"Idempotency-Key": "k"})).status_code == 200
    assert described(spans) == [("POST", SpanKind.CLIENT, None, 502, "502"), ("POST", SpanKind.CLIENT, 1, 200, None)]
