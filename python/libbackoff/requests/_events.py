"""The adapter's own error: a breaker's refusal that requests users catch as a connection error."""

from __future__ import annotations

import requests

from .. import circuit_state


class CircuitOpenError(requests.exceptions.ConnectionError, circuit_state.CircuitOpenError):
    """The circuit breaker of the request's origin rejected an attempt: the request failed fast.

    A subclass of ``requests.exceptions.ConnectionError`` (so ``except requests.RequestException``
    handles it) and of :class:`libbackoff.CircuitOpenError` (``remaining``, ``state`` and ``name`` as
    there). Raised before the first attempt, or in place of a retry (chained to the last attempt's
    exception, if it raised one).

    Attributes:
        origin: ``"https://api.example.com"``.
        retry_after: seconds until the breaker may admit again (the same as ``remaining``).
    """

    def __init__(
        self, origin: str, refused: circuit_state.CircuitOpenError, *, request: requests.PreparedRequest
    ) -> None:
        message = f"circuit breaker for {origin} is open; retry after {refused.remaining:.3f} s"
        super().__init__(message, request=request)
        self._message = message
        self.args = refused.args  # what libbackoff.CircuitOpenError reads its attributes from
        self.origin = origin
        self.retry_after = refused.remaining

    def __str__(self) -> str:
        return self._message
