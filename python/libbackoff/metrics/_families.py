"""The metric families, once for every exporter: their names, kinds and labels, and a function that reads
every named object's snapshot into samples.

Objects that share a name are added up: counters sum, the budget balance sums, and the breaker state
gauge counts the breakers of that name in each state (1 or 0 for a unique name), so a name is one series
per label set whatever the number of objects behind it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..stats import BreakerStats, BudgetStats, RetryStats
from . import _registry

#: One sample: its label values in the family's label order, and its value.
Sample = tuple[tuple[str, ...], float]


@dataclass(frozen=True)
class Family:
    """A metric family: ``name`` for Prometheus (counters end in ``_total``), ``otel_name`` with its
    ``unit`` for OpenTelemetry, ``counter`` or gauge, and its labels, ``name`` first."""

    name: str
    otel_name: str
    unit: str
    counter: bool
    description: str
    labels: tuple[str, ...]


FAMILIES = (
    Family("backoff_attempts_total", "backoff.attempts", "{attempt}", True, "Attempts made, by outcome.", ("name", "outcome")),
    Family("backoff_retries_total", "backoff.retries", "{retry}", True, "Retries decided.", ("name",)),
    Family("backoff_giveups_total", "backoff.giveups", "{call}", True, "Calls given up, by reason.", ("name", "reason")),
    Family("backoff_sleep_seconds_total", "backoff.sleep", "s", True, "Time spent waiting before retries.", ("name",)),
    Family("backoff_breaker_state", "backoff.breaker.state", "{breaker}", False, "Breakers in each state.", ("name", "state")),
    Family(
        "backoff_breaker_transitions_total",
        "backoff.breaker.transitions",
        "{transition}",
        True,
        "Breaker state changes, by state left and entered.",
        ("name", "from", "to"),
    ),
    Family("backoff_breaker_rejections_total", "backoff.breaker.rejections", "{call}", True, "Calls a breaker refused.", ("name",)),
    Family("backoff_budget_balance", "backoff.budget.balance", "{token}", False, "Tokens in a retry budget.", ("name",)),
    Family("backoff_budget_withdrawals_total", "backoff.budget.withdrawals", "{retry}", True, "Retries a budget allowed.", ("name",)),
    Family("backoff_budget_refusals_total", "backoff.budget.refusals", "{retry}", True, "Retries a budget refused.", ("name",)),
)


def collect() -> dict[str, list[Sample]]:
    """Every family's samples, from one snapshot of each named object."""
    sums: dict[str, defaultdict[tuple[str, ...], float]] = {family.name: defaultdict(float) for family in FAMILIES}
    for name, core in _registry.named_retry_stats():
        _add_retry(sums, RetryStats._of(name, core.snapshot()))
    for breaker in _registry.live_breakers():
        _add_breaker(sums, breaker.stats())
    for budget in _registry.live_budgets():
        _add_budget(sums, budget.stats())
    return {family: list(samples.items()) for family, samples in sums.items()}


def _add_retry(sums: dict[str, defaultdict[tuple[str, ...], float]], stats: RetryStats) -> None:
    name = stats.name or ""
    _add_each(sums["backoff_attempts_total"], name, stats.attempts.items())
    sums["backoff_retries_total"][(name,)] += stats.retries
    _add_each(sums["backoff_giveups_total"], name, stats.giveups.items())
    sums["backoff_sleep_seconds_total"][(name,)] += stats.slept_seconds


def _add_breaker(sums: dict[str, defaultdict[tuple[str, ...], float]], stats: BreakerStats) -> None:
    name = stats.name or ""
    sums["backoff_breaker_state"][(name, stats.state)] += 1
    for (source, target), count in stats.transitions.items():
        sums["backoff_breaker_transitions_total"][(name, source, target)] += count
    sums["backoff_breaker_rejections_total"][(name,)] += stats.rejections


def _add_budget(sums: dict[str, defaultdict[tuple[str, ...], float]], stats: BudgetStats) -> None:
    name = stats.name or ""
    sums["backoff_budget_balance"][(name,)] += stats.balance
    sums["backoff_budget_withdrawals_total"][(name,)] += stats.granted
    sums["backoff_budget_refusals_total"][(name,)] += stats.refused


def _add_each(samples: defaultdict[tuple[str, ...], float], name: str, counts: Iterable[tuple[str, int]]) -> None:
    for label, count in counts:
        samples[(name, label)] += count
