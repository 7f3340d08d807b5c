"""The middleware's own error: a breaker's refusal that aiohttp users catch as a connection error."""

from __future__ import annotations

import aiohttp

from ..http.events import OriginCircuitOpenError


class CircuitOpenError(OriginCircuitOpenError, aiohttp.ClientConnectionError):
    """The circuit breaker of the request's origin rejected an attempt: the request failed fast.

    A subclass of ``aiohttp.ClientConnectionError`` (so ``except aiohttp.ClientError`` handles it) and
    of :class:`libbackoff.CircuitOpenError`, with ``origin`` and ``retry_after``. Raised before the first
    attempt, or in place of a retry (chained to the last attempt's exception, if it raised one).
    """
