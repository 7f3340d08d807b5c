"""The middleware's own error: a breaker's refusal that aiohttp users catch as a connection error."""

from __future__ import annotations

import aiohttp

from .. import circuit_state


class CircuitOpenError(aiohttp.ClientConnectionError, circuit_state.CircuitOpenError):
    """The circuit breaker of the request's origin rejected an attempt: the request failed fast.

    A subclass of ``aiohttp.ClientConnectionError`` (so ``except aiohttp.ClientError`` handles it) and
    of :class:`libbackoff.CircuitOpenError` (``remaining``, ``state`` and ``name`` as there). Raised
    before the first attempt, or in place of a retry (chained to the last attempt's exception, if it
    raised one).

    Attributes:
        origin: ``"https://api.example.com"``.
        retry_after: seconds until the breaker may admit again (the same as ``remaining``).
    """

    def __init__(self, origin: str, refused: circuit_state.CircuitOpenError) -> None:
        super().__init__(*refused.args)  # what libbackoff.CircuitOpenError reads its attributes from
        self.origin = origin
        self.retry_after = refused.remaining

    def __str__(self) -> str:
        return f"circuit breaker for {self.origin} is open; retry after {self.remaining:.3f} s"
