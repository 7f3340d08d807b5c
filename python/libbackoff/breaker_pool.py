"""CircuitBreakerPool: one :class:`CircuitBreaker` per key (a host, a partition, a tenant) in bounded memory."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

from . import _convert, _core
from ._pools import KeyedPoolView
from .breaker import BreakerShape, CircuitBreaker
from .metrics import _registry


class CircuitBreakerPool(KeyedPoolView[CircuitBreaker]):
    """One :class:`CircuitBreaker` per key, so that a failing backend cannot open a healthy one's circuit;
    every key's breaker is made with ``options`` (:class:`CircuitBreaker`'s keywords, ``name`` aside: each
    breaker is named by its key) on the key's first use. ::

        breakers = CircuitBreakerPool(max_keys=10_000, failure_threshold=3)
        with breakers.get("db-7"):
            query()

    Memory is bounded: the pool holds at most ``max_keys`` breakers and makes room for a new key by
    dropping the one used least recently, which starts afresh, closed, if it comes back; a breaker
    already handed out stays valid. Thread-safe. ``get`` on a key the pool holds is one call into the
    core, a lock-free look-up (no Python lock), and returns the same breaker object every time. The
    options are checked once, here: a new key's breaker is made from them without checking them again.

    Raises:
        ValueError, TypeError: as :class:`CircuitBreaker` for a bad option, and for ``max_keys``
            outside [1, 2**20], naming the parameter.
    """

    __slots__ = ("get", "_pool", "__weakref__")

    #: The breaker for ``key``, made on first use. The core's look-up itself: no Python frame per call.
    get: Callable[[str], CircuitBreaker]  # type: ignore[assignment]

    def __init__(self, *, max_keys: int = 1024, **options: Any) -> None:
        if "name" in options:
            raise TypeError("name: a pool names each breaker by its key")
        CircuitBreaker(**options)  # an unknown keyword is refused as CircuitBreaker refuses it
        # A partial of module-level code, not a bound method of the pool: the core object does not take
        # part in garbage collection, so it must hold no reference back to this pool.
        make = functools.partial(BreakerShape(options).untracked_breaker, CircuitBreaker)
        self._pool = _core.KeyedObjects(_convert.int64(max_keys, "max_keys"), make)
        self.get = cast(Callable[[str], CircuitBreaker], self._pool.get)
        _registry.track_breaker_source(self)

    def breakers(self) -> list[CircuitBreaker]:
        """The breakers the pool holds now, each named by its key, the most recently added first. A
        breaker the pool has dropped is no longer among them (nor exported), even if still referenced."""
        return cast(list[CircuitBreaker], self._pool.values())
