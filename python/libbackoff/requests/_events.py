"""The adapter's own error: a breaker's refusal that requests users catch as a connection error."""

from __future__ import annotations

import requests

from ..http.events import OriginCircuitOpenError


class CircuitOpenError(OriginCircuitOpenError, requests.exceptions.ConnectionError):
    """The circuit breaker of the request's origin rejected an attempt: the request failed fast.

    A subclass of ``requests.exceptions.ConnectionError`` (so ``except requests.RequestException``
    handles it) and of :class:`libbackoff.CircuitOpenError`, with ``origin`` and ``retry_after``. Raised
    before the first attempt, or in place of a retry (chained to the last attempt's exception, if it
    raised one). ``request`` is the ``PreparedRequest``.
    """
