"""The two steps of a retry loop without a breaker or budget: start a call's core Retrier at its first
failure, and ask it about each failure. Bound once per retrying object, for its clock."""

from __future__ import annotations

import functools
from collections.abc import Callable

from ._core import Policy, Retrier
from .clock import MONOTONIC, Clock

Start = Callable[[], Retrier]
#: ``on_failure(retrier, hint_ns)``: seconds to wait, or None to stop.
OnFailure = Callable[[Retrier, int], "float | None"]


def failure_steps(clock: Clock, policy: Policy) -> tuple[Start, OnFailure]:
    """``(start, on_failure)`` for ``policy`` on ``clock``."""
    if clock is MONOTONIC:
        # The core reads the same clock in C++: no Python call and no integer crossing the binding, which
        # saves ~60 ns per failure and ~90 ns per call that fails (bench/python/bench_retry.py).
        return functools.partial(Retrier, policy), Retrier.on_failure_seconds
    now_ns = clock.now_ns

    def start() -> Retrier:
        return Retrier(policy, now_ns())

    def on_failure(retrier: Retrier, hint_ns: int) -> float | None:
        return retrier.on_failure_at_seconds(now_ns(), hint_ns)

    return start, on_failure
