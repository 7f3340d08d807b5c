"""RetryAdapter: a requests ``HTTPAdapter`` that retries transient failures with the engine's decisions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from .. import circuit_state
from .._filters import optional_callable
from ..http import HttpRules, RequestRetry
from ..http.sync_attempts import send_with_retries
from ..policy import Policy
from ._errors import CircuitOpenError

logger = logging.getLogger("libbackoff.requests")

#: Exceptions retried: a connection that failed or broke, and timeouts (an SSL error is not transient).
RETRY_EXCEPTIONS: tuple[type[Exception], ...] = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
)
_NOT_TRANSIENT = (requests.exceptions.SSLError, requests.exceptions.ProxyError)


class RetryAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` that sends a request again after a connection error, a timeout or a status of
    ``retry_statuses`` (429, 502, 503, 504), for the idempotent ``retry_methods``, for any method when the
    request carries an ``Idempotency-Key`` header, and for any method when the connection was refused (the
    server never saw the request). A body that is a stream or a file is not sent again.

    The wait is the policy's delay (default: 0.5 s doubling with full jitter, 4 attempts, at most 30 s),
    at least the response's ``Retry-After`` (seconds or an HTTP date) and at most the policy's cap. A
    failed response is closed before the retry; when retrying stops, the last response is returned or the
    last exception raised. ``libbackoff.set_testing(True)`` skips the waits.

    Keyword arguments (all optional): those of :class:`libbackoff.http.HttpRules` (``policy``,
    ``retry_statuses``, ``retry_methods``, ``respect_retry_after``, ``budget``, ``breaker``, ``on_retry``,
    ``on_giveup``, ``clock``), ``sleep`` for tests, and ``HTTPAdapter``'s pool sizes. A breaker's refusal
    raises :class:`CircuitOpenError`, a ``requests.exceptions.ConnectionError``.
    """

    def __init__(
        self,
        *,
        sleep: Callable[[float], Any] | None = None,
        pool_connections: int = 10,
        pool_maxsize: int = 10,
        pool_block: bool = False,
        **rules: Any,
    ) -> None:
        self._rules = HttpRules(**rules)
        self._sleep = optional_callable(sleep, "sleep")
        # urllib3 retries nothing (max_retries=0): every retry is decided here.
        super().__init__(pool_connections, pool_maxsize, max_retries=0, pool_block=pool_block)

    @property
    def policy(self) -> Policy:
        """The policy that decides the waits."""
        return self._rules.policy

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        return send_with_retries(
            _RequestsCalls(self._rules, request),
            lambda: super(RetryAdapter, self).send(request, **kwargs),
            requests.Response.close,
            self._sleep,
        )

    def __repr__(self) -> str:
        return f"RetryAdapter(policy={self._rules.policy!r})"


class _RequestsCalls:
    """:class:`~libbackoff.http.RequestRetry` told about requests' responses and exceptions."""

    __slots__ = ("_call", "_request")

    def __init__(self, rules: HttpRules, request: requests.PreparedRequest) -> None:
        url = urlsplit(request.url or "")
        self._request = request
        self._call = RequestRetry(
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

    def admit(self) -> int:
        try:
            return self._call.admit()
        except circuit_state.CircuitOpenError as refused:
            raise CircuitOpenError(self._call.origin, refused, request=self._request) from refused.__cause__

    def after_response(self, permit: int, response: requests.Response) -> float | None:
        return self._call.after_response(permit, response.status_code, response.headers.get("Retry-After"), response)

    def after_exception(self, permit: int, exception: Exception) -> float | None:
        return self._call.after_exception(
            permit,
            exception,
            retryable=isinstance(exception, RETRY_EXCEPTIONS) and not isinstance(exception, _NOT_TRANSIENT),
            timeout=isinstance(exception, requests.exceptions.Timeout),
            sent=not _unsent(exception),
        )

    def abandon_attempt(self, permit: int) -> None:
        self._call.abandon_attempt(permit)

    def abandon_wait(self) -> None:
        self._call.abandon_wait()


def _unsent(exception: Exception) -> bool:
    """Whether the request certainly never reached the server: the connection was refused or timed out
    before it was made (urllib3 reports both as the reason of the error requests raises)."""
    if isinstance(exception, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(exception.args[0], "reason", None) if exception.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError)
