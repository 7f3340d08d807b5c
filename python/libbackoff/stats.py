"""Snapshots of the core's lifetime counters, as small frozen dataclasses: what ``Retrying.stats()``,
``CircuitBreaker.stats()`` and ``RetryBudget.stats()`` return, and what :mod:`libbackoff.metrics` exports.

Every number comes from the core in one call (a sum over per-thread stripes, no lock on the hot path);
this module only names the fields. Labels are the core's vocabulary names, asked of it at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from . import _core

_OUTCOMES = dict(_core.enum_names("retry_outcome"))  # value -> name: 2 -> "gave_up"
_BREAKER_COUNTS = dict(_core.enum_names("breaker_count"))
_BREAKER_STATES = dict(_core.enum_names("breaker_state"))
_PENDING = int(_core.RetryOutcome.retry)
_SUCCEEDED = int(_core.RetryOutcome.succeeded)
_EXHAUSTED = int(_core.RetryOutcome.exhausted)


@dataclass(frozen=True)
class RetryStats:
    """What the calls of one :class:`Retrying` (or of every one sharing its ``name``) came to.

    * ``attempts``: ``{"success": n, "failure": n}``, every attempt made, first ones included;
    * ``retries``: retries decided (each after its wait); ``slept_seconds``: the sum of those waits;
    * ``giveups``: calls that ended without success, by reason: ``max_attempts``, ``max_elapsed``, and
      the core's other final outcomes (``permanent``, ``budget_exhausted``, ``circuit_open``,
      ``cancelled``, and any the core adds).
    """

    name: str | None
    attempts: Mapping[str, int]
    retries: int
    giveups: Mapping[str, int]
    slept_seconds: float

    @classmethod
    def _of(cls, name: str | None, core: tuple[int, int, int, int, tuple[int, ...]]) -> RetryStats:
        failures, retries, slept_ns, max_elapsed, ends = core
        giveups = {"max_attempts": ends[_EXHAUSTED] - max_elapsed, "max_elapsed": max_elapsed}
        giveups.update(
            (_OUTCOMES[outcome], count)
            for outcome, count in enumerate(ends)
            if outcome not in (_PENDING, _SUCCEEDED, _EXHAUSTED)
        )
        attempts = {"success": ends[_SUCCEEDED], "failure": failures}
        return cls(name, MappingProxyType(attempts), retries, MappingProxyType(giveups), slept_ns / 1e9)


@dataclass(frozen=True)
class BreakerStats:
    """A circuit breaker's state and counters: ``counts`` by the core's count names (``admitted``,
    ``rejected``, ``trips``, ...), ``transitions`` by ``(from, to)`` state names (only pairs seen)."""

    name: str | None
    state: str
    counts: Mapping[str, int]
    transitions: Mapping[tuple[str, str], int]

    @property
    def rejections(self) -> int:
        """Calls the breaker refused."""
        return self.counts["rejected"]

    @classmethod
    def _of(cls, name: str | None, core: tuple[int, tuple[int, ...], tuple[tuple[int, ...], ...]]) -> BreakerStats:
        state, counts, transitions = core
        moved = {
            (_BREAKER_STATES[source], _BREAKER_STATES[target]): count
            for source, row in enumerate(transitions)
            for target, count in enumerate(row)
            if count
        }
        named_counts = {_BREAKER_COUNTS[which]: count for which, count in enumerate(counts)}
        return cls(name, _BREAKER_STATES[state], MappingProxyType(named_counts), MappingProxyType(moved))


@dataclass(frozen=True)
class BudgetStats:
    """A retry budget's balance (tokens) and its withdrawals granted and refused."""

    name: str | None
    balance: float
    granted: int
    refused: int

    @classmethod
    def _of(cls, name: str | None, core: tuple[int, int, int]) -> BudgetStats:
        balance_milli, granted, refused = core
        return cls(name, balance_milli / 1000, granted, refused)
