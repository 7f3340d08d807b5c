"""What a retrying HTTP client tells the outside: the hook events and the reasons to give up."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


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
