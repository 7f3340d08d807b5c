"""Instrumented retries: libbackoff with its counters exported to Prometheus, beside stamina, which
instruments by default, in one run.

Both as a user gets them with prometheus_client installed: libbackoff's @retry is named (module.qualname)
and counts every call in the core, and instrument_prometheus() has registered its collector; stamina's
default hooks are on (its Prometheus counter, and logging: to a NullHandler, so that nothing is printed but
every retry still builds its log record). Two cases, each against its floor in plain Python:
  * success: a call that succeeds at once, against the undecorated call;
  * 4 failures + give up: up to 5 attempts, sleeping switched off, against a hand-written loop.
A scrape of the collector (generate_latest) is timed too: the cost moved off the calls.

Run: python bench/python/bench_metrics.py [--rounds N]   (needs stamina and prometheus_client installed)
"""

from __future__ import annotations

import argparse
import logging
import types

import stamina
import tenacity.nap
from prometheus_client import CollectorRegistry, generate_latest
from targets import ATTEMPTS, Flaky, failure_cases, success_cases
from timing import best_ns, print_overhead_table, print_setup

import libbackoff
from libbackoff.metrics import instrument_prometheus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    libbackoff.set_testing(True)
    registry = CollectorRegistry()
    instrument_prometheus(registry)
    logging.getLogger("stamina").addHandler(logging.NullHandler())
    logging.getLogger("stamina").propagate = False
    stamina.set_testing(True, attempts=ATTEMPTS)
    tenacity.nap.time = types.SimpleNamespace(sleep=lambda seconds: None)  # type: ignore[attr-defined]
    wrap = {
        "libbackoff + Prometheus": libbackoff.retry(max_attempts=ATTEMPTS, retry=Flaky),
        "stamina (default instrumentation)": stamina.retry(on=Flaky, attempts=ATTEMPTS),
    }
    success = best_ns(success_cases(wrap), number=20_000, rounds=args.rounds)
    failure = best_ns(failure_cases(wrap), number=2_000, rounds=args.rounds)
    scrape = best_ns({"scrape": lambda: generate_latest(registry)}, number=200, rounds=args.rounds)["scrape"]

    print_setup(args.rounds, ("libbackoff", "stamina", "prometheus_client"))
    print()
    print_overhead_table(success, failure, wrap)
    print()
    print(f"A scrape of the registry holding libbackoff's collector (generate_latest): {scrape / 1e3:.1f} us")


if __name__ == "__main__":
    main()
