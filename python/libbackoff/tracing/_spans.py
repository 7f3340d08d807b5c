"""The spans ``libbackoff.tracing`` makes: one per retried call, one per HTTP attempt.

Retry attributes have no OpenTelemetry convention yet (semantic-conventions#2355 proposes
``retry.attempt``); these use that prefix and the names of the log's ``extra`` fields (``_logging.py``).
HTTP attempts follow the stable HTTP client conventions, ``http.request.resend_count`` included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from .. import _core
from .._logging import GIVE_UP_TEXT, callable_name

if TYPE_CHECKING:
    from opentelemetry.trace import Span, Tracer, TracerProvider

    from ..call_state import RetryCallState


class SpanObserver:
    """The observer ``instrument()`` installs (``_call_events.Observer``)."""

    __slots__ = ("_tracer",)

    def __init__(self, tracer_provider: TracerProvider | None) -> None:
        self._tracer: Tracer = trace.get_tracer("libbackoff", _core.BACKOFF_VERSION_STRING, tracer_provider)

    def call(self, call: RetryCallState) -> CallSpan:
        return CallSpan(self._tracer.start_span(callable_name(call.fn)))

    def http_attempt(self, method: str, origin: str, path: str, attempt: int) -> AttemptSpan:
        parts = urlsplit(origin)
        attributes: dict[str, str | int] = {
            "http.request.method": method,
            "url.full": origin + path,
            "server.address": parts.hostname or "",
            "server.port": parts.port or (443 if parts.scheme == "https" else 80),
        }
        if attempt > 1:
            attributes["http.request.resend_count"] = attempt - 1
        return AttemptSpan(self._tracer.start_span(method, kind=SpanKind.CLIENT, attributes=attributes))


class CallSpan:
    """The span of one retried call: an ``attempt`` event per attempt, ended with the call."""

    __slots__ = ("_span",)

    def __init__(self, span: Span) -> None:
        self._span: Span | None = span

    def retry(self, call: RetryCallState, wait: float) -> None:
        if self._span is not None:
            self._span.add_event("attempt", {**_failure(call), "retry.wait": wait})

    def gave_up(self, call: RetryCallState, give_up: str) -> None:
        span = self._span
        if span is None:
            return
        span.add_event("attempt", _failure(call))
        span.set_attribute("retry.attempts", call.attempt_number)
        span.set_attribute("retry.give_up", give_up)
        exception = call.exception()
        if exception is not None:
            span.record_exception(exception)
        span.set_status(Status(StatusCode.ERROR, f"not retried: {GIVE_UP_TEXT[give_up]}"))
        self._end()

    def succeeded(self, call: RetryCallState) -> None:
        span = self._span
        if span is None:
            return
        span.add_event("attempt", {"retry.attempt": call.attempt_number, "retry.outcome": "success"})
        span.set_attribute("retry.attempts", call.attempt_number)
        self._end()

    def cancelled(self) -> None:
        if self._span is not None:
            self._span.set_attribute("retry.cancelled", True)
            self._end()

    def _end(self) -> None:
        assert self._span is not None
        self._span.end()
        self._span = None


def _failure(call: RetryCallState) -> dict[str, str | int]:
    """The attributes of a failed attempt's event: ``exception.type`` unless it returned a rejected result."""
    attributes: dict[str, str | int] = {"retry.attempt": call.attempt_number, "retry.outcome": "failure"}
    exception = call.exception()
    if exception is not None:
        attributes["exception.type"] = _type_name(exception)
    return attributes


def _type_name(exception: BaseException) -> str:
    cls = type(exception)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


class AttemptSpan:
    """The CLIENT span of one HTTP attempt, ended by its response or its exception."""

    __slots__ = ("_span",)

    def __init__(self, span: Span) -> None:
        self._span = span

    def answered(self, status: int) -> None:
        self._span.set_attribute("http.response.status_code", status)
        if status >= 400:  # the HTTP conventions: a 4xx/5xx status is the client span's error
            self._span.set_attribute("error.type", str(status))
            self._span.set_status(Status(StatusCode.ERROR))
        self._span.end()

    def raised(self, exception: BaseException | None) -> None:
        if exception is None:
            self._span.set_attribute("error.type", "cancelled")
        else:
            self._span.set_attribute("error.type", _type_name(exception))
            self._span.record_exception(exception)
        self._span.set_status(Status(StatusCode.ERROR))
        self._span.end()
