"""The named objects exporters read: retry statistics by name, live breakers and budgets.

Retry statistics are kept per name, strongly, for the life of the process: every :class:`Retrying`
given the same name (a decorated function's ``retry_with`` copies, a ``for attempt in Retrying(...)``
made afresh on each call) records into the one core object, so its counters only grow, as a Prometheus
counter must. Names are few (one per retried operation), so this holds a few hundred bytes each.

Breakers and budgets are held weakly: a named one is exported while it lives and forgotten after. A
breaker pool is held weakly as a whole, and its breakers are read from it at each scrape: the breakers it
holds then are exported, each named by its key, so that a pool key costs the registry nothing.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from .. import _core
from ..stats import BreakerStats, BudgetStats


class NamedBreaker(Protocol):
    """What the exporters read of a :class:`~libbackoff.CircuitBreaker`: a protocol, so that this module,
    which the breaker imports, does not import the breaker back."""

    def stats(self) -> BreakerStats: ...


class BreakerSource(Protocol):
    """What the exporters read of a :class:`~libbackoff.CircuitBreakerPool`: the breakers it holds now."""

    def breakers(self) -> Sequence[NamedBreaker]: ...


class NamedBudget(Protocol):
    """What the exporters read of a :class:`~libbackoff.RetryBudget` (a protocol, as for the breaker)."""

    def stats(self) -> BudgetStats: ...


_T = TypeVar("_T")
_lock = threading.Lock()
_retry_stats: dict[str, _core.RetryStats] = {}
# Weak references whose callback is the set's own discard: a C call, so that tracking an object and
# forgetting it run no Python frame (a WeakSet's Python methods took a third of a breaker pool's new key
# before pools were read whole). Each step is one call on a set, atomic.
_breakers: set[weakref.ref[NamedBreaker]] = set()
_budgets: set[weakref.ref[NamedBudget]] = set()
_breaker_sources: set[weakref.ref[BreakerSource]] = set()
# Bound once: each weak reference holds its callback, and a method bound per reference costs 56 B each.
_forget_breaker = _breakers.discard
_forget_budget = _budgets.discard
_forget_breaker_source = _breaker_sources.discard


def check_name(name: Any) -> str | None:
    """``name`` if it is a str or None; TypeError naming the option otherwise."""
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name: expected a str (got {name!r})")
    return name


def retry_stats(name: str | None) -> _core.RetryStats:
    """The core statistics that retriers named ``name`` record into; fresh ones for no name."""
    if name is None:
        return _core.RetryStats()
    with _lock:
        stats = _retry_stats.get(name)
        if stats is None:
            stats = _retry_stats[name] = _core.RetryStats()
            _core.set_name(stats, name)
        return stats


def success_counter(stats: _core.RetryStats) -> Callable[[_T], _T]:
    """``succeeded(result)``: records into ``stats`` a call that succeeded at once (no core Retrier saw
    it) and returns ``result``, in one C call (bindings/bind_observe.cpp says why)."""
    return _core.success_counter(stats)


def track_breaker(breaker: NamedBreaker) -> None:
    """Exports ``breaker`` (already named) while it lives."""
    _breakers.add(weakref.ref(breaker, _forget_breaker))


def track_breaker_source(source: BreakerSource) -> None:
    """Exports the breakers ``source`` holds, at each scrape, while it lives."""
    _breaker_sources.add(weakref.ref(source, _forget_breaker_source))


def track_budget(budget: NamedBudget) -> None:
    """Exports ``budget`` (already named) while it lives."""
    _budgets.add(weakref.ref(budget, _forget_budget))


def named_retry_stats() -> list[tuple[str, _core.RetryStats]]:
    """Every name with its statistics, for a scrape."""
    with _lock:
        return list(_retry_stats.items())


def live_breakers() -> list[NamedBreaker]:
    """The named breakers still alive, and those the live pools hold."""
    pooled = [breaker for source in _alive(_breaker_sources) for breaker in source.breakers()]
    return _alive(_breakers) + pooled


def live_budgets() -> list[NamedBudget]:
    """The named budgets still alive."""
    return _alive(_budgets)


def _alive(tracked: set[weakref.ref[_T]]) -> list[_T]:
    return [item for reference in list(tracked) if (item := reference()) is not None]
