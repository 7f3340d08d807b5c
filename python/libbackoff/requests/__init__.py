"""Retries for requests: an ``HTTPAdapter`` whose waits, ``Retry-After`` handling, budgets and breakers
are the engine's, through the transport-neutral rules of :mod:`libbackoff.http`::

    session = requests.Session()
    session.mount("https://", RetryAdapter(policy=exponential(initial=0.2, max_attempts=5)))

It replaces ``HTTPAdapter(max_retries=urllib3.util.Retry(...))``: urllib3's own retries stay off, and
each attempt is one ``HTTPAdapter.send``. See docs/compat.md.
"""

from __future__ import annotations

from ._adapter import RETRY_EXCEPTIONS, RetryAdapter
from ._errors import CircuitOpenError

__all__ = ["RETRY_EXCEPTIONS", "CircuitOpenError", "RetryAdapter"]
