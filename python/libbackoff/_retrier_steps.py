"""The steps of a call's core ``Retrier``, bound once per retrying object for its clock.

On the monotonic clock the core reads the time itself, in C++: the steps are the Retrier's own methods,
with no Python call and no integer crossing the binding (~60 ns less per step than the ``_at`` forms,
~90 ns less to start; bench/python/bench_retry.py). On any other clock each step passes its time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

from ._core import Policy, Retrier
from .clock import MONOTONIC, Clock


class RetrierSteps(NamedTuple):
    #: A new Retrier for ``policy``, its clock started now.
    start: Callable[[], Retrier]
    #: ``on_failure(retrier, hint_ns)``: seconds to wait, or None to stop (no breaker or budget).
    on_failure: Callable[[Retrier, int], float | None]
    #: ``before_attempt(retrier)``: the breaker's (outcome, wait_ns) for the next attempt.
    before_attempt: Callable[[Retrier], tuple[int, int]]
    #: ``decide_retry(retrier, hint_ns, error_class)``: (outcome, delay_ns) with breaker and budget.
    decide_retry: Callable[[Retrier, int, int], tuple[int, int]]
    on_success: Callable[[Retrier], None]
    on_permanent_failure: Callable[[Retrier], None]


def retrier_steps(clock: Clock, policy: Policy) -> RetrierSteps:
    """The steps of ``policy``'s Retrier on ``clock``."""
    if clock is MONOTONIC:
        return RetrierSteps(
            functools.partial(Retrier, policy),
            Retrier.on_failure_seconds,
            Retrier.before_attempt,
            Retrier.decide_retry,
            Retrier.on_success,
            Retrier.on_permanent_failure,
        )
    now_ns = clock.now_ns
    return RetrierSteps(
        lambda: Retrier(policy, now_ns()),
        lambda retrier, hint_ns: retrier.on_failure_at_seconds(now_ns(), hint_ns),
        lambda retrier: retrier.before_attempt_at(now_ns()),
        lambda retrier, hint_ns, error_class: retrier.decide_retry_at(now_ns(), hint_ns, error_class),
        lambda retrier: retrier.on_success_at(now_ns()),
        lambda retrier: retrier.on_permanent_failure_at(now_ns()),
    )
