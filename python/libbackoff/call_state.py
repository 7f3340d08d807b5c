"""What one retried call went through: its attempts, waits and last outcome.

A :class:`RetryCallState` exists only for calls that fail at least once (or when an ``on_success``
hook asks for one): a call that succeeds at once costs no object. Its :meth:`_wait_after` is the one
step every retry loop (decorator, iterator, sync, async) takes after a failed attempt: classify the
failure, ask the core for the delay, call ``before_sleep``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Callable, NoReturn, Optional, Union

from . import _convert, _core

if TYPE_CHECKING:
    from .retrying import Retrying


class RetryCallState:
    """The state of one retried call, handed to every hook.

    Attributes:
        retrying: the :class:`Retrying` that drives the call.
        fn, args, kwargs: the call (``fn`` is ``None`` in a ``for attempt in Retrying()`` loop).
        attempt_number: attempts started so far (1 during the first).
        idle_for: seconds of waiting so far (scheduled waits; also counted in testing mode).
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
        "attempt_number",
        "idle_for",
        "upcoming_sleep",
        "failed",
        "_outcome",
        "_backoff",
        "_next_delay",
    )

    def __init__(
        self,
        retrying: Retrying,
        fn: Optional[Callable[..., Any]],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        self.retrying = retrying
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.attempt_number = 1
        self.idle_for = 0.0
        self.upcoming_sleep = 0.0
        self.failed = False
        self._outcome: Any = None
        self._backoff: Optional[_core.Backoff] = None
        self._next_delay: Optional[Callable[[int], int]] = None

    def exception(self) -> Optional[BaseException]:
        """The last attempt's exception, or ``None`` if it returned."""
        return self._outcome if self.failed else None

    def result(self) -> Any:
        """The last attempt's return value; raises its exception if it failed."""
        if self.failed:
            raise self._outcome
        return self._outcome

    @property
    def elapsed(self) -> float:
        """Seconds since the first failure (0 before it): the span ``max_elapsed`` limits."""
        backoff = self._backoff
        if backoff is None:
            return 0.0
        clock = self.retrying.clock
        if clock is None:
            return backoff.elapsed() / 1e9
        return backoff.elapsed_at(_convert.duration_ns(clock(), "clock")) / 1e9

    def __getitem__(self, key: str) -> Any:
        return _DETAILS[key](self)

    def __repr__(self) -> str:
        outcome = "exception" if self.failed else "result"
        return (
            f"<RetryCallState attempt_number={self.attempt_number} idle_for={self.idle_for:.6f}"
            f" {outcome}={self._outcome!r}>"
        )

    def _wait_after(self, outcome: Any, failed: bool) -> float:
        """Records a failed attempt (an exception, or a result the caller retries) and returns the
        seconds to wait before the next one. Raises the exception or RetryError when giving up."""
        retrying = self.retrying
        self._outcome = outcome
        self.failed = failed
        hint_ns = 0
        if failed:
            if not retrying._retryable(outcome):
                self._give_up(permanent=True)
            hint = retrying.retry_after(outcome) if retrying.retry_after else getattr(outcome, "retry_after", None)
            if hint is not None:
                hint_ns = _convert.duration_ns(hint, "retry_after")
        next_delay = self._next_delay or self._start()
        ns = next_delay(hint_ns)
        if ns == _core.STOP:
            self._give_up(permanent=False)
        wait = ns / 1e9
        self.upcoming_sleep = wait
        if retrying.before_sleep is not None:
            retrying.before_sleep(self)
        self.idle_for += wait
        return wait

    def _start(self) -> Callable[[int], int]:
        """Creates the core state at the first failure: elapsed time counts from here."""
        backoff = _core.Backoff(self.retrying._policy)
        clock = self.retrying.clock
        if clock is None:
            next_delay: Callable[[int], int] = backoff.next
        else:
            backoff.reset_at(_convert.duration_ns(clock(), "clock"))

            def next_delay(hint_ns: int) -> int:
                return backoff.next_at(_convert.duration_ns(clock(), "clock"), hint_ns)

        self._backoff = backoff
        self._next_delay = next_delay
        return next_delay

    def _succeeded(self, result: Any) -> None:
        """Records the successful last attempt and calls ``on_success``."""
        self._outcome = result
        self.failed = False
        retrying = self.retrying
        retrying.statistics._record(self)
        if retrying.on_success is not None:
            retrying.on_success(self)

    def _give_up(self, permanent: bool) -> NoReturn:
        """Calls ``on_giveup``, then re-raises the last exception or raises RetryError."""
        retrying = self.retrying
        retrying.statistics._record(self)
        if retrying.on_giveup is not None:
            retrying.on_giveup(self)
        outcome = self._outcome
        if self.failed and (permanent or retrying.reraise):
            raise outcome
        raise RetryError(self) from (outcome if self.failed else None)


_DETAILS: dict[str, Callable[[RetryCallState], Any]] = {
    "target": lambda state: state.fn,
    "args": lambda state: state.args,
    "kwargs": lambda state: state.kwargs,
    "tries": lambda state: state.attempt_number,
    "elapsed": lambda state: state.elapsed,
    "wait": lambda state: state.upcoming_sleep,
    "exception": lambda state: state.exception(),
    "value": lambda state: None if state.failed else state._outcome,
}


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
        if self.last_attempt.failed:
            raise self.last_attempt._outcome
        raise self

    def __str__(self) -> str:
        state = self.last_attempt
        what = "exception" if state.failed else "result"
        return f"gave up after {state.attempt_number} attempts; last {what}: {state._outcome!r}"


class Statistics(Mapping[str, Union[int, float]]):
    """The most recent finished call of a retrying object, in any thread: ``attempt_number`` and
    ``idle_for`` (seconds waited). Reads like tenacity's ``statistics`` dict; ``dict(stats)``
    takes a snapshot."""

    __slots__ = ("attempt_number", "idle_for")

    _KEYS = ("attempt_number", "idle_for")

    def __init__(self) -> None:
        self.attempt_number = 0
        self.idle_for = 0.0

    def _record(self, state: RetryCallState) -> None:
        self.attempt_number = state.attempt_number
        self.idle_for = state.idle_for

    def __getitem__(self, key: str) -> Union[int, float]:
        if key not in self._KEYS:
            raise KeyError(key)
        value: Union[int, float] = getattr(self, key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._KEYS)

    def __len__(self) -> int:
        return len(self._KEYS)

    def __repr__(self) -> str:
        return f"Statistics(attempt_number={self.attempt_number}, idle_for={self.idle_for!r})"
