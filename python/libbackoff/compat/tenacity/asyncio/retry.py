"""``tenacity.asyncio.retry``: the retry strategies that accept ``async def`` predicates. The strategies
of ``tenacity.retry`` already do (they hand an awaitable verdict to AsyncRetrying), so these are they."""

from __future__ import annotations

from ..retry import retry_all, retry_any, retry_base, retry_if_exception, retry_if_result

#: tenacity.asyncio's base class of async strategies: here every strategy may be async.
async_retry_base = retry_base

__all__ = ["async_retry_base", "retry_all", "retry_any", "retry_if_exception", "retry_if_result"]
