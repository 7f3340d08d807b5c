"""Wait strategies (``tenacity.wait``): callables from the call state to seconds, added with ``+``.

Every schedule is a policy of the engine, built once per strategy and asked per attempt: attempt
``n`` (1-based, as tenacity counts) is the engine's attempt ``n - 1``. Where tenacity's formula has a
floor or sums two schedules, the floor or the sum is applied to the engine's values; docs/compat.md
lists what the engine cannot express.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...policy import Jitter
from .. import _engine
from ._strategy import Strategy
from ._utils import MAX_WAIT, time_unit_type, to_seconds

if TYPE_CHECKING:
    from ._state import RetryCallState


class wait_base(Strategy[float]):
    """A wait strategy: ``strategy(retry_state)`` is the next sleep in seconds."""

    _arguments: tuple[tuple[Any, ...], dict[str, Any]] = ((), {})

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        # The arguments are kept so that a strategy pickles (tenacity 9.2's Retrying pickles, for
        # multiprocessing) as the call that built it: the engine policy it holds does not pickle.
        strategy = super().__new__(cls)
        strategy._arguments = (args, kwargs)
        return strategy

    def __reduce__(self) -> tuple[Any, ...]:
        args, kwargs = self._arguments
        return (functools.partial(type(self), **kwargs), args)

    def __add__(self, other: wait_base) -> wait_combine:
        return wait_combine(self, other)

    def __radd__(self, other: Any) -> wait_base:
        if isinstance(other, int):
            # sum() starts from the int 0; any other number is no strategy, so `+` refuses it at once.
            return self if other == 0 else NotImplemented
        return wait_combine(self, other)  # a plain callable has no __add__ of its own


WaitBaseT = wait_base | Callable[["RetryCallState"], float | int]


class wait_fixed(wait_base):
    """The same wait every time."""

    def __init__(self, wait: time_unit_type) -> None:
        self.wait_fixed = _engine.delay(_engine.constant(to_seconds(wait)), 0)

    def __call__(self, retry_state: RetryCallState) -> float:
        return self.wait_fixed


class wait_none(wait_fixed):
    """No wait."""

    def __init__(self) -> None:
        super().__init__(0)


class wait_random(wait_base):
    """A uniform draw from [min, max]: ``min`` plus the engine's full jitter over ``max - min``."""

    def __init__(self, min: time_unit_type = 0, max: time_unit_type = 1) -> None:
        self.wait_random_min = to_seconds(min)
        self.wait_random_max = to_seconds(max)
        self._spread = _engine.constant(max_(self.wait_random_max - self.wait_random_min, 0.0), Jitter.FULL)

    def __call__(self, retry_state: RetryCallState) -> float:
        return self.wait_random_min + _engine.delay(self._spread, 0)


class wait_combine(wait_base):
    """The sum of several strategies' waits."""

    def __init__(self, *strategies: WaitBaseT) -> None:
        self.wait_funcs = strategies

    def __call__(self, retry_state: RetryCallState) -> float:
        return float(sum(strategy(retry_state) for strategy in self.wait_funcs))


class wait_chain(wait_base):
    """One strategy per attempt: the first for attempt 1, the second for attempt 2, ..., the last for
    every attempt after."""

    def __init__(self, *strategies: WaitBaseT) -> None:
        if not strategies:
            raise ValueError("wait_chain() requires at least one strategy")
        self.strategies = strategies

    def __call__(self, retry_state: RetryCallState) -> float:
        index = min(max(retry_state.attempt_number, 1), len(self.strategies)) - 1
        return self.strategies[index](retry_state)


class wait_exception(wait_base):
    """The wait ``predicate(exception)`` returns for the last attempt's exception (a server's hint)."""

    def __init__(self, predicate: Callable[[BaseException], float]) -> None:
        self.predicate = predicate

    def __call__(self, retry_state: RetryCallState) -> float:
        if retry_state.outcome is None:
            raise RuntimeError("__call__() called before outcome was set")
        exception = retry_state.outcome.exception()
        if exception is None:
            raise RuntimeError("outcome failed but the exception is None")
        return self.predicate(exception)


class wait_incrementing(wait_base):
    """``start + increment * (attempt - 1)``, at most ``max``: the engine's linear policy."""

    def __init__(
        self,
        start: time_unit_type = 0,
        increment: time_unit_type = 100,
        max: time_unit_type = MAX_WAIT,
    ) -> None:
        self.start = to_seconds(start)
        self.increment = to_seconds(increment)
        self.max = to_seconds(max)
        self._policy = _engine.linear(self.start, self.increment, self.max)

    def __call__(self, retry_state: RetryCallState) -> float:
        return _engine.delay(self._policy, retry_state.attempt_number - 1)


class wait_exponential(wait_base):
    """``multiplier * exp_base ** (attempt - 1)``, at most ``max`` and at least ``min``: the engine's
    exponential policy (initial = multiplier, multiplier = exp_base), which saturates at the cap instead of
    overflowing for any attempt number."""

    def __init__(
        self,
        multiplier: int | float = 1,
        max: time_unit_type = MAX_WAIT,
        exp_base: int | float = 2,
        min: time_unit_type = 0,
    ) -> None:
        self.multiplier = multiplier
        self.min = to_seconds(min)
        self.max = to_seconds(max)
        self.exp_base = exp_base
        self._policy = _exponential(multiplier, exp_base, self.max, self._jitter)

    _jitter = Jitter.NONE

    def __call__(self, retry_state: RetryCallState) -> float:
        return max_(max_(0.0, self.min), _engine.delay(self._policy, retry_state.attempt_number - 1))


class wait_random_exponential(wait_exponential):
    """Full jitter over :class:`wait_exponential`'s schedule: the engine draws from [0, delay], then the
    floor ``min`` applies (tenacity draws from [min, delay]; see docs/compat.md)."""

    _jitter = Jitter.FULL


wait_full_jitter = wait_random_exponential


class wait_exponential_jitter(wait_base):
    """``multiplier * exp_base ** (attempt - 1)`` plus a uniform draw from [0, jitter], at most ``max`` and
    at least ``min`` (tenacity 9.2's keywords; ``initial`` is the deprecated name of ``multiplier``): the
    engine's exponential policy plus its full jitter over ``jitter``, bounded after the sum."""

    def __init__(
        self,
        initial: float = 1,
        max: time_unit_type = MAX_WAIT,
        exp_base: float = 2,
        jitter: time_unit_type = 1,
        min: time_unit_type = 0,
        multiplier: float = 1,
    ) -> None:
        if initial != 1 and multiplier != 1:
            raise ValueError("Cannot specify both 'initial' and 'multiplier' — use 'multiplier' only")
        if initial != 1:
            warnings.warn(
                "The 'initial' parameter is deprecated, use 'multiplier' instead", DeprecationWarning, stacklevel=2
            )
            multiplier = initial
        self.multiplier = multiplier
        self.max = to_seconds(max)
        self.exp_base = exp_base
        self.jitter = to_seconds(jitter)
        self.min = to_seconds(min)
        self._policy = _exponential(multiplier, exp_base, self.max, Jitter.NONE)
        self._spread = _engine.constant(max_(self.jitter, 0.0), Jitter.FULL)

    def __call__(self, retry_state: RetryCallState) -> float:
        base = _engine.delay(self._policy, retry_state.attempt_number - 1)
        return max_(max_(0.0, self.min), min_(base + _engine.delay(self._spread, 0), self.max))


max_, min_ = max, min  # the builtins, which tenacity's keyword names `max` and `min` shadow in signatures


def _exponential(initial: float, exp_base: float, cap: float, jitter: Jitter) -> Any:
    """The engine policy of ``initial * exp_base ** n`` capped at ``cap``. A non-positive ``initial``
    makes every wait 0 in tenacity (before its floor), which is the engine's zero constant."""
    if initial <= 0:
        return _engine.constant(0.0)
    return _engine.exponential(float(initial), float(exp_base), cap if cap < MAX_WAIT else None, jitter)
