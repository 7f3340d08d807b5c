"""Retries for httpx: transports that retry transient failures with a libbackoff policy.

Install with ``pip install libbackoff[httpx]``. ::

    import httpx
    from libbackoff import exponential
    from libbackoff.httpx import RetryTransport, AsyncRetryTransport

    client = httpx.Client(transport=RetryTransport(policy=exponential(initial=0.2, cap=10, max_attempts=5)))
    async_client = httpx.AsyncClient(transport=AsyncRetryTransport())

The client keeps its API: a request returns its response or raises httpx's exception, as without the
transport, only after the retries. Connection errors, timeouts and the statuses 429, 502, 503 and 504 are
retried for idempotent methods; ``Retry-After`` is honoured, within the policy's cap. libbackoff's
:class:`~libbackoff.CircuitBreaker` and :class:`~libbackoff.RetryBudget` plug in with ``breaker=`` and
``budget=``, one for all hosts or one per host (:class:`PerHost`, or a
:class:`~libbackoff.CircuitBreakerPool` or :class:`~libbackoff.RetryBudgetPool` keyed by origin). Retries are logged to the
``libbackoff.httpx`` logger, and reported to the ``on_retry`` and ``on_giveup`` hooks.
"""

from __future__ import annotations

try:
    import httpx as _httpx  # noqa: F401 - fail here, with the install command, rather than deep inside
except ImportError as error:  # pragma: no cover - the test environment has httpx
    raise ImportError("libbackoff.httpx needs httpx: pip install 'libbackoff[httpx]'") from error

from ..http import IDEMPOTENT_METHODS, RETRY_STATUSES, GiveUp, PerHost, RetryEvent, default_policy
from ._async_transport import AsyncRetryTransport
from ._events import CircuitOpenError
from ._options import RETRY_EXCEPTIONS, TransportOptions
from ._sync_transport import RetryTransport

__all__ = [
    "IDEMPOTENT_METHODS",
    "RETRY_EXCEPTIONS",
    "RETRY_STATUSES",
    "AsyncRetryTransport",
    "CircuitOpenError",
    "GiveUp",
    "PerHost",
    "RetryEvent",
    "RetryTransport",
    "TransportOptions",
    "default_policy",
]
