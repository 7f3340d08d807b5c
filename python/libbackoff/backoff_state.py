"""Backoff: the stateful form of a policy (cenkalti/backoff's ``NextBackOff`` / ``Reset``)."""

from __future__ import annotations

from . import _convert, _core
from ._convert import Duration
from .clock import MONOTONIC, ClockOption, clock_of
from .policy import Policy


class Backoff(_core.Backoff):
    """Counts attempts, remembers when retrying started and asks its policy for each delay.

    A ``Backoff`` belongs to one thread (or task) at a time; the :class:`Policy` it came from stays
    shareable. An unseeded policy gives every ``Backoff`` an independent random stream, so clients
    started together do not retry in lockstep, and a child of ``os.fork()`` draws anew even from a
    ``Backoff`` made before the fork; a seeded one replays the same sequence.

    Args:
        policy: the schedule.
        clock: a :class:`Clock`, or a function returning the current time in float seconds; the
            core's monotonic clock by default. Inject one to drive ``max_elapsed`` by hand in tests.
    """

    # One object with the core state: what a Backoff costs beyond the core's is this slot (docs/scale.md).
    __slots__ = ("_policy",)

    _policy: Policy

    def __new__(cls, policy: Policy, *, clock: ClockOption | None = None) -> Backoff:
        clock = clock_of(clock)
        # On the monotonic clock the core reads it in C++; another clock is read by the core type at each
        # step that needs the time.
        self = _core.Backoff.__new__(cls, policy._policy, None if clock is MONOTONIC else clock.now_ns)
        self._policy = policy
        return self

    @property
    def policy(self) -> Policy:
        """The policy this state follows."""
        return self._policy

    def next(self, hint: Duration | None = None) -> float | None:
        """The delay in seconds before the next retry, or ``None``: stop retrying.

        ``hint`` is a server's "retry after": the delay is at least the hint, and still at most the
        cap. Stops once ``max_attempts`` attempts were made or when the time since the start (or the
        last :meth:`reset`) plus the delay would pass ``max_elapsed``.
        """
        ns = self.next_ns(0 if hint is None else _convert.duration_ns(hint, "hint"))
        return None if ns is None else ns / 1e9

    def next_ns(self, hint_ns: int = 0) -> int | None:
        """As :meth:`next`, with the hint and the delay in exact integer nanoseconds."""
        ns = self._next(hint_ns)
        return None if ns == _core.STOP else ns

    def reset(self) -> None:
        """Starts over: attempt 0, elapsed time measured from now."""
        self._reset()

    @property
    def elapsed(self) -> float:
        """Seconds since construction or the last :meth:`reset` (0 if the clock went backwards)."""
        return self._elapsed() / 1e9

    @property
    def attempt(self) -> int:
        """How many delays :meth:`next` has handed out since the last reset."""
        return self._attempt()

    def __repr__(self) -> str:
        return f"Backoff(attempt={self.attempt}, elapsed={self.elapsed:.6f}, policy={self._policy!r})"
