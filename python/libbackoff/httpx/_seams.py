"""What a retry transport asks of a circuit breaker and of a retry budget, and per-host instances of them.

The transports depend on these two small protocols, not on classes: libbackoff's own circuit breaker and
retry budget (the core's ``Breaker`` and ``Budget``) fit them, and so does any test double or adapter.
The method names are the core's, and so is the order of the calls (see ``core/include/backoff/budget.hpp``
and ``breaker.hpp``); only units are Python's: seconds as floats, outcomes and error classes as strings.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, Literal, Protocol, TypeVar

#: How an attempt ended, for a breaker: ``"failure"`` is a transient failure (a retryable status, a
#: connection error, a timeout), ``"ignored"`` an error that says nothing about the server's health.
Outcome = Literal["success", "failure", "ignored"]

#: What kind of failure a retry follows; a budget may charge them differently (AWS does).
ErrorClass = Literal["ordinary", "timeout", "throttling"]


class Admission(Protocol):
    """The answer of :meth:`CircuitBreakerProtocol.acquire`."""

    @property
    def permit(self) -> int:
        """Non-zero: the attempt may run, and reports its outcome with this permit. 0: rejected."""
        ...

    @property
    def wait(self) -> float:
        """When rejected: seconds until the breaker may admit again (``inf`` if it is held open)."""
        ...


class CircuitBreakerProtocol(Protocol):
    """A circuit breaker as the transports drive it: ``acquire`` before every attempt, then exactly one
    of ``record`` (the attempt ran) or ``release`` (it was cancelled) with the permit. Thread-safe."""

    def acquire(self) -> Admission: ...

    def record(self, permit: int, outcome: Outcome, duration: float, retry_after: float) -> None:
        """The attempt's outcome; ``duration`` in seconds; ``retry_after`` is the server's hint in seconds
        (0 = none), which an implementation may use as the least time to stay open if this trips it."""
        ...

    def release(self, permit: int) -> None: ...


class RetryBudgetProtocol(Protocol):
    """A retry budget as the transports drive it, once per request: ``record_request`` at the start;
    ``record_failure`` after each transient failure; ``withdraw`` when the policy would retry (a ticket,
    or 0: refused, so give up); ``record_success`` with the ticket of the attempt that succeeded (0 for a
    first attempt); ``refund`` for a ticket whose retry never ran. Thread-safe."""

    def record_request(self) -> None: ...

    def record_failure(self) -> None: ...

    def withdraw(self, error_class: ErrorClass) -> int: ...

    def record_success(self, ticket: int) -> None: ...

    def refund(self, ticket: int) -> None: ...


T_co = TypeVar("T_co", covariant=True)


class PerHost(Generic[T_co]):
    """One breaker or budget per origin (``"https://api.example.com"``, ``"http://10.0.0.7:8080"``), made
    by ``factory(origin)`` on the origin's first request: a failing host must not open the breaker or
    spend the budget of a healthy one. ::

        RetryTransport(breaker=PerHost(lambda origin: make_breaker()))

    At most ``max_hosts`` are kept; the one used least recently makes room for a new origin, which then
    starts afresh. Thread-safe.
    """

    __slots__ = ("_factory", "_max_hosts", "_instances", "_lock")

    def __init__(self, factory: Callable[[str], T_co], *, max_hosts: int = 1024) -> None:
        if not callable(factory):
            raise TypeError(f"factory: expected a callable taking the origin (got {factory!r})")
        if not isinstance(max_hosts, int) or isinstance(max_hosts, bool) or max_hosts < 1:
            raise ValueError(f"max_hosts: must be an int >= 1 (got {max_hosts!r})")
        self._factory = factory
        self._max_hosts = max_hosts
        self._instances: OrderedDict[str, T_co] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, origin: str) -> T_co:
        """The instance for ``origin``, made on first use."""
        with self._lock:
            instance = self._instances.get(origin)
            if instance is not None:
                self._instances.move_to_end(origin)
                return instance
        # The factory runs unlocked: it is user code, and may be slow or re-enter.
        made = self._factory(origin)
        with self._lock:
            instance = self._instances.setdefault(origin, made)  # a racing thread's instance wins
            self._instances.move_to_end(origin)
            while len(self._instances) > self._max_hosts:
                self._instances.popitem(last=False)
        return instance

    def __repr__(self) -> str:
        return f"PerHost({self._factory!r}, max_hosts={self._max_hosts})"
