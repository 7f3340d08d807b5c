"""RetryMiddleware: an aiohttp client middleware whose retries the engine decides."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import ClientHandlerType, ClientRequest, ClientResponse

from .. import circuit_state
from ..http import RequestRetry
from ..http.client_rules import ClientOptions, ClientRules
from ..http.exchange import Exchange, Failure, send_with_retries_async
from ..policy import Policy
from ._events import CircuitOpenError

if TYPE_CHECKING:
    from typing_extensions import Unpack

logger = logging.getLogger("libbackoff.aiohttp")

#: Exceptions retried by default: a connection that could not be made or broke, and a read timeout.
RETRY_EXCEPTIONS: tuple[type[Exception], ...] = (aiohttp.ClientConnectionError,)
# Connection errors that another attempt will not mend.
_PERMANENT = (aiohttp.ClientSSLError, aiohttp.InvalidURL)
# Failures before the request was written: the server never saw it, so every method may be retried.
_UNSENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)


class RetryMiddleware:
    """An aiohttp client middleware that retries transient failures::

        middleware = RetryMiddleware(policy=exponential(initial=0.2, cap=10, max_attempts=5))
        async with aiohttp.ClientSession(middlewares=(middleware,)) as session:
            async with session.get(url) as response: ...

    The rules are those of ``libbackoff.requests.RetryAdapter`` and ``libbackoff.httpx.RetryTransport``,
    and so are the keyword arguments (``sleep``, if given, is an ``async`` function of float seconds).
    aiohttp's ``ClientTimeout(total=...)`` bounds the whole call, retries and waits included. One
    middleware may serve many sessions at once: its breakers and budgets are shared by them.
    """

    __slots__ = ("_rules",)

    def __init__(self, **options: Unpack[ClientOptions]) -> None:
        self._rules = ClientRules(RETRY_EXCEPTIONS, **options)

    @property
    def policy(self) -> Policy:
        """The policy that decides the waits."""
        return self._rules.policy

    async def __call__(self, request: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        return await send_with_retries_async(_AiohttpExchange(self._rules, request), lambda: handler(request), _close)

    def __repr__(self) -> str:
        return f"RetryMiddleware(policy={self._rules.policy!r})"


def _close(response: ClientResponse) -> None:
    response.release()  # the connection goes back to the pool, ready for the retry


class _AiohttpExchange(Exchange[ClientResponse]):
    __slots__ = ()

    def __init__(self, rules: ClientRules, request: ClientRequest) -> None:
        call = RequestRetry(
            rules,
            request,
            method=request.method.upper(),
            origin=str(request.url.origin()),  # no user info: aiohttp has moved it to the headers
            path=request.url.path,
            idempotency_key="Idempotency-Key" in request.headers,
            # bytes, text, form data and JSON are held in memory; a generator or a file is consumed
            replayable=isinstance(request.body, (bytes, aiohttp.payload.BytesPayload)),
            log=logger,
        )
        super().__init__(rules, call)

    def answer(self, response: ClientResponse) -> tuple[int, str | None]:
        return response.status, response.headers.get("Retry-After")

    def failure(self, exception: Exception) -> Failure:
        return Failure(
            retryable=not isinstance(exception, _PERMANENT),
            timeout=isinstance(exception, TimeoutError),
            sent=not isinstance(exception, _UNSENT),
        )

    def refused(self, error: circuit_state.CircuitOpenError) -> Exception:
        return CircuitOpenError(self.call.origin, error)
