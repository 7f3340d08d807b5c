"""RetryAdapter: a requests ``HTTPAdapter`` that retries transient failures with the engine's decisions."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from .._filters import optional_callable
from ..clock import ClockOption
from ..http import IDEMPOTENT_METHODS, RETRY_STATUSES, BreakerOption, BudgetOption, HttpRules, RequestRetry
from ..http.rules import Hook
from ..policy import Policy
from ..testing import switch

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
    last exception raised. ``budget`` and ``breaker`` (each may be a ``PerHost``) limit retries across
    requests; ``on_retry`` and ``on_giveup`` receive a ``RetryEvent``; ``sleep`` and ``clock`` are for
    tests. ``libbackoff.set_testing(True)`` skips the waits. Other keywords go to ``HTTPAdapter``
    (``pool_connections``, ``pool_maxsize``, ``pool_block``).
    """

    def __init__(
        self,
        *,
        policy: Policy | None = None,
        retry_statuses: Iterable[int] = RETRY_STATUSES,
        retry_methods: Iterable[str] = IDEMPOTENT_METHODS,
        respect_retry_after: bool = True,
        budget: BudgetOption | None = None,
        breaker: BreakerOption | None = None,
        on_retry: Hook | None = None,
        on_giveup: Hook | None = None,
        sleep: Callable[[float], Any] | None = None,
        clock: ClockOption | None = None,
        **pool: Any,
    ) -> None:
        self._rules = HttpRules(
            policy=policy,
            retry_statuses=retry_statuses,
            retry_methods=retry_methods,
            respect_retry_after=respect_retry_after,
            budget=budget,
            breaker=breaker,
            on_retry=on_retry,
            on_giveup=on_giveup,
            clock=clock,
        )
        self._sleep = optional_callable(sleep, "sleep")
        super().__init__(max_retries=0, **pool)  # every retry is decided here, none by urllib3

    @property
    def policy(self) -> Policy:
        """The policy that decides the waits."""
        return self._rules.policy

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        call = _request_retry(self._rules, request)
        while True:
            permit = call.admit()
            try:
                response = super().send(request, **kwargs)
            except Exception as exc:
                delay = call.after_exception(
                    permit,
                    exc,
                    retryable=isinstance(exc, RETRY_EXCEPTIONS) and not isinstance(exc, _NOT_TRANSIENT),
                    timeout=isinstance(exc, requests.exceptions.Timeout),
                    sent=not _unsent(exc),
                )
                if delay is None:
                    raise
            except BaseException:
                call.abandon_attempt(permit)
                raise
            else:
                try:
                    delay = call.after_response(
                        permit, response.status_code, response.headers.get("Retry-After"), response
                    )
                except BaseException:
                    response.close()  # a hook raised: no one else will close the response
                    raise
                if delay is None:
                    return response
                response.close()
            self._wait(call, delay)

    def _wait(self, call: RequestRetry, delay: float) -> None:
        try:
            if self._sleep is not None:
                self._sleep(delay)
            elif switch.waiting:
                time.sleep(delay)
        except BaseException:
            call.abandon_wait()
            raise

    def __repr__(self) -> str:
        return f"RetryAdapter(policy={self._rules.policy!r})"


def _request_retry(rules: HttpRules, request: requests.PreparedRequest) -> RequestRetry:
    url = urlsplit(request.url or "")
    return RequestRetry(
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


def _unsent(exception: Exception) -> bool:
    """Whether the request certainly never reached the server: the connection was refused or timed out
    before it was made (urllib3 reports both as the reason of the error requests raises)."""
    if isinstance(exception, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(exception.args[0], "reason", None) if exception.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError)
