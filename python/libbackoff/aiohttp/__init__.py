"""Retries for aiohttp: a client middleware that retries transient failures with a libbackoff policy.

Install with ``pip install libbackoff[aiohttp]`` (aiohttp 3.12 or later: client middlewares). ::

    import aiohttp
    from libbackoff import exponential
    from libbackoff.aiohttp import RetryMiddleware

    retry = RetryMiddleware(policy=exponential(initial=0.2, cap=10, max_attempts=5))
    async with aiohttp.ClientSession(middlewares=(retry,)) as session:
        async with session.get("https://api.example.com/items") as response: ...

The rules of ``libbackoff.httpx`` and ``libbackoff.requests``: the same defaults, ``Retry-After``
handling, breakers, budgets and hooks (see ``docs/http-adapters.md``);
``PerHost``, ``GiveUp`` and ``RetryEvent`` come from :mod:`libbackoff.http`. Retries are logged to the
``libbackoff.aiohttp`` logger.
"""

from __future__ import annotations

try:
    import aiohttp as _aiohttp  # noqa: F401 - fail here, with the install command, rather than deep inside
except ImportError as error:  # pragma: no cover - the test environment has aiohttp
    raise ImportError("libbackoff.aiohttp needs aiohttp: pip install 'libbackoff[aiohttp]'") from error

from ._events import CircuitOpenError
from ._middleware import RETRY_EXCEPTIONS, RetryMiddleware

__all__ = ["RETRY_EXCEPTIONS", "CircuitOpenError", "RetryMiddleware"]
