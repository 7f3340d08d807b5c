"""The retry rules of an HTTP client, whatever its library: validated once, read by every request.

Which requests may be sent again (idempotent methods, an ``Idempotency-Key``, a body held in memory),
which statuses are transient, how a ``Retry-After`` is read, and which breaker and budget an origin
uses. An adapter (``libbackoff.httpx`` today) adds only what its library defines: its exception
classes and how it sends, closes and sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from .. import _core
from .._convert import Duration
from .._filters import optional_callable
from .._retrier_steps import retrier_steps
from ..breaker import CircuitBreaker
from ..breaker_pool import CircuitBreakerPool
from ..budget import RetryBudget, RetryBudgetPool
from ..clock import ClockOption, clock_of
from ..policy import Policy, exponential
from ..server_hints import retry_after_ns
from ..testing import capped_steps
from .events import GiveUp, RetryEvent
from .per_host import PerHost

#: Methods retried by default: the idempotent ones of RFC 9110 section 9.2.2 (POST and PATCH are not).
IDEMPOTENT_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
#: Statuses retried by default: too many requests, and the gateway and availability errors.
RETRY_STATUSES: frozenset[int] = frozenset({429, 502, 503, 504})

Hook = Callable[[RetryEvent], object]
BreakerOption = CircuitBreaker | CircuitBreakerPool | PerHost[CircuitBreaker]
#: One budget for all hosts, a pool keyed by origin, or one made per host.
BudgetOption = RetryBudget | RetryBudgetPool | PerHost[RetryBudget]


def default_policy() -> Policy:
    """0.5 s, 1 s, 2 s... (full jitter), at most 30 s per wait and 4 attempts in all."""
    return exponential(initial=0.5, cap=30, max_attempts=4)


class HttpRules:
    """The options every adapter shares, checked: a wrong type or value raises here, naming it."""

    __slots__ = (
        "policy",
        "_policy",
        "retry_statuses",
        "retry_methods",
        "respect_retry_after",
        "budget",
        "breaker",
        "on_retry",
        "on_giveup",
        "clock",
        "_steps",
        "_on_failure",
        "has_deadline",
    )

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
        clock: ClockOption | None = None,
        deadline: Duration | None = None,
    ) -> None:
        if policy is None:
            policy = default_policy()
        elif not isinstance(policy, Policy):
            raise TypeError(f"policy: expected a libbackoff Policy such as exponential() (got {policy!r})")
        if deadline is not None:
            policy = policy.replace(deadline=deadline)  # the core checks it, naming "deadline"
        #: Whether a request's retries end at a deadline counted from its first attempt.
        self.has_deadline = policy.deadline != 0
        self.policy = policy
        self._policy = policy._policy
        self.retry_statuses = frozenset(_statuses(retry_statuses))
        self.retry_methods = frozenset(_methods(retry_methods))
        self.respect_retry_after = bool(respect_retry_after)
        self.budget: BudgetOption | None = _checked(budget, "budget", (RetryBudget, RetryBudgetPool))
        self.breaker: BreakerOption | None = _checked(breaker, "breaker", (CircuitBreaker, CircuitBreakerPool))
        self.on_retry = optional_callable(on_retry, "on_retry")
        self.on_giveup = optional_callable(on_giveup, "on_giveup")
        self.clock = clock_of(clock)
        self._steps = retrier_steps(self.clock, self._policy)
        self._on_failure = self._steps.on_failure

    def new_retrier(self) -> _core.Retrier:
        """A request's core Retrier, created at its first failure (on the policy capped by
        ``set_testing(True, attempts=n)`` in that mode)."""
        return capped_steps(self._steps, self.policy, self.clock).start()

    def refusal(self, method: str, idempotency_key: bool, replayable: bool) -> GiveUp | None:
        """Why no failure of a request may be retried, or None when it may be: its ``method`` is not
        retried and it has no ``Idempotency-Key``, or its body is a stream that the first attempt
        consumes (not ``replayable``)."""
        if method not in self.retry_methods and not idempotency_key:
            return GiveUp.METHOD
        return None if replayable else GiveUp.BODY

    def breaker_for(self, origin: str) -> CircuitBreaker | None:
        return _for_origin(self.breaker, origin, CircuitBreaker, "breaker")

    def budget_for(self, origin: str) -> RetryBudget | None:
        return _for_origin(self.budget, origin, RetryBudget, "budget")

    def hint_ns(self, retry_after: str | None) -> int:
        """A response's ``Retry-After`` header value in nanoseconds; 0 for none, or one that is malformed."""
        if retry_after is None or not self.respect_retry_after:
            return 0
        wait_ns = retry_after_ns(retry_after, time.time_ns())
        return 0 if wait_ns is None else wait_ns

    def monotonic(self) -> float:
        return self.clock.now_ns() / 1e9

    def decide(self, retrier: _core.Retrier, hint_ns: int) -> float | None:
        """The core's decision on a failed attempt: seconds to wait, or None to stop."""
        return self._on_failure(retrier, hint_ns)


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


def _checked(value: Any, param: str, classes: tuple[type, ...]) -> Any:
    """Checks a breaker or budget option: one of ``classes``, a PerHost that makes them, or None."""
    if value is None or isinstance(value, (PerHost, *classes)):
        return value
    names = " or ".join(cls.__name__ for cls in classes)
    raise TypeError(f"{param}: expected a libbackoff {names}, or a PerHost of them (got {value!r})")


T = TypeVar("T")


def _for_origin(option: Any, origin: str, cls: type[T], param: str) -> T | None:
    """The breaker or budget an origin uses: the option itself, its pool's object for the origin, or what
    a PerHost factory makes for it (checked on first use of the origin)."""
    if isinstance(option, PerHost):
        made = option(origin)
        if not isinstance(made, cls):
            raise TypeError(f"{param}: the PerHost factory returned {made!r}, not a {cls.__name__}")
        return made
    if isinstance(option, (CircuitBreakerPool, RetryBudgetPool)):
        return cast(T, option.get(origin))  # a pool of cls: __init__ checked the option's type
    return cast("T | None", option)
