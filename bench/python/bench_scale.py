"""Cost curves from Python as the work grows, beside pybreaker, circuitbreaker and tenacity.

Prints the rows of bench/scale/run ("measure<TAB>impl<TAB>n<TAB>value"): resident bytes per object and
per pool key, and the time of a pool look-up on a hot and on a new key, for 1k, 100k and 1M. A peer's
"pool" is what its users write: a dict of objects, an OrderedDict evicting the least recently used.

Memory is the growth of the resident set over n live objects (the allocator's overhead included), each
measured in a fresh interpreter. Run: python bench/python/bench_scale.py [max_mib]  (default 4096: a
measurement whose objects would take more is skipped and reported as "-")
"""

from __future__ import annotations

import resource
import subprocess
import sys
from collections import OrderedDict
from collections.abc import Callable

import circuitbreaker
import pybreaker
import tenacity
from timing import best_ns

import libbackoff

SIZES = (1000, 100_000, 1_000_000)
OURS = "libbackoff (Python)"


def key(i: int) -> str:
    return f"host-{i}.example"


def _resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def _our_pool(max_keys: int) -> libbackoff.CircuitBreakerPool:
    return libbackoff.CircuitBreakerPool(max_keys=max_keys)


def _budget_pool(max_keys: int) -> libbackoff.RetryBudgetPool:
    return libbackoff.RetryBudgetPool(libbackoff.RetryBudget.aws(), max_keys=max_keys)


# (measure, impl) -> a function that makes object number i, given whatever setup(n) returned.
MEMORY: dict[tuple[str, str], tuple[Callable[[int], object], Callable[[object, int], object]]] = {
    ("breaker, consecutive rule (B/object)", OURS): (lambda n: None, lambda _, i: libbackoff.CircuitBreaker()),
    ("breaker, consecutive rule (B/object)", "pybreaker"): (lambda n: None, lambda _, i: pybreaker.CircuitBreaker()),
    ("breaker, consecutive rule (B/object)", "circuitbreaker"): (
        lambda n: None,
        lambda _, i: circuitbreaker.CircuitBreaker(),
    ),
    ("breaker, ratio rule, time window (B/object)", OURS): (
        lambda n: None,
        lambda _, i: libbackoff.CircuitBreaker(trip="ratio"),
    ),
    ("retry budget, AWS (B/object)", OURS): (lambda n: None, lambda _, i: libbackoff.RetryBudget.aws()),
    ("backoff state (B/object)", OURS): (lambda n: libbackoff.Policy(), lambda policy, i: libbackoff.Backoff(policy)),
    ("backoff state (B/object)", "tenacity Retrying"): (lambda n: None, lambda _, i: tenacity.Retrying()),
    ("budget pool (B/key, object included)", OURS): (_budget_pool, lambda pool, i: pool.get(key(i))),
    ("breaker pool (B/key, object included)", OURS): (_our_pool, lambda pool, i: pool.get(key(i))),
    ("breaker pool (B/key, object included)", "pybreaker"): (
        lambda n: {},
        lambda pool, i: pool.setdefault(key(i), pybreaker.CircuitBreaker()),
    ),
    ("breaker pool (B/key, object included)", "circuitbreaker"): (
        lambda n: {},
        lambda pool, i: pool.setdefault(key(i), circuitbreaker.CircuitBreaker()),
    ),
}


def bytes_per_object(measure: str, impl: str, n: int) -> float:
    setup, make = MEMORY[measure, impl]
    shared = setup(n)
    kept: list[object] = [None] * n
    before = _resident_bytes()
    for i in range(n):
        kept[i] = make(shared, i)
    return (_resident_bytes() - before) / n


class LruDict:
    """The per-key dict a peer's user writes: the least recently used key makes room for a new one."""

    __slots__ = ("_items", "_max", "_make")

    def __init__(self, max_keys: int, make: Callable[[], object]) -> None:
        self._items: OrderedDict[str, object] = OrderedDict()
        self._max, self._make = max_keys, make

    def get(self, key: str) -> object:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            return found
        if len(self._items) == self._max:
            self._items.popitem(last=False)
        made = self._items[key] = self._make()
        return made


def lookup_rows(n: int) -> None:
    pools: dict[str, object] = {
        OURS: _our_pool(n),
        "pybreaker": LruDict(n, pybreaker.CircuitBreaker),
        "circuitbreaker": LruDict(n, circuitbreaker.CircuitBreaker),
    }
    budgets = _budget_pool(n)
    for i in range(n):
        budgets.get(key(i))
        for pool in pools.values():
            pool.get(key(i))  # type: ignore[attr-defined]
    hot = key(0)
    cases: dict[str, Callable[[], object]] = {impl: (lambda p=pool: p.get(hot)) for impl, pool in pools.items()}
    for impl, ns in best_ns(cases, number=200_000, rounds=5).items():
        print(f"breaker pool: get a hot key (ns)\t{impl}\t{n}\t{ns:.1f}")
    print(f"budget pool: get a hot key (ns)\t{OURS}\t{n}\t{best_ns({'': lambda: budgets.get(hot)}, 200_000, 5)['']:.1f}")
    fresh = iter(range(n, 10 * n + 1_000_000))
    cases = {impl: (lambda p=pool: p.get(key(next(fresh)))) for impl, pool in pools.items()}
    for impl, ns in best_ns(cases, number=20_000, rounds=3).items():
        print(f"breaker pool: get a new key, evicting (ns)\t{impl}\t{n}\t{ns:.1f}")
    cold = best_ns({"": lambda: budgets.get(key(next(fresh)))}, 20_000, 3)[""]
    print(f"budget pool: get a new key, evicting (ns)\t{OURS}\t{n}\t{cold:.1f}")


def main() -> None:
    if len(sys.argv) == 4:  # a child: one memory measurement
        print(bytes_per_object(sys.argv[1], sys.argv[2], int(sys.argv[3])))
        return
    max_bytes = (float(sys.argv[1]) if len(sys.argv) > 1 else 4096) * 2**20
    for measure, impl in MEMORY:
        last = 0.0
        for n in SIZES:
            if last * n > max_bytes:
                print(f"{measure}\t{impl}\t{n}\t-", flush=True)
                continue
            child = [sys.executable, __file__, measure, impl, str(n)]
            last = float(subprocess.run(child, check=True, capture_output=True, text=True).stdout)
            print(f"{measure}\t{impl}\t{n}\t{last:.1f}", flush=True)
    for n in SIZES:
        lookup_rows(n)


if __name__ == "__main__":
    main()
