"""One request through a transport: httpx's request, responses and exceptions told to the shared
:class:`~libbackoff.http.RequestRetry` as plain values, and a breaker's refusal raised as the
transports' :class:`CircuitOpenError`."""

from __future__ import annotations

import logging

import httpx

from .. import circuit_state
from ..http import RequestRetry
from ._events import CircuitOpenError
from ._options import UNSENT, Options

logger = logging.getLogger("libbackoff.httpx")


def origin_of(url: httpx.URL) -> str:
    """``"https://api.example.com"``: what a per-host breaker or budget is keyed by (no user info)."""
    return f"{url.scheme}://{url.netloc.decode('ascii')}"


class HttpxRequestRetry:
    """:class:`~libbackoff.http.RequestRetry` with httpx's types: the transports call it the same way."""

    __slots__ = ("_call", "_request", "_retry_exceptions")

    def __init__(self, options: Options, request: httpx.Request) -> None:
        self._request = request
        self._retry_exceptions = options.retry_exceptions
        self._call = RequestRetry(
            options,
            request,
            method=request.method,
            origin=origin_of(request.url),
            path=request.url.path,
            idempotency_key="idempotency-key" in request.headers,
            # A body given as bytes, text, form data or JSON is held in memory and can be sent again; a
            # generator or file stream is consumed by the first attempt.
            replayable=isinstance(request.stream, httpx.ByteStream),
            log=logger,
        )

    def admit(self) -> int:
        """The breaker's permit for the next attempt (0 without a breaker); raises
        :class:`CircuitOpenError`, chained to the last attempt's exception, when the breaker refuses."""
        try:
            return self._call.admit()
        except circuit_state.CircuitOpenError as refused:
            raise CircuitOpenError(self._call.origin, refused, request=self._request) from refused.__cause__

    def after_response(self, permit: int, response: httpx.Response) -> float | None:
        return self._call.after_response(permit, response.status_code, response.headers.get("retry-after"), response)

    def after_exception(self, permit: int, exception: Exception) -> float | None:
        return self._call.after_exception(
            permit,
            exception,
            retryable=isinstance(exception, self._retry_exceptions),
            timeout=isinstance(exception, httpx.TimeoutException),
            sent=not isinstance(exception, UNSENT),
        )

    def abandon_attempt(self, permit: int) -> None:
        self._call.abandon_attempt(permit)

    def abandon_wait(self) -> None:
        self._call.abandon_wait()
