"""Retries for requests: an ``HTTPAdapter`` that retries transient failures with a libbackoff policy.

Install with ``pip install libbackoff[requests]``. ::

    import requests
    from libbackoff import exponential
    from libbackoff.requests import RetryAdapter

    session = requests.Session()
    session.mount("https://", RetryAdapter(policy=exponential(initial=0.2, cap=10, max_attempts=5)))

It takes the place of ``HTTPAdapter(max_retries=urllib3.util.Retry(...))`` with the rules of
``libbackoff.httpx``: the same defaults, ``Retry-After`` handling, breakers, budgets and hooks (see
``docs/http-adapters.md``). Retries are logged to the ``libbackoff.requests`` logger;
``PerHost``, ``GiveUp`` and ``RetryEvent`` come from :mod:`libbackoff.http`.
"""

from __future__ import annotations

try:
    import requests as _requests  # noqa: F401 - fail here, with the install command, rather than deep inside
except ImportError as error:  # pragma: no cover - the test environment has requests
    raise ImportError("libbackoff.requests needs requests: pip install 'libbackoff[requests]'") from error

from ._adapter import RETRY_EXCEPTIONS, RetryAdapter
from ._events import CircuitOpenError

__all__ = ["RETRY_EXCEPTIONS", "CircuitOpenError", "RetryAdapter"]
