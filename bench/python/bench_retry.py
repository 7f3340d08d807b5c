"""Overhead of @retry: libbackoff side by side with tenacity, backoff and stamina from PyPI.

Three cases, each against its floor in plain Python:
  * success: a call that succeeds at once, through each decorator, against the undecorated call;
  * method: the same through a decorated method (``obj.method(1)``: looked up and called), libbackoff only;
  * 4 failures + give up: a call that raises on every attempt, up to 5 attempts, sleeping switched off,
    against a hand-written 5-attempt loop (the cost of raising and catching the exceptions themselves).

Logging: libbackoff with log=False, as backoff with logger=None and stamina without its hooks; the row
"libbackoff (logging on)" keeps the default log=True, its records made and handed to a NullHandler (the
success case logs nothing either way: it must cost the same).

Sleeping off: libbackoff.set_testing(True); tenacity sleep=no-op with wait_none(); backoff's time.sleep
patched to a no-op; stamina.set_testing(True, attempts=5) with its instrumentation hooks removed and
tenacity's default sleep patched to a no-op (stamina's testing mode still calls time.sleep(0), a
syscall that yields the CPU).

Run: python bench/python/bench_retry.py [--rounds N]   (needs tenacity, backoff, stamina installed)
Timings are the best of N interleaved rounds; on a shared machine only the minimum is meaningful.
"""

from __future__ import annotations

import argparse
import logging
import sys
import types
from collections.abc import Callable

import backoff
import stamina
import stamina.instrumentation
import tenacity
import tenacity.nap
from targets import ATTEMPTS, Flaky, backoff_decorator, failure_cases, success_cases, tenacity_decorator
from timing import best_ns, print_overhead_table, print_setup

import libbackoff


class Service:
    def plain(self, x: int) -> int:
        return x

    @libbackoff.retry(max_attempts=ATTEMPTS, retry=Flaky)
    def retried(self, x: int) -> int:
        return x


def decorators() -> dict[str, Callable[[Callable[[int], int]], Callable[[int], int]]]:
    libbackoff.set_testing(True)
    no_sleep = types.SimpleNamespace(sleep=lambda seconds: None)
    backoff._sync.time = no_sleep  # type: ignore[attr-defined]
    tenacity.nap.time = no_sleep  # type: ignore[attr-defined]
    stamina.instrumentation.set_on_retry_hooks([])
    stamina.set_testing(True, attempts=ATTEMPTS)
    log = logging.getLogger("libbackoff")
    log.addHandler(logging.NullHandler())
    log.propagate = False
    return {
        "libbackoff": libbackoff.retry(max_attempts=ATTEMPTS, retry=Flaky, log=False),
        "libbackoff (logging on)": libbackoff.retry(max_attempts=ATTEMPTS, retry=Flaky),
        "tenacity": tenacity_decorator(tenacity, sleep=lambda seconds: None),
        "backoff": backoff_decorator(backoff),
        "stamina": stamina.retry(on=Flaky, attempts=ATTEMPTS),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    wrap = decorators()
    success = best_ns(success_cases(wrap), number=20_000, rounds=args.rounds)
    service = Service()
    method = best_ns(
        {"plain method": lambda: service.plain(1), "libbackoff method": lambda: service.retried(1)},
        number=20_000,
        rounds=args.rounds,
    )
    failure = best_ns(failure_cases(wrap), number=2_000, rounds=args.rounds)

    print_setup(args.rounds, ("libbackoff", "tenacity", "backoff", "stamina"))
    print()
    print_overhead_table(success, failure, wrap)
    print()
    print(
        f"Method: plain {method['plain method']:.0f} ns/call, libbackoff {method['libbackoff method']:.0f} ns/call "
        f"(+{method['libbackoff method'] - method['plain method']:.0f} ns)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
