"""CircuitBreaker: the core's ``backoff::Breaker`` as a decorator and a context manager.

Every decision (admit or refuse, trip, probe, close, expire a lost permit) is the core's. This module
classifies a call's exception into the core's outcomes, converts seconds to nanoseconds and back, and
raises :class:`CircuitOpenError` when the core refuses a call. A call that succeeds through ``@breaker``
costs two calls into the core (acquire, record) and allocates nothing but the permit's tuple.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from types import TracebackType
from typing import Any, ParamSpec, TypeVar, cast, overload

from . import _convert, _core, _params, server_hints
from ._convert import Duration
from ._filters import ExceptionFilter
from ._filters import exception_filter as _exception_filter
from ._filters import optional_callable as _optional_callable
from .breaker_listeners import CHANGING, Listener, Listeners, listener_tuple, state_change
from .circuit_state import (
    OUTCOME_VALUES,
    STATE_VALUES,
    STATES,
    CircuitCounts,
    CircuitOpenError,
    CircuitState,
    Outcome,
    StateChange,
    seconds_remaining,
)
from .clock import MONOTONIC, Clock, ClockOption, clock_of
from .metrics import _registry
from .policy import Policy
from .stats import BreakerStats

P = ParamSpec("P")
R = TypeVar("R")

#: A state-change listener: called with the breaker and the change, on the thread that caused it.
StateListener = Listener["CircuitBreaker"]

_SUCCESS = OUTCOME_VALUES[Outcome.SUCCESS]
_FAILURE = OUTCOME_VALUES[Outcome.FAILURE]
_IGNORED = OUTCOME_VALUES[Outcome.IGNORED]

# How each keyword reaches the core (the type in the core's parameter table): durations as nanoseconds,
# integers as text so that the core's parser checks sign and range, choices by name.
_KINDS = _params.kinds_of("breaker_param")
_PARAMS = _core.BreakerParam.__members__  # built afresh by each read: read once

# The permits taken by `with breaker:` and not yet settled, innermost last, per thread and per task:
# (breaker, permit, start_ns). One variable for every breaker, so that nothing stays behind once a block ends.
_entered: ContextVar[tuple[tuple[CircuitBreaker, int, int], ...]] = ContextVar("libbackoff_breaker_permits", default=())


class _ByHand:
    """A manual change of state, as a method of :class:`CircuitBreaker`: ``breaker.open()``."""

    def __init__(self, state: CircuitState, doc: str) -> None:
        self._state = state
        self.__doc__ = doc

    @overload
    def __get__(self, breaker: None, owner: type | None = None) -> _ByHand: ...
    @overload
    def __get__(self, breaker: CircuitBreaker, owner: type | None = None) -> Callable[[], None]: ...
    def __get__(self, breaker: CircuitBreaker | None, owner: type | None = None) -> _ByHand | Callable[[], None]:
        return self if breaker is None else functools.partial(breaker._transition_to, STATE_VALUES[self._state])


class _Classifier:
    """How a breaker counts a call that raised: its ``is_failure``, ``exclude`` and ``retry_after``, checked.
    One object for every breaker made with the defaults (:func:`_classifier`), so that a per-key breaker
    carries one slot for them, not five."""

    __slots__ = ("failure_classes", "failure_predicate", "exclude_classes", "exclude_predicate", "retry_after")

    def __init__(
        self,
        is_failure: ExceptionFilter,
        exclude: ExceptionFilter | None,
        retry_after: Callable[[Exception], Duration | None] | None,
    ) -> None:
        self.failure_classes, self.failure_predicate = _exception_filter(is_failure, "is_failure")
        self.exclude_classes, self.exclude_predicate = _exception_filter(exclude, "exclude")
        self.retry_after = _optional_callable(retry_after, "retry_after")


_DEFAULT_CLASSIFIER = _Classifier(Exception, None, None)


def _classifier(
    is_failure: ExceptionFilter,
    exclude: ExceptionFilter | None,
    retry_after: Callable[[Exception], Duration | None] | None,
) -> _Classifier:
    if is_failure is Exception and exclude is None and retry_after is None:
        return _DEFAULT_CLASSIFIER
    return _Classifier(is_failure, exclude, retry_after)


def open_policy_of(options: Mapping[str, Any]) -> Policy | None:
    """The ``open_policy`` of a breaker's ``options``, or None; TypeError for another type, or beside an
    ``open_duration`` (both set the open period)."""
    open_policy = options.get("open_policy")
    if open_policy is None:
        return None
    if options.get("open_duration") is not None:
        raise TypeError("open_duration and open_policy both set the open period; give one of them")
    if not isinstance(open_policy, Policy):
        raise TypeError(f"open_policy: expected a Policy such as exponential() (got {open_policy!r})")
    return open_policy


class BreakerShape:
    """What a breaker's options make, checked once: the core configuration, the clock, whether calls are
    timed, the exception classifier and the listeners. :meth:`breaker` makes a breaker of this shape
    without checking anything again, so that a :class:`~libbackoff.CircuitBreakerPool` checks its options
    once and makes each key's breaker for the cost of the core's (docs/scale.md)."""

    __slots__ = ("config", "clock", "core_clock", "timed", "classifier", "listeners")

    def __init__(self, options: Mapping[str, Any]) -> None:
        """``options``: :class:`CircuitBreaker`'s keywords (a missing one has its default; ``name`` and
        anything else are not read). Raises ValueError or TypeError as :class:`CircuitBreaker`."""
        config = _core.BreakerConfig()
        # The core's parameters given among the options, by the names in its table (None: not given).
        values = {name: value for name, value in options.items() if value is not None and name in _KINDS}
        _params.set_params(config, _PARAMS, _KINDS, values)
        open_policy = open_policy_of(options)
        if open_policy is not None:
            config.set_open_policy(open_policy._policy)
        self.config = config
        self.classifier = _classifier(
            options.get("is_failure", Exception), options.get("exclude"), options.get("retry_after")
        )
        self.listeners = listener_tuple(options.get("on_state_change"))
        self.clock = clock = clock_of(options.get("clock"))
        # On the monotonic clock the core reads it in C++ (no Python call per step); another clock is
        # read by the core type at each step that needs the time.
        self.core_clock = None if clock is MONOTONIC else clock.now_ns
        # Calls are timed only under a slow-call rule: without one a duration would change nothing.
        self.timed = config.get_i64(_core.BreakerParam.slow_call_duration) > 0

    def breaker(self, cls: type[CircuitBreaker], name: str | None) -> CircuitBreaker:
        """A new breaker of ``cls`` (CircuitBreaker or a subclass), closed, of this shape, named ``name``
        (a str or None: TypeError otherwise), exported while it lives if named."""
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name: expected a str (got {name!r})")
        breaker = self.untracked_breaker(cls, name)
        if name is not None:
            _registry.track_breaker(breaker)
        return breaker

    def untracked_breaker(self, cls: type[CircuitBreaker], name: str | None) -> CircuitBreaker:
        """As :meth:`breaker`, unchecked and not tracked: a pool's, named by its key (a str the pool
        checked), which the exporters read from the pool itself."""
        breaker = _core.Breaker.__new__(cls, self.config, self.core_clock)
        breaker.name = name
        breaker._clock = self.clock
        breaker._timed = self.timed
        breaker._classifier = self.classifier
        if self.listeners:
            breaker._set_listener(Listeners(breaker, self.listeners))
        return breaker


class CircuitBreaker(_core.Breaker):
    """A thread-safe circuit breaker: ``@breaker`` on a function or an ``async def``, ``with breaker:``
    or ``async with breaker:`` around a block, or :meth:`acquire` and :meth:`record` by hand.

    A refused call raises :class:`CircuitOpenError` (with ``remaining`` seconds) instead of running.
    Parameters keep the core's names; all are keyword-only and optional (defaults in brackets):

    * ``trip``: ``"consecutive"`` [default]: ``failure_threshold`` [5] failures in a row;
      ``"count"``: ``failure_threshold`` failures within the window; ``"ratio"``: failures / calls >=
      ``failure_ratio`` [0.5] within the window once it holds ``min_calls`` [10] calls.
    * ``window``: ``"time"`` [default]: the calls of the last ``window_duration`` [60 s]; ``"count"``:
      the last ``window_size`` [100] calls. It slides by ``1 / window_buckets`` [10] of its length.
    * ``slow_call_duration`` [0 = off]: a call at least this long is slow; slow / calls >=
      ``slow_call_ratio`` [1.0] trips too. Calls through the breaker are timed only when it is set.
    * ``open_duration`` [30 s], or ``open_policy``: a :class:`Policy` whose delays set the open period of
      each trip in a row (exponential with jitter, say); a failure's ``retry_after`` hint extends it, up
      to ``max_hint_open`` [1 h; 0 = hints never extend it], so one response cannot keep it open for years.
    * ``half_open_probes`` [1]: probe calls admitted at a time while half-open;
      ``half_open_successes`` [1]: successful probes that close the breaker; ``half_open_max_duration``
      [0 = no limit]: half-open longer than this re-opens; ``permit_lease`` [60 s]: a probe's permit that
      is never settled expires after this long, so a lost permit cannot leave the breaker stuck.

    Which exceptions count: ``is_failure`` (an ``Exception`` subclass, a tuple of them or a predicate;
    default every ``Exception``) says which are failures; other exceptions count as successes (the
    service answered). ``exclude`` (same forms) names exceptions that count as neither: they settle the
    permit and change nothing, as do ``KeyboardInterrupt``, ``SystemExit`` and task cancellation.
    ``retry_after`` reads a server's hint from a failure (default: its ``retry_after`` attribute).

    Other options: ``on_state_change``, a listener or several, called as ``listener(breaker, change)``
    on the thread that caused the change (see :meth:`add_listener`); ``clock``, a :class:`Clock` or a
    float-seconds function replacing the monotonic clock, for tests; ``name``, shown in errors and the
    label of the breaker's numbers in :meth:`stats` and :mod:`libbackoff.metrics`, which exports a named
    breaker while it lives.

    Raises:
        ValueError: a value the core rejects; TypeError: a value of the wrong type. The message names
            the parameter.
    """

    # One object with the core breaker (whose methods, _acquire and _record, are the hot path's calls):
    # what a breaker costs beyond the core's is these slots (docs/scale.md). Made in __new__, which the
    # core type's constructor needs, by BreakerShape.breaker.
    __slots__ = (
        "name",
        "_clock",
        "_timed",
        "_classifier",
        "__weakref__",
    )

    name: str | None
    _clock: Clock
    _timed: bool
    _classifier: _Classifier

    def __new__(
        cls,
        *,
        trip: str | None = None,
        failure_threshold: int | None = None,
        failure_ratio: float | None = None,
        window: str | None = None,
        window_size: int | None = None,
        window_duration: Duration | None = None,
        window_buckets: int | None = None,
        min_calls: int | None = None,
        slow_call_duration: Duration | None = None,
        slow_call_ratio: float | None = None,
        open_duration: Duration | None = None,
        open_policy: Policy | None = None,
        half_open_probes: int | None = None,
        half_open_successes: int | None = None,
        half_open_max_duration: Duration | None = None,
        permit_lease: Duration | None = None,
        max_hint_open: Duration | None = None,
        is_failure: ExceptionFilter = Exception,
        exclude: ExceptionFilter | None = None,
        retry_after: Callable[[Exception], Duration | None] | None = None,
        on_state_change: StateListener | Iterable[StateListener] | None = None,
        clock: ClockOption | None = None,
        name: str | None = None,
    ) -> CircuitBreaker:
        # Every keyword but cls and name is one of the shape's options.
        return BreakerShape(locals()).breaker(cls, name)

    @property
    def _breaker(self) -> _core.Breaker:
        """The core breaker a :class:`Retrying` attaches (retrying.py): this object itself."""
        return self

    # The decorator. Each wrapper is written out flat: a helper call per call would cost more than the
    # core's two calls together (bench/python/bench_breaker.py).

    def __call__(self, fn: Callable[P, R], /) -> Callable[P, R]:
        """Wraps a function or an ``async def``: each call goes through this breaker."""
        if not callable(fn):
            raise TypeError(f"CircuitBreaker decorates a callable (got {fn!r})")
        acquire, record, refused, settle = self._acquire, self._record, self._refused, self._settle
        now_ns, timed = self._clock.now_ns, self._timed

        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def guarded_async(*args: Any, **kwargs: Any) -> Any:
                permit, wait_ns = acquire()
                if not permit:
                    raise refused(wait_ns)
                start = now_ns() if timed else 0
                try:
                    result = await fn(*args, **kwargs)
                except BaseException as exc:
                    settle(permit, exc, now_ns() - start if timed else 0)
                    raise
                record(permit, _SUCCESS, now_ns() - start if timed else 0, 0)
                return result

            return guarded_async  # type: ignore[return-value]

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            permit, wait_ns = acquire()
            if not permit:
                raise refused(wait_ns)
            start = now_ns() if timed else 0
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:
                settle(permit, exc, now_ns() - start if timed else 0)
                raise
            record(permit, _SUCCESS, now_ns() - start if timed else 0, 0)
            return result

        return guarded

    # The context manager, for sync and async blocks alike: the core never makes a caller wait.

    def __enter__(self) -> CircuitBreaker:
        permit, wait_ns = self._acquire()
        if not permit:
            raise self._refused(wait_ns)
        _entered.set((*_entered.get(), (self, permit, self._clock.now_ns() if self._timed else 0)))
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        entered = _entered.get()
        for index in range(len(entered) - 1, -1, -1):
            if entered[index][0] is self:
                break
        else:
            raise RuntimeError("CircuitBreaker.__exit__ without a matching __enter__ in this thread or task")
        _, permit, start = entered[index]
        _entered.set(entered[:index] + entered[index + 1 :])
        duration_ns = self._clock.now_ns() - start if self._timed else 0
        if exc is None:
            self._record(permit, _SUCCESS, duration_ns, 0)
        else:
            self._settle(permit, exc, duration_ns)

    async def __aenter__(self) -> CircuitBreaker:
        return self.__enter__()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.__exit__(exc_type, exc, traceback)

    # Permits by hand, for code that neither decorates nor uses a block.

    def acquire(self) -> int:
        """Asks to make a call: returns a permit (an opaque int) to settle once with :meth:`record` or
        :meth:`release`, or raises :class:`CircuitOpenError`."""
        permit, wait_ns = self._acquire()
        if not permit:
            raise self._refused(wait_ns)
        return permit

    def record(
        self,
        permit: int,
        outcome: Outcome | str,
        *,
        duration: Duration | None = None,
        retry_after: Duration | None = None,
    ) -> None:
        """Settles a permit with the call's outcome (``"success"``, ``"failure"`` or ``"ignored"``), how
        long the call took (for the slow-call rule) and a server's hint that keeps the breaker open at
        least that long if this failure trips it. A result that comes after the breaker changed state
        is counted as stale and changes nothing."""
        outcome_value = OUTCOME_VALUES[_convert.member(outcome, Outcome, "outcome", "outcome")]
        self._record(
            _convert.uint64(permit, "permit"),
            outcome_value,
            0 if duration is None else _convert.duration_ns(duration, "duration"),
            0 if retry_after is None else server_hints.hint_ns(retry_after),
        )

    def release(self, permit: int) -> None:
        """Gives back a permit whose call was not made; a probe's slot is free again at once."""
        self._release(_convert.uint64(permit, "permit"))

    # State, counts and manual changes.

    @property
    def state(self) -> CircuitState:
        """The stored state. Changes are lazy: an open breaker whose period has passed reads ``OPEN``
        until a call observes it and turns it half-open."""
        return STATES[self._state()]

    def stats(self) -> BreakerStats:
        """State, lifetime counts and transitions by ``(from, to)``, read at once from the core."""
        return BreakerStats._of(self.name, _core.breaker_snapshot(self, self._clock.now_ns()))

    def counts(self) -> CircuitCounts:
        """A snapshot of the counts (time windows end now)."""
        return CircuitCounts(*self._counts())

    # Changes by hand.
    close = _ByHand(CircuitState.CLOSED, "Closes the breaker by hand: the window and the run of trips start afresh.")
    reset = _ByHand(CircuitState.CLOSED, "The same as :meth:`close` (pybreaker's and resilience4j's name).")
    open = _ByHand(CircuitState.OPEN, "Opens the breaker by hand, for the usual open period.")
    half_open = _ByHand(CircuitState.HALF_OPEN, "Starts probing by hand.")
    isolate = _ByHand(
        CircuitState.ISOLATED, "Forces the breaker open until the next manual change: every call is refused."
    )
    disable = _ByHand(CircuitState.DISABLED, "Lets every call through and never trips, until the next manual change.")

    # State changes: pushed to listeners, or pulled.

    def add_listener(self, listener: StateListener) -> None:
        """Calls ``listener(breaker, change)`` at every state change from now on. It runs on the
        thread whose call caused the change, after the core released its locks, one change at a time
        and in order; it may call back into the breaker. An exception it raises is reported through
        ``sys.unraisablehook`` and counted in ``listener_errors``; it never fails the call."""
        _optional_callable(listener, "listener")
        with CHANGING:
            listeners = self._listeners()
            if listeners is None:  # the first: the core makes its event queues only now
                listeners = Listeners(self, ())
                self._set_listener(listeners)
            listeners.listeners = (*listeners.listeners, listener)

    def remove_listener(self, listener: StateListener) -> None:
        """Stops calling ``listener``; ValueError if it was not added."""
        with CHANGING:
            listeners = list(self.listeners)
            listeners.remove(listener)
            self._listeners().listeners = tuple(listeners)  # type: ignore[union-attr]  # not None: it held one

    @property
    def listeners(self) -> tuple[StateListener, ...]:
        """The listeners, in the order they are called."""
        listeners = self._listeners()
        return () if listeners is None else listeners.listeners

    def _listeners(self) -> Listeners[CircuitBreaker] | None:
        """The :class:`Listeners` the core calls, made with the first listener; None before."""
        return cast("Listeners[CircuitBreaker] | None", self._listener)

    def events(self) -> list[StateChange]:
        """Takes the state changes not yet taken, oldest first: the pull-style alternative to
        listeners. The breaker keeps the last 64; older ones are dropped and counted."""
        changes = []
        while (event := self._poll_event()) is not None:
            changes.append(state_change(*event))
        return changes

    # Helpers of the paths above.

    def _refused(self, wait_ns: int) -> CircuitOpenError:
        return CircuitOpenError(seconds_remaining(wait_ns), STATES[self._state()], self.name)

    def _settle(self, permit: int, exc: BaseException, duration_ns: int) -> None:
        """Records the outcome of a call that raised ``exc``. The permit is settled even if classifying
        the exception fails (a predicate that raises, a bad hint): as ignored, and that error propagates.
        The filters are tested inline: a helper call per filter would double the cost of a failure."""
        outcome, hint_ns, classifier = _IGNORED, 0, self._classifier
        try:
            if isinstance(exc, Exception) and not (
                isinstance(exc, classifier.exclude_classes)
                or (classifier.exclude_predicate is not None and classifier.exclude_predicate(exc))
            ):
                predicate = classifier.failure_predicate
                if isinstance(exc, classifier.failure_classes) if predicate is None else predicate(exc):
                    read_hint = classifier.retry_after
                    hint = getattr(exc, "retry_after", None) if read_hint is None else read_hint(exc)
                    hint_ns = 0 if hint is None else server_hints.hint_ns(hint)
                    outcome = _FAILURE
                else:
                    outcome = _SUCCESS
        finally:
            self._record(permit, outcome, duration_ns, hint_ns)

    def __repr__(self) -> str:
        name = "" if self.name is None else f"name={self.name!r}, "
        return f"CircuitBreaker({name}state={self.state.value!r})"
