"""tenacity-style stop conditions, as limits of the policy.

``stop=stop_after_attempt(5) | stop_after_delay(30)`` sets ``max_attempts=5, max_elapsed=30`` on the
policy, and the core stops at whichever comes first. Unlike tenacity's, these are data, not callables
run after each attempt.
"""

from __future__ import annotations

from ._convert import Duration


class Stop:
    """Limits that end retrying: ``max_attempts`` (total attempts) and ``max_elapsed`` (seconds since
    the first failure). ``a | b`` combines limits of different kinds."""

    __slots__ = ("max_attempts", "max_elapsed")

    def __init__(self, *, max_attempts: int | None = None, max_elapsed: Duration | None = None) -> None:
        self.max_attempts = max_attempts
        self.max_elapsed = max_elapsed

    def __or__(self, other: Stop) -> Stop:
        if not isinstance(other, Stop):
            return NotImplemented
        for name in self.__slots__:
            if getattr(self, name) is not None and getattr(other, name) is not None:
                raise TypeError(f"stop: {name} is set on both sides of '|'; give it once")
        return Stop(
            max_attempts=self.max_attempts if other.max_attempts is None else other.max_attempts,
            max_elapsed=self.max_elapsed if other.max_elapsed is None else other.max_elapsed,
        )

    def __repr__(self) -> str:
        return f"Stop(max_attempts={self.max_attempts!r}, max_elapsed={self.max_elapsed!r})"


def stop_after_attempt(attempts: int) -> Stop:
    """Stop after ``attempts`` attempts in total (the first included), as tenacity's."""
    return Stop(max_attempts=attempts)


def stop_after_delay(seconds: Duration) -> Stop:
    """Stop when the time since the first failure plus the next wait would pass ``seconds``."""
    return Stop(max_elapsed=seconds)
