"""The attempts of one request through a blocking client, whatever its library: send, report the outcome,
close a failed response, sleep the decided wait, again until an outcome is delivered.

A blocking adapter (httpx's ``RetryTransport``, requests' ``RetryAdapter``) gives this loop its way to
send and to close, and a :class:`RequestCalls` that translates its library's responses and exceptions into
the plain values of :class:`~libbackoff.http.RequestRetry`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from ..testing import switch

R = TypeVar("R")
Response_contra = TypeVar("Response_contra", contravariant=True)


class RequestCalls(Protocol[Response_contra]):
    """One request's decisions, told about each attempt in the adapter's own types."""

    def admit(self) -> int: ...
    def after_response(self, permit: int, response: Response_contra) -> float | None: ...
    def after_exception(self, permit: int, exception: Exception) -> float | None: ...
    def abandon_attempt(self, permit: int) -> None: ...
    def abandon_wait(self) -> None: ...


def send_with_retries(
    call: RequestCalls[R], send: Callable[[], R], close: Callable[[R], Any], sleep: Callable[[float], Any] | None
) -> R:
    """Sends until ``call`` delivers an outcome: returns the last response or raises the last exception.

    ``sleep`` replaces ``time.sleep`` (tests); without it the wait is skipped in libbackoff's testing mode.
    An interrupted attempt gives its breaker permit back; an interrupted wait refunds its budget ticket.
    """
    while True:
        permit = call.admit()
        try:
            response = send()
        except Exception as exc:
            delay = call.after_exception(permit, exc)
            if delay is None:
                raise
        except BaseException:
            call.abandon_attempt(permit)
            raise
        else:
            try:
                delay = call.after_response(permit, response)
            except BaseException:
                close(response)  # a hook raised: no one else will close the response
                raise
            if delay is None:
                return response
            close(response)
        try:
            if sleep is not None:
                sleep(delay)
            elif switch.waiting:
                time.sleep(delay)  # releases the GIL; a KeyboardInterrupt ends it at once
        except BaseException:
            call.abandon_wait()
            raise
