"""The configuration of a retry transport: the shared HTTP rules plus what httpx defines."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypedDict

import httpx

from .._filters import optional_callable
from ..clock import ClockOption
from ..http.rules import BreakerOption, BudgetOption, Hook, HttpRules
from ..policy import Policy

#: Exceptions retried by default: timeouts, network errors, and a server that broke the protocol (the
#: usual symptom of a kept-alive connection that the server had closed).
RETRY_EXCEPTIONS: tuple[type[Exception], ...] = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# Failures before any byte of the request was sent: the server never saw it, so every method may be retried
# (as urllib3 retries connect errors whatever the method).
UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class TransportOptions(TypedDict, total=False):
    """The keyword arguments of :class:`RetryTransport` and :class:`AsyncRetryTransport`."""

    policy: Policy
    retry_statuses: Iterable[int]
    retry_methods: Iterable[str]
    retry_exceptions: type[Exception] | tuple[type[Exception], ...]
    respect_retry_after: bool
    budget: BudgetOption
    breaker: BreakerOption
    on_retry: Hook
    on_giveup: Hook
    sleep: Callable[[float], Any]
    clock: ClockOption


class Options(HttpRules):
    """:class:`TransportOptions`, checked: a wrong type or value raises here, naming the option."""

    __slots__ = ("retry_exceptions", "sleep")

    def __init__(
        self,
        *,
        retry_exceptions: type[Exception] | tuple[type[Exception], ...] = RETRY_EXCEPTIONS,
        sleep: Callable[[float], Any] | None = None,
        **rules: Any,
    ) -> None:
        super().__init__(**rules)
        self.retry_exceptions = _exception_classes(retry_exceptions)
        self.sleep = optional_callable(sleep, "sleep")


def _exception_classes(value: type[Exception] | tuple[type[Exception], ...]) -> tuple[type[Exception], ...]:
    classes: tuple[object, ...] = value if isinstance(value, tuple) else (value,)
    for cls in classes:
        if not (isinstance(cls, type) and issubclass(cls, Exception)):
            raise TypeError(f"retry_exceptions: expected Exception subclasses (got {cls!r})")
    return value if isinstance(value, tuple) else (value,)
