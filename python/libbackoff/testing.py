"""A switch that turns waiting off in a whole test suite (stamina's idea).

Your code keeps its ``@retry`` decorators and policies; your tests call ``set_testing(True)`` once
(for example in a ``conftest.py`` fixture) or use it as a context manager, and every retry then
computes its delays, calls its hooks and counts its attempts, but does not sleep::

    with libbackoff.set_testing():
        client.fetch()  # retries at once

An explicit ``sleep=`` given to a retrying object (or the sleep of a :class:`Clock` given as ``clock=``,
such as :class:`FakeClock`) is still called: that is how a test records the delays it would have waited.

``set_testing(True, attempts=n)`` also caps every retried call (``Retrying``, ``AsyncRetrying``,
``@retry``, and each request of the HTTP transports and adapters) at ``n`` attempts in all, as
stamina's ``set_testing(True, attempts=1)``: a test of the failure path then sees the first exception
at once instead of the policy's whole schedule. The cap is the core's ``max_attempts`` on the policy of
each call begun in the mode (a policy's own lower limit stays), so the core still makes every decision.
"""

from __future__ import annotations

from ._convert import duration_ns, shown
from ._retrier_steps import RetrierSteps, retrier_steps
from .clock import Clock
from .policy import Policy


class _Switch:
    __slots__ = ("waiting", "attempts")

    def __init__(self) -> None:
        self.waiting = True
        #: The cap on attempts in testing mode (0: none); read when a call fails the first time.
        self.attempts = 0


#: Read on every retry before the default sleep; one attribute load.
switch = _Switch()


class TestingMode:
    """What :func:`set_testing` returns: entering does nothing more, leaving restores the previous
    mode, so ``with set_testing(): ...`` is scoped."""

    __slots__ = ("_previous_waiting", "_previous_attempts")
    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, previous_waiting: bool, previous_attempts: int) -> None:
        self._previous_waiting = previous_waiting
        self._previous_attempts = previous_attempts

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        # Restored however the block ends.
        switch.waiting, switch.attempts = self._previous_waiting, self._previous_attempts


def set_testing(testing: bool = True, *, attempts: int = 0) -> TestingMode:
    """Turns waiting off (``testing=True``) or back on, for every retry in the process.

    ``attempts``: in testing mode, every retried call makes at most this many attempts, the first
    included (0, the default: the policies' own limits). Its domain is the core's ``max_attempts``;
    it needs ``testing=True``.

    Takes effect at once (a call already retrying keeps the cap it began with); used as a context
    manager, it restores the previous mode on exit.

    Raises:
        TypeError: ``testing`` is not a bool, or ``attempts`` is given with ``testing=False``;
            ValueError: ``attempts`` is outside the core's domain (the message names it). Nothing changes.
    """
    if not isinstance(testing, bool):
        raise TypeError(f"testing: expected True or False (got {shown(testing)})")
    if attempts and not testing:
        raise TypeError(f"attempts: caps attempts in testing mode; pass testing=True too (got {shown(attempts)})")
    if attempts:
        _capped_policy(Policy(), attempts)  # the core checks the value before anything changes
    previous = TestingMode(switch.waiting, switch.attempts)
    switch.waiting, switch.attempts = not testing, attempts
    return previous


def is_testing() -> bool:
    """True while waiting is switched off by :func:`set_testing`."""
    return not switch.waiting


def capped_steps(steps: RetrierSteps, policy: Policy, clock: Clock) -> RetrierSteps:
    """The steps a call begun now takes: ``steps`` (``policy``'s on ``clock``), or in testing mode with
    a cap on attempts, those of ``policy`` capped."""
    if not switch.attempts:
        return steps
    return retrier_steps(clock, _capped_policy(policy, switch.attempts)._policy)


def _capped_policy(policy: Policy, attempts: int) -> Policy:
    """``policy`` with at most ``attempts`` attempts: its own limit when that is lower (0 is no limit)."""
    if 0 < policy.max_attempts <= attempts:
        return policy
    try:
        return policy.replace(max_attempts=attempts)
    except (TypeError, ValueError) as error:  # the core names its parameter; the caller's is `attempts`
        raise type(error)(f"attempts: {error}") from None


class FakeClock(Clock):
    """A clock whose time moves only when something sleeps on it: ``sleep(s)`` records ``s`` in
    :attr:`sleeps` and moves :attr:`now` on by it, at once. Give it as ``clock=`` to a retrying
    object, breaker or budget; called, it returns :attr:`now` in float seconds, so it also serves where
    a plain clock function is expected (``clock=fake, sleep=fake.sleep``)."""

    __slots__ = ("now", "sleeps")
    __test__ = False

    def __init__(self, start: float = 1000.0) -> None:
        super().__init__(self._now_ns, self._advance)
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def _now_ns(self) -> int:
        return duration_ns(self.now, "FakeClock.now")

    def _advance(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        """:meth:`sleep` for ``AsyncRetrying(sleep=...)``."""
        self._advance(seconds)

    def __repr__(self) -> str:
        return f"FakeClock(now={self.now!r})"
