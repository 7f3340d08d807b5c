"""What a circuit breaker reports: its states, its state changes, its counts, and the error it raises
when it refuses a call. The names are the core's (``backoff::BreakerState``, ``BreakerCause``,
``BreakerCount``); the core's ints are mapped onto them here, once.
"""

from __future__ import annotations

import enum
import math
from typing import TYPE_CHECKING, NamedTuple

from . import _core


class CircuitState(str, enum.Enum):
    """A breaker's state."""

    CLOSED = "closed"  #: admits every call; the trip rule watches the results
    OPEN = "open"  #: refuses every call until the open period is over
    HALF_OPEN = "half_open"  #: admits up to ``half_open_probes`` probe calls at a time
    ISOLATED = "isolated"  #: forced open by :meth:`CircuitBreaker.isolate` until another manual change
    DISABLED = "disabled"  #: admits every call and never trips, until another manual change


class StateChangeCause(str, enum.Enum):
    """Why a breaker changed state."""

    FAILURES = "failures"  #: the consecutive or count rule tripped
    FAILURE_RATIO = "failure_ratio"  #: the ratio rule tripped
    SLOW_CALLS = "slow_calls"  #: the slow-call rule tripped
    PROBE_FAILED = "probe_failed"  #: a half-open probe failed (or was slow)
    HALF_OPEN_TIMEOUT = "half_open_timeout"  #: half-open lasted ``half_open_max_duration``
    OPEN_ELAPSED = "open_elapsed"  #: the open period ended: open -> half-open
    PROBES_SUCCEEDED = "probes_succeeded"  #: ``half_open_successes`` probes succeeded: -> closed
    MANUAL = "manual"  #: a manual change (:meth:`CircuitBreaker.isolate`, ``close``, ...)


class Outcome(str, enum.Enum):
    """What became of a call that held a permit (:meth:`CircuitBreaker.record`)."""

    SUCCESS = "success"
    FAILURE = "failure"
    IGNORED = "ignored"  #: says nothing about the service's health; settles the permit, changes nothing


class StateChange(NamedTuple):
    """One state change, as listeners and :meth:`CircuitBreaker.events` see it."""

    state: CircuitState
    previous: CircuitState
    cause: StateChangeCause
    at: float  #: seconds on the breaker's clock (``time.monotonic()``'s scale by default)


class CircuitCounts(NamedTuple):
    """A snapshot of a breaker's counts. ``admitted`` .. ``trips`` only grow; once every permit is
    settled, ``admitted == successes + failures + ignored + released + stale``."""

    admitted: int  #: permits handed out
    rejected: int  #: calls refused with :class:`CircuitOpenError`
    successes: int  #: results that counted
    failures: int
    ignored: int
    released: int  #: permits given back unused
    stale: int  #: results and releases that came after their state (or their probe lease) ended
    slow: int  #: counted results at least ``slow_call_duration`` long
    expired: int  #: half-open probe leases reclaimed unreported
    trips: int  #: entries into the open state
    consecutive_failures: int  #: the current run of failures
    window_calls: int  #: calls in the current window
    window_failures: int
    window_slow: int
    probes_in_flight: int  #: half-open probe leases held now
    events_dropped: int  #: state changes lost because nobody polled :meth:`CircuitBreaker.events`
    listener_errors: int  #: listener calls that raised


class CircuitOpenError(Exception):
    """Raised instead of making a call that a circuit breaker refuses.

    Attributes:
        remaining: seconds until the breaker may admit calls again: the rest of the open period; 0 when
            half-open with every probe in flight (a probe may finish at any moment); ``math.inf`` when
            isolated (until a manual change).
        state: the breaker's state when it refused.
        name: the breaker's name, or ``None``.
    """

    # No __init__: the attributes are read from ``args``, which BaseException stores in C. While a
    # service is down every call through its breaker is refused, and a Python-level __init__ (with its
    # attribute dict) would triple the cost of each refusal.
    if TYPE_CHECKING:

        def __init__(self, remaining: float, state: CircuitState, name: str | None = None, /) -> None: ...

    @property
    def remaining(self) -> float:
        """Seconds until the breaker may admit calls again."""
        remaining: float = self.args[0]
        return remaining

    @property
    def state(self) -> CircuitState:
        """The breaker's state when it refused."""
        state: CircuitState = self.args[1]
        return state

    @property
    def name(self) -> str | None:
        """The breaker's name, or ``None``."""
        return self.args[2] if len(self.args) > 2 else None

    def __str__(self) -> str:
        breaker = "circuit breaker" if self.name is None else f"circuit breaker {self.name!r}"
        if self.state is CircuitState.ISOLATED:
            return f"{breaker} is isolated: it refuses calls until it is closed by hand"
        if self.state is CircuitState.HALF_OPEN:
            return f"{breaker} is half-open and every probe is in flight: try again shortly"
        return f"{breaker} is {self.state.value}: it refuses calls for another {self.remaining:.3f} s"


# The core's enum values (ints) mapped onto the names above; a name missing on either side fails here.
STATES = {int(value): CircuitState(name) for name, value in _core.BreakerState.__members__.items()}
STATE_VALUES = {state: value for value, state in STATES.items()}
CAUSES = {int(value): StateChangeCause(name) for name, value in _core.BreakerCause.__members__.items()}
OUTCOME_VALUES = {Outcome(name): int(value) for name, value in _core.Outcome.__members__.items()}

_WAIT_FOREVER_NS = 2**63 - 1  # the core's wait while isolated: no time will do


def seconds_remaining(wait_ns: int) -> float:
    """The core's wait (int64 nanoseconds) as :attr:`CircuitOpenError.remaining`."""
    return math.inf if wait_ns == _WAIT_FOREVER_NS else wait_ns / 1e9
