"""HTTP retries without a client library: the rules and the per-request decisions every adapter shares.

* :class:`HttpRules`: which methods, statuses and bodies are retried, how ``Retry-After`` is read,
  and which circuit breaker and retry budget an origin uses (one for all, or :class:`PerHost`).
* :class:`RequestRetry`: one request's decisions, from its first attempt to its end, told about each
  attempt in plain values (status, ``Retry-After``, "retryable", "a timeout", "sent").

An adapter translates its library's requests, responses and exceptions into those values and sends,
closes and sleeps; ``libbackoff.httpx`` is one. The core ``Retrier`` decides every wait.
"""

from __future__ import annotations

from .events import GiveUp, RetryEvent
from .per_host import PerHost
from .request_retry import RequestRetry
from .rules import IDEMPOTENT_METHODS, RETRY_STATUSES, BreakerOption, BudgetOption, HttpRules, default_policy

__all__ = [
    "IDEMPOTENT_METHODS",
    "RETRY_STATUSES",
    "BreakerOption",
    "BudgetOption",
    "GiveUp",
    "HttpRules",
    "PerHost",
    "RequestRetry",
    "RetryEvent",
    "default_policy",
]
