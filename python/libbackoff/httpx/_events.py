"""What the transports tell the outside: hook events, the reasons to give up, and the breaker's error."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import httpx

from .. import circuit_state


class GiveUp(str, enum.Enum):
    """Why a transient failure was not retried (:attr:`RetryEvent.give_up`)."""

    POLICY = "policy"  #: the policy's max_attempts or max_elapsed is reached
    BUDGET = "budget"  #: the retry budget refused the retry
    BREAKER = "breaker"  #: the circuit breaker rejected the retry
    METHOD = "method"  #: the method is not retried (POST without an Idempotency-Key, by default)
    BODY = "body"  #: the request body is a stream that cannot be sent again


@dataclass(frozen=True, slots=True)
class RetryEvent:
    """A transient failure, as ``on_retry`` and ``on_giveup`` hooks receive it.

    Attributes:
        request: the request.
        attempt: the number of the attempt that failed; 1 is the first.
        reason: what failed, for logs and metric labels: ``"status 503"`` or an exception class name
            such as ``"ConnectError"``.
        delay: seconds until the next attempt; 0.0 when giving up.
        response: the failed attempt's response (closed before a retry), or None.
        exception: the failed attempt's exception, or None.
        give_up: why there is no retry, or None in ``on_retry``.
    """

    request: httpx.Request
    attempt: int
    reason: str
    delay: float
    response: httpx.Response | None
    exception: Exception | None
    give_up: GiveUp | None


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
        super().__init__(f"circuit breaker for {origin} is open; retry after {refused.remaining:.3f} s", request=request)
        self._message = self.args[0]
        self.args = refused.args  # what libbackoff.CircuitOpenError reads its attributes from
        self.origin = origin
        self.retry_after = refused.remaining

    def __str__(self) -> str:
        return str(self._message)
