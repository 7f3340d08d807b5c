"""Stop strategies (``tenacity.stop``): predicates over the call state, combined with ``|`` and ``&``.

They compare the call state's counters as tenacity defines them (``stop_after_delay`` counts from the
first attempt; ``stop_before_delay`` adds the upcoming sleep), so that a strategy gives tenacity's
answer for any state a user or a test builds by hand. The common pair ``stop_after_attempt(n) |
stop_after_delay(s)`` (or ``&``) is the engine's decision instead: a policy with ``max_attempts`` and
``max_elapsed`` joined by its ``stop_when``, asked with the call state's attempt and elapsed time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from ...policy import Policy, StopWhen
from .. import _engine
from ._strategy import Strategy
from ._utils import time_unit_type, to_seconds

if TYPE_CHECKING:
    import threading

    from ._state import RetryCallState


class stop_base(Strategy[bool]):
    """A stop strategy: ``strategy(retry_state)`` is True when retrying must stop."""

    def __and__(self, other: StopBaseT) -> stop_all:
        return stop_all(self, other)

    def __or__(self, other: StopBaseT) -> stop_any:
        return stop_any(self, other)


StopBaseT = stop_base | Callable[["RetryCallState"], bool]


class _stop_combined(stop_base):
    """Several strategies, asked in order; ``_fold`` (``any`` or ``all``) makes one answer of theirs,
    or the engine's policy joining the limits by ``_rule`` makes it (``_limits``, see _engine_limits)."""

    _fold: ClassVar[Callable[[Iterable[bool]], bool]]
    _rule: ClassVar[StopWhen]

    def __init__(self, *stops: StopBaseT) -> None:
        self.stops = stops
        self._limits = _engine_limits(stops, type(self)._rule)

    def __call__(self, retry_state: RetryCallState) -> bool:
        elapsed = retry_state.seconds_since_start
        # A hand-built state may hold a Fraction, a time out of the engine's range or attempt 0: those get
        # tenacity's comparisons.
        if (
            self._limits is not None
            and retry_state.attempt_number >= 1
            and type(elapsed) is float
            and 0 <= elapsed < _engine.LONGEST_SECONDS
        ):
            return _engine.stops(self._limits, retry_state.attempt_number - 1, _engine.elapsed_ns(elapsed))
        return type(self)._fold(stop(retry_state) for stop in self.stops)


class stop_any(_stop_combined):
    """Stops when any of the strategies says so."""

    _fold = any
    _rule = StopWhen.ANY


class stop_all(_stop_combined):
    """Stops when all the strategies say so."""

    _fold = all
    _rule = StopWhen.ALL


class _stop_never(stop_base):
    """Never stops."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        return False


stop_never = _stop_never()


class stop_when_event_set(stop_base):
    """Stops once ``event`` is set."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self.event.is_set()


class stop_after_attempt(stop_base):
    """Stops once ``max_attempt_number`` attempts were made (the first call included)."""

    def __init__(self, max_attempt_number: int) -> None:
        self.max_attempt_number = max_attempt_number

    def __call__(self, retry_state: RetryCallState) -> bool:
        return retry_state.attempt_number >= self.max_attempt_number


class stop_after_delay(stop_base):
    """Stops once ``max_delay`` passed since the first attempt started (the last attempt may end past it)."""

    def __init__(self, max_delay: time_unit_type) -> None:
        self.max_delay = to_seconds(max_delay)

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self._elapsed(retry_state) >= self.max_delay

    @staticmethod
    def _elapsed(retry_state: RetryCallState) -> float:
        elapsed = retry_state.seconds_since_start
        if elapsed is None:
            raise RuntimeError("__call__() called but seconds_since_start is not set")
        return elapsed


class stop_before_delay(stop_after_delay):
    """Stops when the upcoming sleep would end at or past ``max_delay`` since the first attempt."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self._elapsed(retry_state) + retry_state.upcoming_sleep >= self.max_delay


def _engine_limits(stops: tuple[StopBaseT, ...], rule: StopWhen) -> Policy | None:
    """The engine's policy for ``stop_after_attempt(n)`` and ``stop_after_delay(s)`` joined by ``rule``, or
    None for any other combination (asked strategy by strategy). tenacity stops at ``elapsed >= s``; the
    engine at ``elapsed > max_elapsed`` in whole nanoseconds, so max_elapsed is ``s`` less 1 ns. A limit
    the engine reads as "none" (0 attempts, under 2 ns) is left to tenacity's comparisons."""
    if len(stops) != 2:
        return None
    attempt_stop, delay_stop = stops if type(stops[0]) is stop_after_attempt else stops[::-1]
    if type(attempt_stop) is not stop_after_attempt or type(delay_stop) is not stop_after_delay:
        return None
    attempts, max_delay = attempt_stop.max_attempt_number, delay_stop.max_delay
    if type(attempts) is not int or attempts < 1 or not 2e-9 <= max_delay < _engine.LONGEST_SECONDS:
        return None
    return _engine.limits(attempts, _engine.elapsed_ns(max_delay) - 1, rule)
