"""Metrics for every named retry loop, circuit breaker and retry budget, for Prometheus and OpenTelemetry.

One call instruments everything, now and later: ``instrument_prometheus()`` registers a collector,
``instrument_opentelemetry()`` creates observable instruments. Both read the core's counters when scraped
or collected (pull), so a call pays nothing for being observed beyond the core's lock-free counting.
What they export is every named object alive: ``@retry`` loops (named ``module.qualname`` by default),
``Retrying(name=...)``, ``CircuitBreaker(name=...)`` and ``RetryBudget(name=...)``. The families and their
labels are in docs/observability.md.

``prometheus_client`` and ``opentelemetry-api`` are optional: ``pip install libbackoff[prometheus]`` or
``libbackoff[otel]``; each is imported only by its own call.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from ._families import FAMILIES, Family

if TYPE_CHECKING:
    from opentelemetry.metrics import Instrument, MeterProvider
    from prometheus_client.registry import CollectorRegistry

    from ._prometheus import BackoffCollector

__all__ = ["FAMILIES", "Family", "instrument_opentelemetry", "instrument_prometheus"]

# What each registry and meter provider was given, so that a second call changes nothing. Weak keys: a
# registry or provider dropped (one per test, say) takes its entry with it.
_collectors: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_meters: weakref.WeakKeyDictionary[Any, list[Any]] = weakref.WeakKeyDictionary()
_global_meter: list[Any] = []  # the instruments on the global meter provider (meter_provider=None)


def instrument_prometheus(registry: CollectorRegistry | None = None) -> BackoffCollector:
    """Registers libbackoff's collector with ``registry`` (default: prometheus_client's global
    ``REGISTRY``) and returns it; again for the same registry, returns the one registered."""
    # Imported here, not at the top: prometheus_client is an optional dependency.
    from prometheus_client import REGISTRY

    from ._prometheus import BackoffCollector

    target = REGISTRY if registry is None else registry
    collector = _collectors.get(target)
    if collector is None:
        collector = _collectors[target] = BackoffCollector()
        target.register(collector)
    return collector


def instrument_opentelemetry(meter_provider: MeterProvider | None = None) -> list[Instrument]:
    """Creates libbackoff's observable instruments on the meter ``libbackoff`` of ``meter_provider``
    (default: the global one) and returns them; again for the same provider, returns those."""
    # Imported here, not at the top: opentelemetry-api is an optional dependency.
    from ._opentelemetry import instruments

    if meter_provider is None:
        if not _global_meter:
            _global_meter.extend(instruments(None))
        return list(_global_meter)
    made = _meters.get(meter_provider)
    if made is None:
        made = _meters[meter_provider] = instruments(meter_provider)
    return list(made)
