"""libbackoff.tracing and the requests and aiohttp adapters: the same attempt spans as the httpx
transports', against a real server on 127.0.0.1."""

from __future__ import annotations

from libbackoff import constant

QUICK = constant(0.01, jitter="none", max_attempts=4)


def test_each_attempt_is_a_span_counting_its_resends(adapter, spans, servers, sleep):
    server = servers.start(503, 503, 200)
    client = adapter(policy=QUICK, sleep=sleep)
    client.send("GET", server.url + "/item?token=secret")
    attempts = [
        (span.name, span.attributes.get("http.request.resend_count"), span.attributes["http.response.status_code"])
        for span in spans.get_finished_spans()
    ]
    assert attempts == [("GET", None, 503), ("GET", 1, 503), ("GET", 2, 200)]
    assert {span.attributes["url.full"] for span in spans.get_finished_spans()} == {server.url + "/item"}
