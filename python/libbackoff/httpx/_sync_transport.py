"""RetryTransport: retries for ``httpx.Client``."""

from __future__ import annotations

import time

import httpx

from ..http.retry_wait import wait_before_retry
from ._request_retry import HttpxRequestRetry
from ._wrapping import Wrapping


class RetryTransport(Wrapping[httpx.BaseTransport], httpx.BaseTransport):
    """Wraps an httpx transport (default ``httpx.HTTPTransport()``) and retries transient failures::

        client = httpx.Client(transport=RetryTransport(policy=exponential(initial=0.2, max_attempts=5)))

    Connection errors, timeouts and the statuses ``retry_statuses`` are retried for the methods
    ``retry_methods`` (the idempotent ones by default), for any method when the request carries an
    ``Idempotency-Key`` header, and for any method when the connection could not be made at all. A
    request whose body is a stream is not retried. The wait is the policy's delay, at least the
    response's ``Retry-After`` and at most the policy's cap. A failed response is closed before the
    retry; when retrying stops, the last response is returned or the last exception re-raised.

    Keyword arguments (all optional): ``policy``, ``retry_statuses``, ``retry_methods``,
    ``retry_exceptions``, ``respect_retry_after``, ``budget``, ``breaker`` (either may be a
    :class:`PerHost`, or a pool keyed by origin), ``limiter`` (an :class:`~libbackoff.AdaptiveLimiter`
    that paces every attempt; 429 and 503 responses count as throttles), the hooks ``on_retry`` and ``on_giveup`` (called with a :class:`RetryEvent`),
    and ``sleep`` and ``clock`` for tests. See ``docs/httpx.md``.
    """

    _wraps = httpx.BaseTransport
    _default = httpx.HTTPTransport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        call = HttpxRequestRetry(self._options, request)
        while True:
            while pause := call.send_wait():  # an adaptive limiter's wait for a send token
                (self._options.sleep or time.sleep)(pause)
            permit = call.admit()
            try:
                response = self._transport.handle_request(request)
            except BaseException as exc:
                call.after_exception(permit, exc)
            else:
                if call.delivers(permit, response):
                    return response
                response.close()  # a retried response, or a hook raised: no one else will close it
            wait_before_retry(call, self._options.sleep, call.delay())

    def close(self) -> None:
        self._transport.close()
