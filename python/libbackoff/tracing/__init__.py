"""OpenTelemetry traces of retries: ``instrument()`` once, and every retried call is a span.

    import libbackoff.tracing
    libbackoff.tracing.instrument()          # the global tracer provider, or tracer_provider=...

* A call of ``@retry``, ``Retrying`` or ``AsyncRetrying`` that fails at least once gets a span named after
  its function (``module.qualname``), begun at its first failure. Each attempt is an event ``attempt``
  with ``retry.attempt``, ``retry.outcome`` (``failure`` or ``success``), ``retry.wait`` (seconds, for a
  retry) and ``exception.type``; a call given up ends with status ERROR, ``retry.give_up`` (``policy``,
  ``permanent``, ``breaker``, ``budget``) and the last exception recorded. A call that succeeds at once
  makes no span: it costs what it cost before.
* Each attempt of the HTTP adapters (httpx, requests, aiohttp) is a CLIENT span named after the method,
  with ``http.request.method``, ``url.full`` (without the query), ``server.address``, ``server.port``,
  ``http.response.status_code`` or ``error.type``, and on a resent request ``http.request.resend_count``
  (1 for the first retry), as OpenTelemetry's HTTP semantic conventions ask.

Needs ``opentelemetry-api`` (``pip install libbackoff[otel]``); spans go nowhere until an SDK is set up.
Retrying objects built before ``instrument()`` with ``log=False`` and no hooks keep the core's one-call
loop, which has no place to trace from: instrument at start-up. docs/tracing.md has the details.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _call_events
from ._spans import SpanObserver

if TYPE_CHECKING:
    from opentelemetry.trace import TracerProvider


def instrument(tracer_provider: TracerProvider | None = None) -> None:
    """Traces every retried call and every HTTP attempt from now on, with a tracer from
    ``tracer_provider`` (default: OpenTelemetry's global provider). Calling it again replaces the
    provider."""
    _call_events.observer = SpanObserver(tracer_provider)


def uninstrument() -> None:
    """Stops tracing: calls and attempts that start from now on make no span (those under way end theirs)."""
    _call_events.observer = None


def is_instrumented() -> bool:
    """Whether :func:`instrument` is in effect."""
    return isinstance(_call_events.observer, SpanObserver)


__all__ = ["instrument", "is_instrumented", "uninstrument"]
