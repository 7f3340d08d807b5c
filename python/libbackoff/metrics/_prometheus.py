"""The Prometheus exporter: one collector, read at scrape time (pull), so that counting costs the calls
nothing more than the core's striped counters."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from ._families import FAMILIES, collect


class BackoffCollector(Collector):
    """Every libbackoff family (``libbackoff.metrics``), from snapshots taken when scraped."""

    def collect(self) -> Iterator[Metric]:
        samples = collect()
        for family in FAMILIES:
            metric = _empty(family.name, family.description, family.labels, family.counter)
            for labels, value in samples[family.name]:
                metric.add_metric(list(labels), value)
            yield metric

    def describe(self) -> Iterator[Metric]:
        # The names alone, so that registering neither scrapes nor misses a clash with another collector.
        for family in FAMILIES:
            yield _empty(family.name, family.description, family.labels, family.counter)


def _empty(
    name: str, description: str, labels: tuple[str, ...], counter: bool
) -> CounterMetricFamily | GaugeMetricFamily:
    if counter:
        return CounterMetricFamily(name, description, labels=list(labels))
    return GaugeMetricFamily(name, description, labels=list(labels))
