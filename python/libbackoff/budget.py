"""RetryBudget: a retry budget shared by many callers, over the core's ``backoff::Budget``.

Per-call retry limits still multiply a failing service's load by the attempt count; a budget shared by
every caller keeps the extra load to a fraction. The token arithmetic (integer milli-tokens,
saturating, never overdrawn) and every grant or refusal are the core's; this module names things the
Python way, converts units and raises :class:`RetryBudgetExhausted` when the core refuses a retry.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, TypedDict, cast

from . import _convert, _core, _params
from ._convert import Duration
from ._pools import KeyedPoolView
from .clock import MONOTONIC, Clock, ClockOption, clock_of
from .error_class import ErrorClass, error_class_of
from .metrics import _registry
from .stats import BudgetStats

if TYPE_CHECKING:
    from typing_extensions import Unpack


class Calibration(str, enum.Enum):
    """Which upstream rules a budget follows."""

    AWS = "aws"  #: the AWS SDKs' standard retry quota
    GRPC = "grpc"  #: gRFC A6 retry throttling
    FINAGLE = "finagle"  #: Finagle's RetryBudget


_CALIBRATIONS = {int(value): Calibration(name) for name, value in _core.Calibration.__members__.items()}


# How each keyword reaches the core (the type in the core's parameter table): durations as nanoseconds,
# integers as text so that the core's parser checks sign and range, choices by name.
_KINDS = _params.kinds_of("budget_param")


class AwsParameters(TypedDict, total=False):
    """The parameters of :meth:`RetryBudget.aws`."""

    capacity: float
    retry_cost: float
    timeout_cost: float
    throttling_cost: float
    no_retry_increment: float


class GrpcParameters(TypedDict, total=False):
    """The parameters of :meth:`RetryBudget.grpc`."""

    max_tokens: float
    token_ratio: float


class FinagleParameters(TypedDict, total=False):
    """The parameters of :meth:`RetryBudget.finagle`."""

    percent_can_retry: float
    min_retries_per_second: int
    ttl: Duration


class BudgetParameters(AwsParameters, GrpcParameters, FinagleParameters, total=False):
    """The parameters of :class:`RetryBudget`: any calibration's (the core refuses another's)."""


class RetryBudgetExhausted(Exception):
    """Raised when a retry budget refuses a retry. It is the client's own limit, never the operation's
    error: the operation's last exception is its ``__cause__`` when a retry loop raises it.

    Attributes:
        calibration: the budget's :class:`Calibration`.
        error_class: the :class:`ErrorClass` of the refused retry.
        balance: the tokens left when it was refused.
    """

    def __init__(self, calibration: Calibration, error_class: ErrorClass, balance: float) -> None:
        super().__init__(calibration, error_class, balance)
        self.calibration = calibration
        self.error_class = error_class
        self.balance = balance

    def __str__(self) -> str:
        return (
            f"retry budget exhausted: the client's {self.calibration.value} retry budget refused a retry"
            f" ({self.error_class.value} error class, {self.balance:g} tokens left); this is a client-side"
            " limit, not the operation's own error"
        )


class _Setting:
    """What a budget's Python side adds to the core's: the clock it reads and its name. One object for
    every unnamed budget on the monotonic clock and one per pool, so that a budget carries one slot for
    both."""

    __slots__ = ("clock", "name", "now_ns")

    def __init__(self, clock: Clock, name: str | None) -> None:
        self.clock, self.name = clock, name
        # What the core type's calls take as the time: None on the monotonic clock, which the core then
        # reads itself, and only when its calibration needs the time (no Python call per step).
        self.now_ns: Callable[[], int] | None = None if clock is MONOTONIC else clock.now_ns

    def now(self) -> int | None:
        """The time for the core: int nanoseconds on an injected clock, None on the monotonic one."""
        now_ns = self.now_ns
        return None if now_ns is None else now_ns()


_UNNAMED = _Setting(MONOTONIC, None)


def _setting(clock: Clock, name: str | None) -> _Setting:
    return _UNNAMED if clock is MONOTONIC and name is None else _Setting(clock, name)


class RetryBudget(_core.Budget):
    """A token bucket that many callers share, so that retries cannot multiply an outage's load.

    Build one with a calibration's constructor, keeping that calibration's own names and defaults:
    :meth:`aws` (capacity 500, a retry costs 5 or 10 after a timeout, a successful retry is refunded and
    every first-attempt success adds 1), :meth:`grpc` (10 tokens, each failure takes 1, each success adds
    0.1, no retries at or below half) or :meth:`finagle` (each request deposits 0.2, each retry takes 1,
    deposits expire after 10 s, 10 retries per second always allowed). ``RetryBudget(calibration,
    **parameters)`` takes any of them; a parameter of another calibration is a ValueError.

    One logical request drives it as follows::

        budget.record_request()                  # once, at the first attempt
        ticket = 0                               # 0: the attempt running is the first
        while True:
            try:
                result = call()
            except TransientError:
                budget.record_failure()
                ticket = budget.withdraw()       # raises RetryBudgetExhausted when refused
                time.sleep(delay)                # the ticket's tokens are held meanwhile
                continue
            budget.record_success(ticket)
            break

    Thread-safe and lock-free. ``clock`` (a :class:`Clock` or a float-seconds function) replaces the
    monotonic clock, which only the Finagle calibration reads. ``name`` labels the budget's numbers in
    :meth:`stats` and :mod:`libbackoff.metrics`, which exports a named budget while it lives.
    """

    # One object, one allocation, with the core budget: what a budget costs beyond the core's is the
    # object's headers and these slots (docs/scale.md). Made in __new__, which the core type's
    # constructor needs.
    __slots__ = ("_setting", "__weakref__")

    _setting: _Setting

    def __new__(
        cls,
        calibration: Calibration | str = Calibration.AWS,
        *,
        clock: ClockOption | None = None,
        name: str | None = None,
        **parameters: Unpack[BudgetParameters],
    ) -> RetryBudget:
        _params.refuse_unknown(parameters, BudgetParameters.__optional_keys__, "RetryBudget")
        config = _core.BudgetConfig()
        _params.set_params(config, _core.BudgetParam.__members__, _KINDS, {"calibration": calibration, **parameters})
        setting = _setting(clock_of(clock), _registry.check_name(name))
        budget = _core.Budget.__new__(cls, config)
        budget._setting = setting
        if name is not None:
            _registry.track_budget(budget)
        return budget

    @classmethod
    def aws(cls, *, name: str | None = None, **parameters: Unpack[AwsParameters]) -> RetryBudget:
        """The AWS SDKs' standard retry quota: a bucket of ``capacity`` [500] tokens; a retry takes
        ``retry_cost`` [5], ``timeout_cost`` [10] after a timeout, ``throttling_cost`` [5] after
        throttling; a successful retry gets its cost back and a first attempt's success adds
        ``no_retry_increment`` [1]."""
        _params.refuse_unknown(parameters, AwsParameters.__optional_keys__, "aws")
        return cls(Calibration.AWS, name=name, **parameters)

    @classmethod
    def grpc(cls, *, name: str | None = None, **parameters: Unpack[GrpcParameters]) -> RetryBudget:
        """gRPC retry throttling (gRFC A6): ``max_tokens`` [10]; each retryable failure takes 1, each
        success adds ``token_ratio`` [0.1], and no retry passes while the count is at or below half."""
        _params.refuse_unknown(parameters, GrpcParameters.__optional_keys__, "grpc")
        return cls(Calibration.GRPC, name=name, **parameters)

    @classmethod
    def finagle(
        cls, *, clock: ClockOption | None = None, name: str | None = None, **parameters: Unpack[FinagleParameters]
    ) -> RetryBudget:
        """Finagle's RetryBudget: each request deposits ``percent_can_retry`` [0.2] tokens and each
        retry takes 1; deposits expire after ``ttl`` [10 s]; a reserve always allows
        ``min_retries_per_second`` [10] retries per second."""
        _params.refuse_unknown(parameters, FinagleParameters.__optional_keys__, "finagle")
        return cls(Calibration.FINAGLE, clock=clock, name=name, **parameters)

    @property
    def name(self) -> str | None:
        """The name given at construction, or None."""
        return self._setting.name

    @property
    def _budget(self) -> _core.Budget:
        """The core budget a :class:`Retrying` attaches (retrying.py): this object itself."""
        return self

    def record_request(self) -> None:
        """Notes that a logical request starts: once per request, never per attempt (Finagle deposits
        here)."""
        self._record_request_at(self._setting.now())

    def record_failure(self) -> None:
        """Notes a retryable failure (gRPC takes a token here)."""
        self._record_failure()

    def withdraw(self, error_class: ErrorClass | str = ErrorClass.ORDINARY) -> int:
        """Asks to retry: takes the retry's cost now and returns a ticket (an opaque int) for
        :meth:`record_success` or :meth:`refund`. Raises :class:`RetryBudgetExhausted` when the budget
        refuses; it never waits for tokens."""
        kind, core_class = error_class_of(error_class, "error_class")
        ticket = self._withdraw_at(self._setting.now(), core_class)
        if ticket == 0:
            raise self._exhausted(kind)
        return ticket

    def record_success(self, ticket: int = 0) -> None:
        """Notes a successful attempt: ``ticket`` is the ticket of the retry that succeeded, or 0 for a
        first attempt. AWS refunds the ticket's cost (or adds ``no_retry_increment`` for a first
        attempt); gRPC adds ``token_ratio``. ValueError for a ticket this budget did not issue."""
        ticket = _convert.uint64(ticket, "ticket")
        self._record_success_at(self._setting.now(), ticket)

    def refund(self, ticket: int) -> None:
        """Gives a ticket's tokens back, for a retry abandoned before it ran (cancelled while waiting)."""
        ticket = _convert.uint64(ticket, "ticket")
        self._refund_at(self._setting.now(), ticket)

    @property
    def balance(self) -> float:
        """The tokens in the bucket now (Finagle's may be negative for up to a ttl: withdrawals drawn on
        the reserve outlive the deposits before them)."""
        return self._balance_milli_at(self._setting.now()) / 1000

    @property
    def granted(self) -> int:
        """Withdrawals that passed."""
        return self._granted()

    @property
    def refused(self) -> int:
        """Withdrawals refused."""
        return self._refused()

    def stats(self) -> BudgetStats:
        """The balance and the withdrawals granted and refused, read at once from the core."""
        return BudgetStats._of(self._setting.name, _core.budget_snapshot(self, self._setting.now()))

    @property
    def calibration(self) -> Calibration:
        """The rules this budget follows."""
        return _CALIBRATIONS[self._calibration()]

    def _exhausted(self, error_class: ErrorClass = ErrorClass.ORDINARY) -> RetryBudgetExhausted:
        return RetryBudgetExhausted(self.calibration, error_class, self.balance)

    def __repr__(self) -> str:
        return f"RetryBudget({self.calibration.value!r}, balance={self.balance:g})"


def _pool_budget(config: _core.BudgetConfig, setting: _Setting, key: str) -> RetryBudget:
    """A new budget for a pool's ``key``, configured like the pool's template."""
    budget = _core.Budget.__new__(RetryBudget, config)
    budget._setting = setting
    return budget


class RetryBudgetPool(KeyedPoolView[RetryBudget]):
    """One :class:`RetryBudget` per key (a host, a partition, a tenant), so that a failing backend
    cannot spend a healthy one's retries; every key's budget is configured like ``template`` and reads its
    clock. ::

        budgets = RetryBudgetPool(RetryBudget.grpc(), max_keys=10_000)
        budgets.get("db-7").withdraw()

    Memory is bounded: the pool holds at most ``max_keys`` budgets and makes room for a new key by
    dropping the one used least recently, which starts afresh, full, if it comes back; a budget already
    handed out stays valid. Thread-safe. ``get`` on a key the pool holds is one call into the core, a
    lock-free look-up (no Python lock), and returns the same budget object every time.

    Raises:
        TypeError: for a ``template`` that is not a :class:`RetryBudget`.
        ValueError, TypeError: for ``max_keys`` outside [1, 2**20], naming the parameter.
    """

    __slots__ = ("get", "_pool")

    #: The budget for ``key``, made full on first use. The core's look-up itself: no Python frame per call.
    get: Callable[[str], RetryBudget]  # type: ignore[assignment]

    def __init__(self, template: RetryBudget, *, max_keys: int) -> None:
        if not isinstance(template, RetryBudget):
            raise TypeError(f"template: expected a RetryBudget (got {template!r})")
        # A partial of module-level code, not a bound method: the core object does not take part in
        # garbage collection, so it must hold no reference back to this pool.
        setting = _setting(template._setting.clock, None)
        make = functools.partial(_pool_budget, template._config(), setting)
        self._pool = _core.KeyedObjects(_convert.int64(max_keys, "max_keys"), make)
        self.get = cast(Callable[[str], RetryBudget], self._pool.get)
