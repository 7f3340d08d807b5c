"""What a retried call went through, as hooks, errors and statistics see it.

The counting itself (attempts, time waited, time elapsed) is the core ``Retrier``'s, created at a
call's first failure. A :class:`RetryCallState` is a view of it plus the call and its latest outcome,
made only when something needs one: a hook, a :class:`RetryError`, a ``for attempt in ...`` loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NoReturn, Protocol, TypeVar

from . import _core

if TYPE_CHECKING:
    from ._retrier_steps import RetrierSteps
    from ._waits_by_exception import WaitsByException
    from .adaptive import AdaptiveLimiter
    from .clock import Clock
    from .policy import Policy
    from .stats import RetryStats

_T = TypeVar("_T")


class RetryCallState:
    """The state of one retried call, handed to every hook.

    Attributes:
        retrying: the :class:`Retrying` (or :class:`AsyncRetrying`) that drives the call.
        fn, args, kwargs: the call (``fn`` is ``None`` in a ``for attempt in Retrying()`` loop).
        failed: whether the latest attempt failed (raised, or returned a result to retry).
        upcoming_sleep: the wait about to happen, in seconds (what ``before_sleep`` sees).

    For handlers written for the ``backoff`` package, ``state["tries"]``, ``["elapsed"]``,
    ``["wait"]``, ``["exception"]``, ``["value"]``, ``["target"]``, ``["args"]`` and ``["kwargs"]``
    read the same values as its ``details`` dict.
    """

    __slots__ = (
        "retrying",
        "fn",
        "args",
        "kwargs",
        "failed",
        "upcoming_sleep",
        "_retrier",
        "_outcome",
        "_raised",
        "_trace",
    )

    def __init__(
        self,
        retrying: RetryingObject,
        fn: Callable[..., Any] | None,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        retrier: _core.Retrier | None,
        outcome: Any,
        raised: bool,
        failed: bool,
        upcoming_sleep: float = 0.0,
    ) -> None:
        self.retrying = retrying
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self._retrier = retrier
        self._outcome = outcome
        self._raised = raised  # the outcome is an exception the attempt raised, not a value it returned
        self.failed = failed
        self.upcoming_sleep = upcoming_sleep
        self._trace: CallTrace | None = None  # libbackoff.tracing's, from the first failure (_call_events.py)

    @property
    def attempt_number(self) -> int:
        """The latest attempt's number: the one running, or the one that just ended (1 = first)."""
        failures = 0 if self._retrier is None else self._retrier.failures()
        return failures if self.failed else failures + 1

    @property
    def idle_for(self) -> float:
        """Seconds of waiting so far (the scheduled waits; also counted in testing mode)."""
        return 0.0 if self._retrier is None else self._retrier.idle_ns() / 1e9

    @property
    def elapsed(self) -> float:
        """Seconds since the first failure (0 before it): the span ``max_elapsed`` limits."""
        retrier = self._retrier
        if retrier is None:
            return 0.0
        return retrier.elapsed_at(self.retrying.clock.now_ns()) / 1e9

    @property
    def retry_outcome(self) -> str:
        """Where the call stands, in the core's words: ``"pending"`` while it goes on, else how it ended
        (``"succeeded"``, ``"gave_up"``, ``"deadline_exceeded"``, ``"permanent"``, ...)."""
        return _outcome_name(self._retrier)

    def exception(self) -> BaseException | None:
        """The latest attempt's exception, or ``None`` if it returned."""
        return self._outcome if self._raised else None

    def result(self) -> Any:
        """The latest attempt's return value; raises its exception if it raised one."""
        if self._raised:
            raise self._outcome
        return self._outcome

    def __getitem__(self, key: str) -> Any:
        return _DETAILS[key](self)

    def __repr__(self) -> str:
        what = "exception" if self._raised else "result"
        return f"<RetryCallState attempt_number={self.attempt_number} {what}={self._outcome!r}>"


_DETAILS: dict[str, Callable[[RetryCallState], Any]] = {
    "target": lambda state: state.fn,
    "args": lambda state: state.args,
    "kwargs": lambda state: state.kwargs,
    "tries": lambda state: state.attempt_number,
    "elapsed": lambda state: state.elapsed,
    "wait": lambda state: state.upcoming_sleep,
    "exception": lambda state: state.exception(),
    "value": lambda state: None if state._raised else state._outcome,
}


_OUTCOME_NAMES = dict(_core.enum_names("retry_outcome"))


def _outcome_name(retrier: _core.Retrier | None) -> str:
    """The core's name of ``retrier``'s outcome; ``"pending"`` before the call's first failure, when it
    has no Retrier yet."""
    return _OUTCOME_NAMES[retrier.outcome()] if retrier is not None else "pending"


class RetryError(Exception):
    """Raised when retrying gives up and the last exception is not re-raised: with
    ``reraise=False``, or when the last attempt returned a result that ``retry_if_result`` rejects.

    Attributes:
        last_attempt: the :class:`RetryCallState` of the call; ``last_attempt.result()`` returns the
            last value or raises the last exception, which is also ``__cause__``.
    """

    def __init__(self, last_attempt: RetryCallState) -> None:
        super().__init__(last_attempt)
        self.last_attempt = last_attempt

    def reraise(self) -> NoReturn:
        """Raises the last attempt's exception, or this error if the last attempt returned."""
        exception = self.last_attempt.exception()
        raise self if exception is None else exception

    def __str__(self) -> str:
        state = self.last_attempt
        what = "exception" if state._raised else "result"
        return f"gave up after {state.attempt_number} attempts; last {what}: {state._outcome!r}"


class Statistics(Mapping[str, int | float]):
    """The latest call of a retrying object, in any thread: ``attempt_number`` (attempts made) and
    ``idle_for`` (seconds waited). Reads like tenacity's ``statistics`` dict; ``dict(stats)`` takes a
    snapshot. Zeros before the first call."""

    __slots__ = ("_last",)

    _KEYS = ("attempt_number", "idle_for")

    def __init__(self) -> None:
        # The core Retrier of the latest call that failed at least once, None if the latest call
        # succeeded at once (one store on the fast path), False before any call.
        self._last: _core.Retrier | None | bool = False

    @property
    def attempt_number(self) -> int:
        """Attempts the latest call made so far."""
        last = self._last
        if last is None or last is False:
            return 0 if last is False else 1
        assert isinstance(last, _core.Retrier)
        return last.attempts()

    @property
    def retry_outcome(self) -> str | None:
        """How the latest call ended or stands, as :attr:`RetryCallState.retry_outcome`; None before any."""
        last = self._last
        if last is None or last is False:
            return None if last is False else "succeeded"  # a call that succeeded at once made no Retrier
        assert isinstance(last, _core.Retrier)
        return _outcome_name(last)

    @property
    def idle_for(self) -> float:
        """Seconds the latest call waited."""
        last = self._last
        return last.idle_ns() / 1e9 if isinstance(last, _core.Retrier) else 0.0

    def __getitem__(self, key: str) -> int | float:
        if key not in self._KEYS:
            raise KeyError(key)
        value: int | float = getattr(self, key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._KEYS)

    def __len__(self) -> int:
        return len(self._KEYS)

    def __repr__(self) -> str:
        return f"Statistics(attempt_number={self.attempt_number}, idle_for={self.idle_for!r})"


class CallTrace(Protocol):
    """What is traced of one retried call, from its first failure to its end."""

    def retry(self, call: RetryCallState, wait: float) -> None:
        """The latest attempt failed and the next one runs in ``wait`` seconds."""

    def gave_up(self, call: RetryCallState, give_up: str) -> None:
        """The latest attempt failed and is not retried, for ``give_up`` (``_logging.GIVE_UP_TEXT``)."""

    def succeeded(self, call: RetryCallState) -> None:
        """The latest attempt succeeded: the call is over."""

    def cancelled(self) -> None:
        """The driver left before the call ended (an interrupt, a loop left early); a no-op after an end."""


class RetryingObject(Protocol):
    """A :class:`Retrying` as a call and its wrappers read it (here, in ``_retried_call.py`` and in
    ``_retried.py``): its settings and what it looked up once for each call. A protocol rather than
    ``Retrying`` itself keeps this module, and those, below ``retrying.py``, which builds on them."""

    name: str | None
    policy: Policy
    clock: Clock
    statistics: Statistics
    reraise: bool
    retry_if_result: Any
    retry_after: Any
    budget_cost: Any
    before_sleep: Any
    on_giveup: Any
    on_success: Any
    sleep: Any
    breaker: Any
    budget: Any
    limiter: AdaptiveLimiter | None
    _policy: _core.Policy
    _steps: RetrierSteps
    _stats: _core.RetryStats
    _log: logging.Logger | None
    _waits: WaitsByException | None
    _retry_classes: tuple[type[Exception], ...]
    _retry_predicate: Callable[[Exception], bool] | None
    _permanent_classes: tuple[type[Exception], ...]
    _permanent_predicate: Callable[[Exception], bool] | None
    _attached: tuple[_core.Breaker | None, _core.Budget | None, _core.AdaptiveLimiter | None]
    _quick: bool
    _core_loop: bool
    _plain: bool
    _joined: bool
    _deadline: bool

    def _succeeded(self, result: _T, /) -> _T: ...

    def stats(self) -> RetryStats:
        """Lifetime counts of every call through this loop (and every loop with its name), from the core."""
        ...

    @property
    def copy(self) -> Callable[..., Any]:
        """``copy(**changes)``: a new retrying object with ``changes`` applied, whose ``wraps(fn)`` makes
        the same function again (a sync or an ``async`` one, as the object's own)."""
