"""The transports' own error: a breaker's refusal that httpx users catch as a transport error."""

from __future__ import annotations

import httpx

from .. import circuit_state


class CircuitOpenError(httpx.TransportError, circuit_state.CircuitOpenError):
    """The circuit breaker of the request's origin rejected an attempt: the request failed fast.

    A subclass of ``httpx.TransportError``, so code that handles httpx's transport errors handles it,
    and of :class:`libbackoff.CircuitOpenError`, so ``except libbackoff.CircuitOpenError`` catches every
    breaker's refusal, from a transport or not (``remaining``, ``state`` and ``name`` as there).
    Raised before the first attempt, or in place of a retry (chained to the last attempt's exception,
    if it raised one).

    Attributes:
        origin: ``"https://api.example.com"``.
        retry_after: seconds until the breaker may admit again: a hint for an outer retry loop
            (libbackoff's ``Retrying`` reads this attribute by default); the same as ``remaining``.
    """

    def __init__(self, origin: str, refused: circuit_state.CircuitOpenError, *, request: httpx.Request) -> None:
        message = f"circuit breaker for {origin} is open; retry after {refused.remaining:.3f} s"
        super().__init__(message, request=request)
        self._message = message
        self.args = refused.args  # what libbackoff.CircuitOpenError reads its attributes from
        self.origin = origin
        self.retry_after = refused.remaining

    def __str__(self) -> str:
        return str(self._message)
