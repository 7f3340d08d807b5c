"""The configuration of a retry transport: validated once, then read by every request through it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypedDict, TypeVar

import httpx

from .. import _core
from ..breaker import CircuitBreaker
from ..budget import RetryBudget, RetryBudgetPool
from ..clock import ClockOption, clock_of
from ..policy import Policy, exponential
from ..server_hints import retry_after_ns
from ._events import GiveUp, RetryEvent
from ._per_host import PerHost

#: Methods retried by default: the idempotent ones of RFC 9110 section 9.2.2 (POST and PATCH are not).
IDEMPOTENT_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
#: Statuses retried by default: too many requests, and the gateway and availability errors.
RETRY_STATUSES: frozenset[int] = frozenset({429, 502, 503, 504})
#: Exceptions retried by default: timeouts, network errors, and a server that broke the protocol (the
#: usual symptom of a kept-alive connection that the server had closed).
RETRY_EXCEPTIONS: tuple[type[Exception], ...] = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# Failures before any byte of the request was sent: the server never saw it, so every method may be retried
# (as urllib3 retries connect errors whatever the method).
_UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

Hook = Callable[[RetryEvent], object]
BreakerOption = CircuitBreaker | PerHost[CircuitBreaker]
#: One budget for all hosts, a pool keyed by origin, or one made per host.
BudgetOption = RetryBudget | RetryBudgetPool | PerHost[RetryBudget]


def default_policy() -> Policy:
    """0.5 s, 1 s, 2 s... (full jitter), at most 30 s per wait and 4 attempts in all."""
    return exponential(initial=0.5, cap=30, max_attempts=4)


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


class Options:
    """:class:`TransportOptions`, checked: a wrong type or value raises here, naming the option."""

    __slots__ = (
        "policy",
        "_policy",
        "retry_statuses",
        "retry_methods",
        "retry_exceptions",
        "respect_retry_after",
        "budget",
        "breaker",
        "on_retry",
        "on_giveup",
        "sleep",
        "clock",
    )

    def __init__(
        self,
        *,
        policy: Policy | None = None,
        retry_statuses: Iterable[int] = RETRY_STATUSES,
        retry_methods: Iterable[str] = IDEMPOTENT_METHODS,
        retry_exceptions: type[Exception] | tuple[type[Exception], ...] = RETRY_EXCEPTIONS,
        respect_retry_after: bool = True,
        budget: BudgetOption | None = None,
        breaker: BreakerOption | None = None,
        on_retry: Hook | None = None,
        on_giveup: Hook | None = None,
        sleep: Callable[[float], Any] | None = None,
        clock: ClockOption | None = None,
    ) -> None:
        if policy is None:
            policy = default_policy()
        elif not isinstance(policy, Policy):
            raise TypeError(f"policy: expected a libbackoff Policy such as exponential() (got {policy!r})")
        self.policy = policy
        self._policy = policy._policy
        self.retry_statuses = frozenset(_statuses(retry_statuses))
        self.retry_methods = frozenset(_methods(retry_methods))
        self.retry_exceptions = _exception_classes(retry_exceptions)
        self.respect_retry_after = bool(respect_retry_after)
        self.budget: BudgetOption | None = _checked(budget, "budget", (RetryBudget, RetryBudgetPool))
        self.breaker: BreakerOption | None = _checked(breaker, "breaker", (CircuitBreaker,))
        self.on_retry = _optional_callable(on_retry, "on_retry")
        self.on_giveup = _optional_callable(on_giveup, "on_giveup")
        self.sleep = _optional_callable(sleep, "sleep")
        self.clock = clock_of(clock)

    def refusal(self, request: httpx.Request) -> GiveUp | None:
        """Why no failure of this request may be retried, or None when it may be."""
        if request.method not in self.retry_methods and "idempotency-key" not in request.headers:
            return GiveUp.METHOD
        # A body given as bytes, text, form data or JSON is held in memory and can be sent again; a
        # generator or file stream is consumed by the first attempt.
        if not isinstance(request.stream, httpx.ByteStream):
            return GiveUp.BODY
        return None

    def breaker_for(self, origin: str) -> CircuitBreaker | None:
        breaker = self.breaker
        return _of_type(breaker(origin), CircuitBreaker, "breaker") if isinstance(breaker, PerHost) else breaker

    def budget_for(self, origin: str) -> RetryBudget | None:
        budget = self.budget
        if isinstance(budget, PerHost):
            return _of_type(budget(origin), RetryBudget, "budget")
        if isinstance(budget, RetryBudgetPool):
            return budget.get(origin)
        return budget

    @staticmethod
    def unsent(exception: Exception) -> bool:
        """Whether the request certainly never reached the server."""
        return isinstance(exception, _UNSENT)

    def hint_ns(self, response: httpx.Response) -> int:
        """The response's Retry-After in nanoseconds; 0 for none, or one that is malformed."""
        value = response.headers.get("retry-after") if self.respect_retry_after else None
        if value is None:
            return 0
        wait_ns = retry_after_ns(value, time.time_ns())
        return 0 if wait_ns is None else wait_ns

    def monotonic(self) -> float:
        return self.clock.now_ns() / 1e9

    def new_retrier(self) -> _core.Retrier:
        return _core.Retrier(self._policy, self.clock.now_ns())

    def decide(self, retrier: _core.Retrier, hint_ns: int) -> float | None:
        """The core's decision on a failed attempt: seconds to wait, or None to stop."""
        return retrier.on_failure_at_seconds(self.clock.now_ns(), hint_ns)


def _statuses(values: Iterable[int]) -> Iterable[int]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"retry_statuses: expected status codes such as {{503, 504}} (got {values!r})")
    for value in values:
        if not isinstance(value, int) or isinstance(value, bool) or not 100 <= value <= 599:
            raise ValueError(f"retry_statuses: {value!r} is not an HTTP status code (100 to 599)")
        yield value


def _methods(values: Iterable[str]) -> Iterable[str]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"retry_methods: expected method names such as {{'GET', 'PUT'}} (got {values!r})")
    for value in values:
        if not isinstance(value, str):
            raise TypeError(f"retry_methods: {value!r} is not a method name")
        yield value.upper()


def _exception_classes(value: type[Exception] | tuple[type[Exception], ...]) -> tuple[type[Exception], ...]:
    classes: tuple[object, ...] = value if isinstance(value, tuple) else (value,)
    for cls in classes:
        if not (isinstance(cls, type) and issubclass(cls, Exception)):
            raise TypeError(f"retry_exceptions: expected Exception subclasses (got {cls!r})")
    return value if isinstance(value, tuple) else (value,)


def _checked(value: Any, param: str, classes: tuple[type, ...]) -> Any:
    """Checks a breaker or budget option: one of ``classes``, a PerHost that makes them, or None."""
    if value is None or isinstance(value, (PerHost, *classes)):
        return value
    names = " or ".join(cls.__name__ for cls in classes)
    raise TypeError(f"{param}: expected a libbackoff {names}, or a PerHost of them (got {value!r})")


T = TypeVar("T")


def _of_type(value: Any, cls: type[T], param: str) -> T:
    """What a PerHost factory made, checked on first use of an origin."""
    if not isinstance(value, cls):
        raise TypeError(f"{param}: the PerHost factory returned {value!r}, not a {cls.__name__}")
    return value


def _optional_callable(value: Any, param: str) -> Any:
    if value is not None and not callable(value):
        raise TypeError(f"{param}: expected a callable (got {value!r})")
    return value
