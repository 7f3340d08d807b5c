"""RetryAdapter: a requests ``HTTPAdapter`` whose retries the engine decides."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from .. import circuit_state
from ..http import RequestRetry
from ..http.client_rules import ClientOptions, ClientRules
from ..http.exchange import Exchange, Failure, send_with_retries
from ..policy import Policy
from ._events import CircuitOpenError

if TYPE_CHECKING:
    from typing_extensions import Unpack

logger = logging.getLogger("libbackoff.requests")

#: Exceptions retried by default: a connection that failed or broke, and timeouts.
RETRY_EXCEPTIONS: tuple[type[Exception], ...] = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
)
# Connection errors that another attempt will not mend.
_PERMANENT = (requests.exceptions.SSLError, requests.exceptions.ProxyError, requests.exceptions.InvalidURL)


class RetryAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` that retries transient failures, mounted as usual::

        session = requests.Session()
        adapter = RetryAdapter(policy=exponential(initial=0.2, cap=10, max_attempts=5))
        session.mount("https://", adapter)
        session.mount("http://", adapter)

    Connection errors, timeouts and the statuses ``retry_statuses`` (429, 502, 503, 504) are retried
    for the methods ``retry_methods`` (the idempotent ones by default), for any method when the request
    carries an ``Idempotency-Key`` header, and for any method when the connection could not be made at
    all. A request whose body is a generator or a file is not retried. The wait is the policy's delay, at
    least the response's ``Retry-After`` and at most the policy's cap. A failed response is closed before
    the retry; when retrying stops, the last response is returned or the last exception raised.

    Keyword arguments (all optional) are those of ``libbackoff.httpx.RetryTransport``: ``policy``,
    ``retry_statuses``, ``retry_methods``, ``retry_exceptions``, ``respect_retry_after``, ``budget``,
    ``breaker``, ``on_retry``, ``on_giveup``, ``sleep``, ``clock``; ``pool_connections``,
    ``pool_maxsize`` and ``pool_block`` go to ``HTTPAdapter``. urllib3's own retries stay off
    (``max_retries=0``): each attempt is one ``HTTPAdapter.send``. See ``docs/http-adapters.md``.
    """

    def __init__(
        self,
        *,
        pool_connections: int = 10,
        pool_maxsize: int = 10,
        pool_block: bool = False,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._rules = ClientRules(RETRY_EXCEPTIONS, **options)
        super().__init__(pool_connections, pool_maxsize, 0, pool_block)

    @property
    def policy(self) -> Policy:
        """The policy that decides the waits."""
        return self._rules.policy

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        """Sends ``request`` (``HTTPAdapter.send``'s arguments), again after each transient failure."""
        exchange = _RequestsExchange(self._rules, request)
        return send_with_retries(exchange, lambda: super(RetryAdapter, self).send(request, *args, **kwargs), _close)

    def __repr__(self) -> str:
        return f"RetryAdapter(policy={self._rules.policy!r})"


def _close(response: requests.Response) -> None:
    response.close()


class _RequestsExchange(Exchange[requests.Response]):
    __slots__ = ("_request",)

    def __init__(self, rules: ClientRules, request: requests.PreparedRequest) -> None:
        url = urlsplit(request.url or "")
        call = RequestRetry(
            rules,
            request,
            method=(request.method or "GET").upper(),
            origin=f"{url.scheme}://{url.netloc.rpartition('@')[2]}",  # no user info
            path=url.path,
            idempotency_key="Idempotency-Key" in request.headers,
            # bytes and text are held in memory and can be sent again; a generator or a file is consumed
            replayable=request.body is None or isinstance(request.body, (bytes, str)),
            log=logger,
        )
        super().__init__(rules, call)
        self._request = request

    def answer(self, response: requests.Response) -> tuple[int, str | None]:
        return response.status_code, response.headers.get("Retry-After")

    def failure(self, exception: Exception) -> Failure:
        return Failure(
            retryable=not isinstance(exception, _PERMANENT),
            timeout=isinstance(exception, requests.exceptions.Timeout),
            sent=not _unsent(exception),
        )

    def refused(self, error: circuit_state.CircuitOpenError) -> Exception:
        return CircuitOpenError(self.call.origin, error, request=self._request)


def _unsent(exception: Exception) -> bool:
    """Whether the request certainly never reached the server: the connection was refused, its name did
    not resolve, or it timed out before it was made (urllib3's reason inside the error requests raises)."""
    if isinstance(exception, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(exception.args[0], "reason", None) if exception.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError)
