"""The configuration of a retry transport: the options every retrying client takes, with httpx's
transient failures as the default exceptions."""

from __future__ import annotations

from typing import Any

import httpx

from ..adaptive import AdaptiveLimiter
from ..http.client_rules import ClientOptions, ClientRules

#: Exceptions retried by default: timeouts, network errors, and a server that broke the protocol (the
#: usual symptom of a kept-alive connection that the server had closed).
RETRY_EXCEPTIONS: tuple[type[Exception], ...] = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# Failures before any byte of the request was sent: the server never saw it, so every method may be retried
# (as urllib3 retries connect errors whatever the method).
UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

#: Responses that count as throttles for an adaptive limiter: too many requests, and unavailable (the
#: status a throttling service behind a load balancer, or S3's SlowDown, answers with).
THROTTLING_STATUSES: frozenset[int] = frozenset({429, 503})


class TransportOptions(ClientOptions, total=False):
    """The keyword arguments of :class:`RetryTransport` and :class:`AsyncRetryTransport`: those of every
    retrying client (``libbackoff.requests.RetryAdapter`` and ``libbackoff.aiohttp.RetryMiddleware`` too),
    and ``limiter``, an :class:`~libbackoff.AdaptiveLimiter` that paces every attempt."""

    limiter: AdaptiveLimiter


class Options(ClientRules):
    """:class:`TransportOptions`, checked: a wrong type or value raises here, naming the option."""

    __slots__ = ("limiter",)

    def __init__(self, *, limiter: AdaptiveLimiter | None = None, **options: Any) -> None:
        super().__init__(RETRY_EXCEPTIONS, **options)
        if limiter is not None and not isinstance(limiter, AdaptiveLimiter):
            raise TypeError(f"limiter: expected a libbackoff AdaptiveLimiter (got {limiter!r})")
        self.limiter = limiter
