"""A switch that turns waiting off in a whole test suite (stamina's idea).

Your code keeps its ``@retry`` decorators and policies; your tests call ``set_testing(True)`` once
(for example in a ``conftest.py`` fixture) or use it as a context manager, and every retry then
computes its delays, calls its hooks and counts its attempts, but does not sleep::

    with libbackoff.set_testing():
        client.fetch()  # retries at once

An explicit ``sleep=`` given to a retrying object (or the sleep of a :class:`Clock` given as ``clock=``,
such as :class:`FakeClock`) is still called: that is how a test records the delays it would have waited.
"""

from __future__ import annotations

from ._convert import duration_ns, shown
from .clock import Clock


class _Switch:
    __slots__ = ("waiting",)

    def __init__(self) -> None:
        self.waiting = True


#: Read on every retry before the default sleep; one attribute load.
switch = _Switch()


class TestingMode:
    """What :func:`set_testing` returns: entering does nothing more, leaving restores the previous
    mode, so ``with set_testing(): ...`` is scoped."""

    __slots__ = ("_previous_waiting",)
    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, previous_waiting: bool) -> None:
        self._previous_waiting = previous_waiting

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        switch.waiting = self._previous_waiting  # restored however the block ends


def set_testing(testing: bool = True) -> TestingMode:
    """Turns waiting off (``testing=True``) or back on, for every retry in the process.

    Takes effect at once; used as a context manager, it restores the previous mode on exit.
    """
    if not isinstance(testing, bool):
        raise TypeError(f"testing: expected True or False (got {shown(testing)})")
    previous_waiting = switch.waiting
    switch.waiting = not testing
    return TestingMode(previous_waiting)


def is_testing() -> bool:
    """True while waiting is switched off by :func:`set_testing`."""
    return not switch.waiting


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
