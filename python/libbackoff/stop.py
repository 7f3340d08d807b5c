"""tenacity-style stop conditions, as limits of the policy.

``stop=stop_after_attempt(5) | stop_after_delay(30)`` sets ``max_attempts=5, max_elapsed=30`` on the
policy, and the core stops at whichever comes first; ``stop_after_attempt(5) & stop_after_delay(30)``
sets the same limits with ``stop_when="all"``, and the core stops only once both are reached. Unlike
tenacity's, these are data, not callables run after each attempt: a combination is what the core's
policy can say, one ``max_attempts`` and one ``max_elapsed`` joined by ``|`` or ``&``.
"""

from __future__ import annotations

from . import _core
from ._convert import Duration
from .policy import Policy, StopWhen

#: The stop a retry loop given none takes, as the core declares it (BACKOFF_FIELD_RETRY_DEFAULT): each stop
#: parameter's value as text, ``{"max_attempts": "5", "max_elapsed": "0", "deadline": "0"}``.
_LOOP_DEFAULTS = {row[0]: row[6] for row in _core.param_table("param") if row[6]}


class Stop:
    """Limits that end retrying: ``max_attempts`` (total attempts) and ``max_elapsed`` (seconds since
    the first failure), and ``stop_when``, how they combine (``None``: as the policy says). ``a | b``
    stops at the first limit reached, ``a & b`` once all are; each limit is given once."""

    __slots__ = ("max_attempts", "max_elapsed", "stop_when")

    def __init__(
        self,
        *,
        max_attempts: int | None = None,
        max_elapsed: Duration | None = None,
        stop_when: StopWhen | str | None = None,
    ) -> None:
        self.max_attempts = max_attempts
        self.max_elapsed = max_elapsed
        self.stop_when = None if stop_when is None else StopWhen(stop_when)

    def __or__(self, other: Stop) -> Stop:
        if not isinstance(other, Stop):
            return NotImplemented
        return self._combine(other, StopWhen.ANY)

    def __and__(self, other: Stop) -> Stop:
        if not isinstance(other, Stop):
            return NotImplemented
        return self._combine(other, StopWhen.ALL)

    def _combine(self, other: Stop, stop_when: StopWhen) -> Stop:
        operator = "|" if stop_when is StopWhen.ANY else "&"
        both = [name for name in ("max_attempts", "max_elapsed") if self._has(name) and other._has(name)]
        if both:
            # The only way to have a limit on both sides is a third operand: (a | b) & c and the like,
            # which the core's one max_attempts and one max_elapsed cannot say.
            raise TypeError(
                f"stop: cannot combine {self!r} {operator} {other!r}: {both[0]} is on both sides; the core "
                "stops on one max_attempts and one max_elapsed, joined by | (any) or & (all)"
            )
        # A side without limits adds nothing: the other side keeps its own rule.
        rule = stop_when if other._limited() and self._limited() else self.stop_when or other.stop_when
        return Stop(
            max_attempts=self.max_attempts if other.max_attempts is None else other.max_attempts,
            max_elapsed=self.max_elapsed if other.max_elapsed is None else other.max_elapsed,
            stop_when=rule,
        )

    def _has(self, name: str) -> bool:
        return getattr(self, name) is not None

    def _limited(self) -> bool:
        return self._has("max_attempts") or self._has("max_elapsed")

    def __repr__(self) -> str:
        rule = "" if self.stop_when is None else f", stop_when={self.stop_when.value!r}"
        return f"Stop(max_attempts={self.max_attempts!r}, max_elapsed={self.max_elapsed!r}{rule})"


def stop_after_attempt(attempts: int) -> Stop:
    """Stop after ``attempts`` attempts in total (the first included), as tenacity's."""
    return Stop(max_attempts=attempts)


def stop_after_delay(seconds: Duration) -> Stop:
    """Stop when the time since the first failure plus the next wait would pass ``seconds``."""
    return Stop(max_elapsed=seconds)


def default_stop(policy: Policy) -> Policy:
    """The policy a retry loop given no stop option runs: ``policy`` itself when it has a stop of its own
    (``max_attempts``, ``max_elapsed`` or ``deadline``), else ``policy`` with the core's stop for a loop
    given none (5 attempts, no time limit), so that a bare ``@retry`` ends by itself."""
    if any(getattr(policy, name) for name in _LOOP_DEFAULTS):
        return policy
    config = _core.Config(policy._policy.config())
    for name, text in _LOOP_DEFAULTS.items():
        config.set_text(name, text)
    return Policy._from_core(_core.Policy(config))
