"""Per-exception waits: ``Retrying(wait={ConnectionError: exponential(...), TimeoutError: constant(5)})``.

Each entry's policy schedules the failures of its kind: a failed attempt takes the policy of the first
entry whose exception classes match it (entries are tried in order, as ``except`` clauses are), and its
delay is that policy's stateless ``delay(n)``, ``n`` being how many failures of that kind came before, so
each kind backs off on its own schedule. A returned value that is retried, or an exception that no entry
matches, takes the ``wait`` the call would have without a mapping (the core's default policy).
An entry's own limits end the call: ``max_attempts`` after that many failures of its kind,
``max_elapsed`` when the call's time since its first failure plus the entry's next delay would pass it.

The call's own core Retrier still makes the call's decisions: it counts every attempt, applies
``max_attempts``/``max_elapsed``/``stop`` and the breaker and budget, and receives the entry's delay as
a hint (its own policy waits 0 and has no cap, so the wait is the entry's delay, or a server's larger
Retry-After hint).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

from ._convert import shown
from ._filters import exception_filter
from .policy import Policy, constant

#: What the call's Retrier waits by itself: nothing, for ever; the entries' delays arrive as hints.
HINTED = constant(0, jitter="none", cap=f"{2**63 - 1}ns")

# Each jitter draw asks the stateless form with a key never used before, so draws are independent.
# next() on an itertools.count is atomic under the GIL, so threads never share a key.
_draw_keys = itertools.count()


def split_wait(wait: Any) -> tuple[WaitsByException | None, Any]:
    """``Retrying``'s ``wait`` option: a mapping becomes its entries and the call's own policy (HINTED);
    anything else is the policy itself."""
    if isinstance(wait, Mapping):
        return WaitsByException(wait), HINTED
    return None, wait


class WaitsByException:
    """The entries of a ``wait`` mapping, checked once when the retrying object is built."""

    __slots__ = ("_entries",)

    def __init__(self, waits: Mapping[Any, Any]) -> None:
        entries: list[tuple[tuple[type[BaseException], ...], Policy]] = []
        for key, policy in waits.items():
            param = f"wait[{key.__name__ if isinstance(key, type) else shown(key)}]"
            classes, predicate = exception_filter(key, param)
            if predicate is not None or not classes:
                raise TypeError(f"{param}: a key is an Exception subclass or a tuple of them")
            if not isinstance(policy, Policy):
                raise TypeError(f"{param}: expected a libbackoff Policy such as exponential() (got {shown(policy)})")
            entries.append((classes, policy))
        entries.append(((BaseException,), Policy()))  # results and unmatched exceptions
        self._entries = tuple(entries)

    def delay_ns(self, failures: list[int], outcome: Any, raised: bool, elapsed: Callable[[], float]) -> int | None:
        """The entry's delay in ns for this failure (``outcome``, an exception when ``raised``), or None
        when the entry's policy allows no more (its ``max_attempts``, or its ``max_elapsed`` against
        ``elapsed()``, the call's seconds since its first failure); counts the failure in ``failures``."""
        index = len(self._entries) - 1
        if raised:
            index = next(i for i, (classes, _) in enumerate(self._entries) if isinstance(outcome, classes))
        attempt = failures[index]
        failures[index] = attempt + 1
        policy = self._entries[index][1]
        return policy.delay_ns(attempt, next(_draw_keys), elapsed=elapsed() if policy.max_elapsed else None)

    def new_counts(self) -> list[int]:
        """The per-entry failure counts of a new call."""
        return [0] * len(self._entries)
