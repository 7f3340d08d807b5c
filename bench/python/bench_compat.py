"""Overhead of the drop-in modules side by side with the libraries they replace, from PyPI.

The same decorator expression is applied through each module (``tenacity`` and
``libbackoff.compat.tenacity``; ``backoff`` and ``libbackoff.compat.backoff``), so the code under test
differs only in the import. Two cases, each against its floor in plain Python:
  * success: a call that succeeds at once, against the undecorated call (the overhead every call pays);
  * 4 failures + give up: a call that raises on every attempt, up to 5 attempts, with zero waits and
    sleeping switched off (``time.sleep`` patched to a no-op in every module), against a hand-written
    5-attempt loop.

Targets (docs/compat.md): success-path overhead at least 20x below tenacity's and 5x below backoff's;
``--check`` exits non-zero when a target is missed.

Run: python bench/python/bench_compat.py [--rounds N] [--check]   (needs tenacity and backoff installed)
Timings are the best of N interleaved rounds; on a shared machine only the minimum is meaningful.
"""

from __future__ import annotations

import argparse
import sys
import time

import backoff as peer_backoff
import tenacity as peer_tenacity
from targets import backoff_decorator, failure_cases, success_cases, tenacity_decorator
from timing import best_ns, print_setup

from libbackoff.compat import backoff as our_backoff
from libbackoff.compat import tenacity as our_tenacity

#: (drop-in, peer, how many times lower the drop-in's success-path overhead must be)
TARGETS = [("compat.tenacity", "tenacity", 20.0), ("compat.backoff", "backoff", 5.0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--check", action="store_true", help="exit 1 when an overhead target is missed")
    args = parser.parse_args()

    time.sleep = lambda seconds: None  # every module sleeps through time.sleep; the waits are 0 anyway
    wrap = {
        "tenacity": tenacity_decorator(peer_tenacity),
        "compat.tenacity": tenacity_decorator(our_tenacity),
        "backoff": backoff_decorator(peer_backoff),
        "compat.backoff": backoff_decorator(our_backoff),
    }
    success = best_ns(success_cases(wrap), number=20_000, rounds=args.rounds)
    failure = best_ns(failure_cases(wrap), number=2_000, rounds=args.rounds)

    print_setup(args.rounds, ("libbackoff", "tenacity", "backoff"))
    print()
    print("| decorator | success: ns/call | overhead | 4 failures + give up: us/call | over hand-written loop |")
    print("|---|---:|---:|---:|---:|")
    floor = f"{success['plain call']:.0f} | - | {failure['hand-written loop'] / 1e3:.2f} | - |"
    print(f"| plain call / hand-written loop | {floor}")
    overhead = {name: success[name] - success["plain call"] for name in wrap}
    for name in wrap:
        print(
            f"| {name} | {success[name]:.0f} | +{overhead[name]:.0f} ns | {failure[name] / 1e3:.2f} | "
            f"+{(failure[name] - failure['hand-written loop']) / 1e3:.2f} us |"
        )
    print()
    missed = False
    for ours, peer, target in TARGETS:
        ratio = overhead[peer] / max(overhead[ours], 1.0)
        verdict = "ok" if ratio >= target else "MISSED"
        missed |= ratio < target
        print(f"success-path overhead: {ours} is {ratio:.1f}x below {peer} (target {target:g}x): {verdict}")
    sys.stdout.flush()
    if args.check and missed:
        sys.exit(1)


if __name__ == "__main__":
    main()
