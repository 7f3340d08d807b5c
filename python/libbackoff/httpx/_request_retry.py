"""One request through a transport: httpx's request, responses and exceptions told to the shared
:class:`~libbackoff.http.RequestRetry` as plain values, and a breaker's refusal raised as the
transports' :class:`CircuitOpenError`."""

from __future__ import annotations

import logging

import httpx

from .. import circuit_state
from ..adaptive import RateLimitExceeded
from ..http import RequestRetry
from ._events import CircuitOpenError
from ._options import THROTTLING_STATUSES, UNSENT, Options

logger = logging.getLogger("libbackoff.httpx")


def origin_of(url: httpx.URL) -> str:
    """``"https://api.example.com"``: what a per-host breaker or budget is keyed by (no user info)."""
    return f"{url.scheme}://{url.netloc.decode('ascii')}"


class HttpxRequestRetry:
    """:class:`~libbackoff.http.RequestRetry` with httpx's types, for both transports, which only send,
    close and sleep::

        while pause := call.send_wait():
            wait(pause)  # an adaptive limiter's wait for a send token
        permit = call.admit()
        try:
            response = send(request)
        except BaseException as exc:
            call.after_exception(permit, exc)  # raises exc again unless it is retried
        else:
            if call.delivers(permit, response):
                return response
            close(response)
        wait(call.delay())  # call.abandon_wait() if the wait is interrupted
    """

    __slots__ = ("_call", "_request", "_retry_exceptions", "_limiter", "_delay", "_hook_error")

    def __init__(self, options: Options, request: httpx.Request) -> None:
        self._request = request
        self._delay = 0.0
        self._hook_error: BaseException | None = None
        self._retry_exceptions = options.retry_exceptions
        self._limiter = options.limiter
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

    def send_wait(self) -> float:
        """Before every attempt: 0.0 when it may be sent (it took the limiter's send token, if there is a
        limiter), else the seconds to wait before asking again; a fail-fast limiter raises
        :class:`~libbackoff.RateLimitExceeded` instead."""
        if self._limiter is None:
            return 0.0
        try:
            return self._limiter.acquire()
        except RateLimitExceeded:
            self._call.abandon_wait()  # the retry will not run: its budget ticket goes back
            raise

    def admit(self) -> int:
        """The breaker's permit for the next attempt (0 without a breaker); raises
        :class:`CircuitOpenError`, chained to the last attempt's exception, when the breaker refuses."""
        try:
            return self._call.admit()
        except circuit_state.CircuitOpenError as refused:
            raise CircuitOpenError(self._call.origin, refused, request=self._request) from refused.__cause__

    def after_exception(self, permit: int, exception: BaseException) -> None:
        """The attempt raised ``exception``: returns when it is retried, raises it again otherwise. An
        interrupt (KeyboardInterrupt, task cancellation) is never retried and gives the permit back."""
        if not isinstance(exception, Exception):
            self._call.abandon_attempt(permit)
            raise exception
        sent = not isinstance(exception, UNSENT)
        if self._limiter is not None and sent:
            self._limiter.record(False)  # no answer is no throttle, but an attempt the service may have seen
        delay = self._call.after_exception(
            permit,
            exception,
            retryable=isinstance(exception, self._retry_exceptions),
            timeout=isinstance(exception, httpx.TimeoutException),
            sent=sent,
        )
        if delay is None:
            raise exception
        self._delay = delay

    def delivers(self, permit: int, response: httpx.Response) -> bool:
        """Whether ``response`` ends the request; if not, the transport closes it and waits. An ``on_retry``
        hook that raises ends the request too: :meth:`delay` raises its error, once the response is closed."""
        if self._limiter is not None:
            self._limiter.record(response.status_code in THROTTLING_STATUSES)
        try:
            delay = self._call.after_response(
                permit, response.status_code, response.headers.get("retry-after"), response
            )
        except BaseException as error:
            self._hook_error = error
            return False
        if delay is None:
            return True
        self._delay = delay
        return False

    def delay(self) -> float:
        """The seconds to wait before the next attempt; raises a hook's error instead."""
        if self._hook_error is not None:
            raise self._hook_error
        return self._delay

    def abandon_attempt(self, permit: int) -> None:
        self._call.abandon_attempt(permit)

    def abandon_wait(self) -> None:
        self._call.abandon_wait()
