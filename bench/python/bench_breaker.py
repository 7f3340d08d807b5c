"""Overhead of a circuit breaker decorator: libbackoff side by side with pybreaker and circuitbreaker.

Three cases, each through a closed breaker unless said otherwise:
  * success: a call that returns at once, against the undecorated call (the target: libbackoff adds
    at most 250 ns);
  * failure: a call that raises and is counted as a failure (the threshold is never reached), against
    calling and catching it undecorated;
  * refused: a call through an open breaker, which raises the library's "circuit open" error without
    calling; shown as the whole cost of one refused call.

Run: python bench/python/bench_breaker.py [--rounds N]   (needs pybreaker and circuitbreaker installed)
Timings are the best of N interleaved rounds; on a shared machine only the minimum is meaningful.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import circuitbreaker
import pybreaker
from timing import best_ns, call_once, print_setup, swallow

import libbackoff

NEVER = 10**9  # a failure threshold no benchmark reaches


class Boom(Exception):
    pass


def plain(x: int) -> int:
    return x


def failing(x: int) -> int:
    raise Boom


Decorator = Callable[[Callable[[int], int]], Callable[[int], int]]


def closed_breakers() -> dict[str, Decorator]:
    return {
        "libbackoff": libbackoff.CircuitBreaker(failure_threshold=NEVER),
        "pybreaker": pybreaker.CircuitBreaker(fail_max=NEVER),
        "circuitbreaker": circuitbreaker.CircuitBreaker(failure_threshold=NEVER, expected_exception=Boom),
    }


def open_breakers() -> dict[str, Decorator]:
    ours = libbackoff.CircuitBreaker(open_duration=3600)
    ours.open()
    theirs = pybreaker.CircuitBreaker(reset_timeout=3600)
    theirs.open()
    fabfuel = circuitbreaker.CircuitBreaker(failure_threshold=1, recovery_timeout=3600, expected_exception=Boom)
    try:
        fabfuel(failing)(1)
    except Boom:
        pass
    return {"libbackoff": ours, "pybreaker": theirs, "circuitbreaker": fabfuel}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    closed, opened = closed_breakers(), open_breakers()
    success = best_ns(
        {"plain": call_once(plain), **{name: call_once(b(plain)) for name, b in closed.items()}},
        number=20_000,
        rounds=args.rounds,
    )
    failure = best_ns(
        {"plain": swallow(failing), **{name: swallow(b(failing)) for name, b in closed.items()}},
        number=20_000,
        rounds=args.rounds,
    )
    refused = best_ns({name: swallow(b(plain)) for name, b in opened.items()}, number=20_000, rounds=args.rounds)

    print_setup(args.rounds, ("libbackoff", "pybreaker", "circuitbreaker"))
    print()
    print("| library | success: ns/call | over plain call | failure: ns/call | over plain raise | refused: ns/call |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| plain call / plain raise | {success['plain']:.0f} | - | {failure['plain']:.0f} | - | - |")
    for name in closed:
        print(
            f"| {name} | {success[name]:.0f} | +{success[name] - success['plain']:.0f} ns | {failure[name]:.0f} | "
            f"+{failure[name] - failure['plain']:.0f} ns | {refused[name]:.0f} |"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
