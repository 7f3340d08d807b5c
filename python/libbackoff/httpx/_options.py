"""The configuration of a retry transport: the options every retrying client takes, with httpx's
transient failures as the default exceptions."""

from __future__ import annotations

from typing import Any

import httpx

from ..http.client_rules import ClientOptions, ClientRules

#: Exceptions retried by default: timeouts, network errors, and a server that broke the protocol (the
#: usual symptom of a kept-alive connection that the server had closed).
RETRY_EXCEPTIONS: tuple[type[Exception], ...] = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# Failures before any byte of the request was sent: the server never saw it, so every method may be retried
# (as urllib3 retries connect errors whatever the method).
UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

#: The keyword arguments of :class:`RetryTransport` and :class:`AsyncRetryTransport`: those of every
#: retrying client (``libbackoff.requests.RetryAdapter`` and ``libbackoff.aiohttp.RetryMiddleware`` too).
TransportOptions = ClientOptions


class Options(ClientRules):
    """:class:`TransportOptions`, checked: a wrong type or value raises here, naming the option."""

    __slots__ = ()

    def __init__(self, **options: Any) -> None:
        super().__init__(RETRY_EXCEPTIONS, **options)
