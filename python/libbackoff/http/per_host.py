"""One circuit breaker or retry budget per origin, so that a failing host cannot block a healthy one."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T_co = TypeVar("T_co", covariant=True)


class PerHost(Generic[T_co]):
    """One breaker or budget per origin (``"https://api.example.com"``, ``"http://10.0.0.7:8080"``), made
    by ``factory(origin)`` on the origin's first request: a failing host must not open the breaker or
    spend the budget of a healthy one. ::

        RetryTransport(breaker=PerHost(lambda origin: CircuitBreaker(failure_threshold=5)))

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
