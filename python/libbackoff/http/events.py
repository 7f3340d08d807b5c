"""What a retrying HTTP client tells the outside: the hook events and the reasons to give up."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from ..circuit_state import CircuitOpenError


class GiveUp(str, enum.Enum):
    """Why a transient failure was not retried (:attr:`RetryEvent.give_up`)."""

    POLICY = "policy"  #: the policy's max_attempts or max_elapsed is reached
    DEADLINE = "deadline"  #: the next wait would end past the request's deadline
    BUDGET = "budget"  #: the retry budget refused the retry
    BREAKER = "breaker"  #: the circuit breaker rejected the retry
    METHOD = "method"  #: the method is not retried (POST without an Idempotency-Key, by default)
    BODY = "body"  #: the request body is a stream that cannot be sent again


@dataclass(frozen=True, slots=True)
class RetryEvent:
    """A transient failure, as ``on_retry`` and ``on_giveup`` hooks receive it.

    Attributes:
        request: the request, as the client library has it (an ``httpx.Request``).
        attempt: the number of the attempt that failed; 1 is the first.
        reason: what failed, for logs and metric labels: ``"status 503"`` or an exception class name
            such as ``"ConnectError"``.
        delay: seconds until the next attempt; 0.0 when giving up.
        response: the failed attempt's response (closed before a retry), or None; the library's type.
        exception: the failed attempt's exception, or None.
        give_up: why there is no retry, or None in ``on_retry``.
    """

    request: Any
    attempt: int
    reason: str
    delay: float
    response: Any
    exception: Exception | None
    give_up: GiveUp | None


class OriginCircuitOpenError(CircuitOpenError):
    """The base of an adapter's breaker refusal: the circuit breaker of ``origin`` rejected an attempt.

    An adapter's error lists this class first and its library's connection error second
    (``class CircuitOpenError(OriginCircuitOpenError, requests.exceptions.ConnectionError)``), so that its
    users catch it as they catch the library's errors and as :class:`libbackoff.CircuitOpenError`
    (``remaining``, ``state`` and ``name`` as there). ``library_kwargs`` go to the library's class.

    Attributes:
        origin: ``"https://api.example.com"``.
        retry_after: seconds until the breaker may admit again (the same as ``remaining``).
    """

    def __init__(self, origin: str, refused: CircuitOpenError, **library_kwargs: Any) -> None:
        super().__init__(**library_kwargs)  # type: ignore[call-arg]  # the library's error class is next
        self.args = refused.args  # what libbackoff.CircuitOpenError reads its attributes from
        self.origin = origin
        self.retry_after = refused.remaining

    def __str__(self) -> str:
        return f"circuit breaker for {self.origin} is open; retry after {self.remaining:.3f} s"
