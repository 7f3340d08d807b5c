"""The engine's policies as the compatibility modules use them: built once per wait strategy, asked per
attempt through the stateless form (``Policy.delay(attempt, key)``), with a fresh key per jitter draw.

tenacity and python-backoff speak float seconds with an unbounded "no cap"; the engine speaks int64
nanoseconds and saturates at INT64_MAX (about 292 years), which is the cap "unbounded" maps to here.
"""

from __future__ import annotations

import functools
import itertools
from datetime import timedelta

from .._core import STOP, ns_from_seconds
from ..policy import Jitter, Kind, Policy, StopWhen

#: The longest delay the engine represents: INT64_MAX nanoseconds, written so that no float rounding
#: can push it past the core's range.
LONGEST = f"{2**63 - 1}ns"
LONGEST_SECONDS = (2**63 - 1) / 1e9

# Each jitter draw asks the stateless form with a key never used before, so draws are independent;
# the policy's random seed (fresh in every process) keeps keys from being predictable across processes.
# next() on an itertools.count is atomic under the GIL, so threads never share a key.
_draw_keys = itertools.count()


def seconds(value: float | timedelta) -> float:
    """A peer's duration argument (float seconds or a timedelta) as float seconds."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def capped(cap: float | None) -> str | float:
    """A peer's cap for the engine: no cap, or one past the engine's range, becomes the engine's longest."""
    return LONGEST if cap is None or cap >= LONGEST_SECONDS else cap


# Policies are immutable and safe to share between threads, and the peers build the same few over and
# over (python-backoff builds its wait generator on every failing call, jitter asks per width): building
# one costs more than a draw, so each builder keeps its recent policies.
@functools.lru_cache(maxsize=256)
def exponential(initial: float, multiplier: float, cap: float | None, jitter: Jitter = Jitter.NONE) -> Policy:
    """``initial * multiplier ** attempt``, capped; a cap at or below ``initial`` is the constant cap
    (the peers' ``min(initial * ..., cap)``, which the engine expresses as a constant policy)."""
    if cap is not None and cap <= initial:
        return constant(cap, jitter)
    return Policy(Kind.EXPONENTIAL, initial=initial, multiplier=multiplier, cap=capped(cap), jitter=jitter)


@functools.lru_cache(maxsize=256)
def linear(initial: float, increment: float, cap: float | None) -> Policy:
    """``initial + increment * attempt``, capped, without jitter; a cap below ``initial`` is the constant cap."""
    if cap is not None and cap <= initial:
        return constant(cap)
    return Policy(Kind.LINEAR, initial=initial, increment=increment, cap=capped(cap), jitter=Jitter.NONE)


@functools.lru_cache(maxsize=256)
def constant(delay: float, jitter: Jitter = Jitter.NONE) -> Policy:
    """``delay`` every time; with full jitter, a uniform draw from [0, delay]."""
    return Policy(Kind.CONSTANT, initial=delay, cap=capped(delay), jitter=jitter)


_LAST_ATTEMPT = 2**64 - 1  # the engine counts attempts in a uint64; a later one has the same (saturated) delay


def delay(policy: Policy, attempt: int) -> float:
    """The policy's delay in seconds for ``attempt`` (0-based); a negative attempt counts as 0."""
    ns = policy._policy.delay(min(max(attempt, 0), _LAST_ATTEMPT), next(_draw_keys))
    return ns / 1e9


@functools.lru_cache(maxsize=256)
def limits(max_attempts: int, max_elapsed_ns: int, stop_when: StopWhen) -> Policy:
    """A policy that only decides when to stop: no wait, ``max_attempts`` and ``max_elapsed`` joined by
    ``stop_when``."""
    return Policy(
        Kind.CONSTANT,
        initial=0,
        jitter=Jitter.NONE,
        max_attempts=max_attempts,
        max_elapsed=f"{max_elapsed_ns}ns",
        stop_when=stop_when,
    )


def elapsed_ns(seconds: float) -> int:
    """``seconds`` (finite, >= 0) in whole nanoseconds, rounded as the engine rounds every duration."""
    return ns_from_seconds(seconds, "elapsed")


def stops(policy: Policy, attempt: int, elapsed_ns: int) -> bool:
    """Whether ``policy`` (from :func:`limits`) stops retry ``attempt`` (0-based) after ``elapsed_ns``."""
    return policy._policy.delay_within(min(attempt, _LAST_ATTEMPT), 0, elapsed_ns) == STOP


def full_jitter(width: float) -> float:
    """A uniform draw from [0, width] seconds by the engine's full jitter."""
    return delay(constant(width, Jitter.FULL), 0) if width > 0 else 0.0
