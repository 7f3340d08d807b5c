"""Timing helpers shared by the Python benchmarks in this folder (run them as scripts, not modules)."""

from __future__ import annotations

import platform
import time
import timeit
from collections.abc import Callable, Iterable
from importlib.metadata import version


def call_once(fn: Callable[[int], int]) -> Callable[[], int]:
    """A case that calls `fn(1)`."""
    return lambda: fn(1)


def swallow(fn: Callable[[int], int], error: type[BaseException] = Exception) -> Callable[[], None]:
    """A case that calls `fn(1)` and swallows the `error` it is expected to raise."""

    def run() -> None:
        try:
            fn(1)
        except error:
            pass

    return run


def best_ns(cases: dict[str, Callable[[], object]], number: int, rounds: int) -> dict[str, float]:
    """Best time per call in ns over `rounds` interleaved rounds of `number` calls each.

    Timed in the CPU time of this thread (the cases never sleep), so that other processes on a loaded
    machine do not count; caches and frequency they share still do, hence the best of several rounds."""
    best = dict.fromkeys(cases, float("inf"))
    for _ in range(rounds):
        for name, case in cases.items():
            seconds = timeit.Timer(case, timer=time.thread_time).timeit(number=number)
            best[name] = min(best[name], seconds / number * 1e9)
    return best


def print_setup(rounds: int, packages: Iterable[str]) -> None:
    """The lines that open every report: the Python, the machine, the rounds and each package's version."""
    print(f"Python {platform.python_version()} on {platform.machine()}, best of {rounds} rounds")
    print(", ".join(f"{name} {version(name)}" for name in packages))


def print_overhead_table(success: dict[str, float], failure: dict[str, float], libraries: Iterable[str]) -> None:
    """The table the retry benchmarks print: each library's success and failure cost over its floor."""
    print("| library | success: ns/call | over plain call | 4 failures + give up: us/call | over hand-written loop |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| plain call / hand-written loop | {success['plain call']:.0f} | - | "
        f"{failure['hand-written loop'] / 1e3:.2f} | - |"
    )
    for name in libraries:
        print(
            f"| {name} | {success[name]:.0f} | +{success[name] - success['plain call']:.0f} ns | "
            f"{failure[name] / 1e3:.2f} | +{(failure[name] - failure['hand-written loop']) / 1e3:.2f} us |"
        )
