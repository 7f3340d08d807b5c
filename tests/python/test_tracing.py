"""libbackoff.tracing: a span per retried call with an event per attempt, read back from the
OpenTelemetry SDK's in-memory exporter."""

from __future__ import annotations

import pytest
from opentelemetry.trace import StatusCode

import libbackoff as lb
import libbackoff.tracing

FIXED = lb.constant(0.25, jitter="none")


def no_sleep(seconds: float) -> None:
    pass


def fetch(flaky):
    return flaky()


def attempts(span):
    return [dict(event.attributes) for event in span.events if event.name == "attempt"]


def test_a_retried_call_is_one_span_with_an_event_per_attempt(spans, make_flaky):
    retried = lb.retry(wait=FIXED, max_attempts=5, sleep=no_sleep)(fetch)
    assert retried(make_flaky(2)) == "ok"
    (span,) = spans.get_finished_spans()
    assert span.name == f"{__name__}.fetch"
    assert attempts(span) == [
        {"retry.attempt": 1, "retry.outcome": "failure", "exception.type": "ConnectionError", "retry.wait": 0.25},
        {"retry.attempt": 2, "retry.outcome": "failure", "exception.type": "ConnectionError", "retry.wait": 0.25},
        {"retry.attempt": 3, "retry.outcome": "success"},
    ]
    assert span.attributes["retry.attempts"] == 3
    assert span.status.status_code is StatusCode.UNSET


def test_a_call_given_up_is_an_error_with_the_reason_and_the_exception(spans, make_flaky):
    retried = lb.retry(wait=FIXED, max_attempts=2, sleep=no_sleep, log=False)(fetch)
    with pytest.raises(ConnectionError):
        retried(make_flaky(5))
    (span,) = spans.get_finished_spans()
    assert [event["retry.outcome"] for event in attempts(span)] == ["failure", "failure"]
    assert (span.attributes["retry.give_up"], span.attributes["retry.attempts"]) == ("policy", 2)
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "not retried: the policy's attempts or time are used up"
    (exception,) = [event for event in span.events if event.name == "exception"]
    assert exception.attributes["exception.message"] == "failure 2"


def test_a_call_that_succeeds_at_once_makes_no_span(spans):
    assert lb.retry(max_attempts=3)(lambda: 1)() == 1
    assert spans.get_finished_spans() == ()


@pytest.mark.anyio
async def test_async_calls_and_for_attempt_loops_are_traced_too(spans, make_async_flaky):
    async def pull(flaky):
        return await flaky()

    assert await lb.retry(wait=FIXED, max_attempts=3, sleep=_async_no_sleep)(pull)(make_async_flaky(1)) == "ok"
    failures = iter([True, False])
    for attempt in lb.Retrying(wait=FIXED, max_attempts=3, sleep=no_sleep):
        with attempt:
            if next(failures):
                raise TimeoutError
    names = [span.name for span in spans.get_finished_spans()]
    assert names == [f"{__name__}.{pull.__qualname__}", "<for attempt loop>"]


async def _async_no_sleep(seconds: float) -> None:
    pass


def test_a_loop_left_early_ends_its_span(spans):
    for attempt in lb.Retrying(wait=FIXED, max_attempts=5, sleep=no_sleep):
        if attempt.retry_state.attempt_number == 2:
            break  # after one failure and its retry: the call never ends by itself
        with attempt:
            raise ValueError("left")
    (span,) = spans.get_finished_spans()
    assert [event["retry.outcome"] for event in attempts(span)] == ["failure"]
    assert span.attributes["retry.cancelled"] is True


def test_uninstrument_stops_new_spans(spans, make_flaky):
    retried = lb.retry(wait=FIXED, max_attempts=5, sleep=no_sleep)(fetch)
    assert libbackoff.tracing.is_instrumented()
    libbackoff.tracing.uninstrument()
    assert not libbackoff.tracing.is_instrumented()
    retried(make_flaky(1))
    assert spans.get_finished_spans() == ()


def test_objects_made_while_instrumented_are_traced_without_logging_too(spans, make_flaky):
    retried = lb.retry(wait=FIXED, max_attempts=5, sleep=no_sleep, log=False)(fetch)
    retried(make_flaky(1))
    (span,) = spans.get_finished_spans()
    assert [event["retry.attempt"] for event in attempts(span)] == [1, 2]


# Made at import, before any test instruments: a loop that logs runs in C++ until tracing is on.
LOGGED_BEFORE_INSTRUMENT = lb.retry(wait=FIXED, max_attempts=5, sleep=no_sleep)(fetch)


def test_a_logged_loop_made_before_instrument_is_traced_once_it_is_on(spans, make_flaky):
    assert LOGGED_BEFORE_INSTRUMENT(make_flaky(1)) == "ok"
    (span,) = spans.get_finished_spans()
    assert [event["retry.attempt"] for event in attempts(span)] == [1, 2]
