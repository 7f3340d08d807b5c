"""AdaptiveLimiter: the AWS SDKs' "adaptive" retry mode, a client-side rate limiter over the core's
``backoff::AdaptiveLimiter``.

A service that throttles (HTTP 429, AWS's Throttling codes) tells its clients how fast it will take
requests; the limiter learns that rate and holds every attempt, the first included, to it, so that a
pool of callers stops sending what would only be throttled. The token bucket, its CUBIC fill rate and
every decision are the core's (docs/adaptive.md gives the constants); this module converts units,
sleeps the waits (plain or ``await``), and raises :class:`RateLimitExceeded` for a fail-fast limiter.
"""

from __future__ import annotations

from . import _core
from ._event_loop import event_loop_sleep
from .clock import MONOTONIC, ClockOption, clock_of


class RateLimitExceeded(Exception):
    """Raised when a fail-fast :class:`AdaptiveLimiter` has no send token for an attempt. It is the
    client's own limit, never the operation's error: a retry loop chains the operation's last exception
    as its ``__cause__``.

    Attributes:
        wait: seconds until the limiter would have a token at its current fill rate.
    """

    def __init__(self, wait: float) -> None:
        super().__init__(wait)
        self.wait = wait

    def __str__(self) -> str:
        return (
            f"rate limit exceeded: the client's adaptive limiter has no send token (one in {self.wait:.3g} s);"
            " this is a client-side limit, not the operation's own error"
        )


class AdaptiveLimiter:
    """A client-side rate limiter shared by every caller of one throttling scope (a service endpoint).

    Before every attempt, take a send token (:meth:`wait`, :meth:`wait_async`, or :meth:`acquire` to
    sleep yourself); after every response, :meth:`record` it, ``throttled=True`` when the service said to
    slow down. Until the first throttle nothing waits. Pass it to a retry loop instead and the loop does
    both: ``@retry(limiter=limiter, budget_cost=...)``, where a failure ``budget_cost`` classifies as
    ``"throttling"`` is a throttle (see :class:`~libbackoff.Retrying`), or to the httpx transport, where
    429 and 503 responses are.

    ``fail_fast``: an attempt that finds no token raises :class:`RateLimitExceeded` instead of waiting
    (aws-sdk-go-v2's ``FailOnNoAttemptTokens``). ``clock``: a :class:`~libbackoff.Clock`
    (``libbackoff.testing.FakeClock()`` in tests) or a float-seconds function; with a Clock, :meth:`wait`
    sleeps with its sleep. Thread-safe: one small lock per call.
    """

    __slots__ = ("_limiter", "_clock")

    def __init__(self, *, fail_fast: bool = False, clock: ClockOption | None = None) -> None:
        if not isinstance(fail_fast, bool):
            raise TypeError(f"fail_fast: expected a bool (got {fail_fast!r})")
        self._clock = clock_of(clock)
        self._limiter = _core.AdaptiveLimiter(fail_fast)

    def acquire(self) -> float:
        """Asks to send an attempt: 0.0 when it took a token and may go now; otherwise it took nothing,
        and the result is the seconds until a token will be there: wait, then ask again. A fail-fast
        limiter raises :class:`RateLimitExceeded` instead."""
        wait = self._limiter.acquire_at(self._clock.now_ns()) / 1e9
        if wait and self.fail_fast:
            raise RateLimitExceeded(wait)
        return wait

    def wait(self) -> None:
        """Takes a send token, sleeping (the clock's sleep) until there is one; a fail-fast limiter
        raises :class:`RateLimitExceeded` instead."""
        while wait := self.acquire():
            self._clock.sleep(wait)  # pacing real traffic: testing mode does not skip it

    async def wait_async(self) -> None:
        """:meth:`wait` for coroutines, sleeping in the running asyncio loop or trio run."""
        while wait := self.acquire():
            if self._clock is MONOTONIC:
                await event_loop_sleep(wait)
            else:
                self._clock.sleep(wait)  # an injected clock's own sleep (a fake one moves on at once)

    def record(self, throttled: bool) -> None:
        """Records the response to an attempt: ``throttled`` when the service said to slow down, which
        cuts the fill rate; anything else (a success or another failure) grows it."""
        if not isinstance(throttled, bool):
            raise TypeError(f"throttled: expected a bool (got {throttled!r})")
        self._limiter.record_at(self._clock.now_ns(), throttled)

    @property
    def fail_fast(self) -> bool:
        """Whether an attempt without a token raises instead of waiting."""
        return self._limiter.fail_fast()

    @property
    def fill_rate(self) -> float:
        """Tokens a second the bucket gains (at least 0.5), as of the latest acquire or record."""
        return self._limiter.state().fill_rate

    @property
    def measured_rate(self) -> float:
        """The client's smoothed rate of responses a second."""
        return self._limiter.state().measured_rate

    @property
    def capacity(self) -> float:
        """The most tokens the bucket holds (at least 1)."""
        return self._limiter.state().capacity

    @property
    def tokens(self) -> float:
        """The tokens in the bucket as of the latest acquire or record."""
        return self._limiter.state().tokens

    @property
    def enabled(self) -> bool:
        """True once a throttle was recorded: from then on attempts are paced."""
        return self._limiter.state().enabled

    def _refused(self, wait_ns: int) -> RateLimitExceeded:
        return RateLimitExceeded(wait_ns / 1e9)

    def __repr__(self) -> str:
        state = self._limiter.state()
        return (
            f"AdaptiveLimiter(fail_fast={self.fail_fast}, enabled={state.enabled},"
            f" fill_rate={state.fill_rate:.3g}, measured_rate={state.measured_rate:.3g})"
        )
