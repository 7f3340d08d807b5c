"""The OpenTelemetry exporter: observable instruments whose callbacks read the same snapshots as the
Prometheus collector, when the SDK's reader collects (pull): nothing runs on a call's path."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from opentelemetry.metrics import CallbackOptions, Instrument, MeterProvider, Observation, get_meter

from .. import _core
from ._families import FAMILIES, Family, collect


def instruments(meter_provider: MeterProvider | None) -> list[Instrument]:
    """One observable counter or gauge per family, on a meter named ``libbackoff``."""
    meter = get_meter("libbackoff", _core.BACKOFF_VERSION_STRING, meter_provider=meter_provider)
    made: list[Instrument] = []
    for family in FAMILIES:
        create = meter.create_observable_counter if family.counter else meter.create_observable_gauge
        made.append(create(family.otel_name, callbacks=[_observe(family)], unit=family.unit, description=family.description))
    return made


def _observe(family: Family) -> Callable[[CallbackOptions], Iterable[Observation]]:
    def observe(options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(value, dict(zip(family.labels, labels))) for labels, value in collect()[family.name]]

    return observe
