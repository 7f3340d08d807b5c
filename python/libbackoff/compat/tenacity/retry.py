"""Retry strategies (``tenacity.retry``): predicates over the last outcome, combined with ``|`` and ``&``.

A predicate may be ``async def`` (tenacity.asyncio's variants): the strategy then returns an awaitable,
which :class:`AsyncRetrying` awaits, and the combinators carry on asynchronously from the first awaitable.
``_ignores_values`` marks strategies that never retry a returned value: a decorated call that returns
skips building any state for them (the fast path of ``wraps``).
"""

from __future__ import annotations

import inspect
import operator
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from ._strategy import Strategy

if TYPE_CHECKING:
    from ._state import RetryCallState

#: A verdict: a bool, or an awaitable of one when a predicate is ``async def``.
Verdict = bool | Awaitable[bool]


class retry_base(Strategy[Verdict]):
    """A retry strategy: ``strategy(retry_state)`` is True when the outcome must be retried."""

    _ignores_values = False

    # `a | b | c` is one retry_any of three (and `&` one retry_all), as in tenacity 9.2; either side may
    # be a plain callable.
    def __and__(self, other: RetryBaseT) -> retry_all:
        return retry_all(*_parts(self, retry_all), *_parts(other, retry_all))

    def __rand__(self, other: RetryBaseT) -> retry_all:
        return retry_all(*_parts(other, retry_all), *_parts(self, retry_all))

    def __or__(self, other: RetryBaseT) -> retry_any:
        return retry_any(*_parts(self, retry_any), *_parts(other, retry_any))

    def __ror__(self, other: RetryBaseT) -> retry_any:
        return retry_any(*_parts(other, retry_any), *_parts(self, retry_any))


RetryBaseT = retry_base | Callable[["RetryCallState"], Verdict]


def _parts(strategy: RetryBaseT, combinator: type[_retry_combined]) -> tuple[RetryBaseT, ...]:
    """The strategies ``strategy`` stands for in a ``combinator``: its own parts if it is one, else itself."""
    return strategy.retries if isinstance(strategy, combinator) else (strategy,)


def _then(verdict: Any, func: Callable[[Any], bool]) -> Verdict:
    """``func(verdict)``, or an awaitable of it when the verdict is still to be awaited."""
    if inspect.isawaitable(verdict):
        return _await_then(verdict, func)
    return func(verdict)


async def _await_then(pending: Awaitable[Any], func: Callable[[Any], bool]) -> bool:
    return func(await pending)


def _first(strategies: Sequence[RetryBaseT], retry_state: RetryCallState, wanted: bool) -> Verdict:
    """``wanted`` as soon as one strategy answers it (any: True, all: False), else ``not wanted``."""
    for index, strategy in enumerate(strategies):
        verdict = strategy(retry_state)
        if inspect.isawaitable(verdict):
            return _first_async(verdict, strategies[index + 1 :], retry_state, wanted)
        if bool(verdict) is wanted:
            return wanted
    return not wanted


async def _first_async(
    pending: Awaitable[Any], rest: Sequence[RetryBaseT], retry_state: RetryCallState, wanted: bool
) -> bool:
    if bool(await pending) is wanted:
        return wanted
    for strategy in rest:
        verdict = strategy(retry_state)
        if inspect.isawaitable(verdict):
            verdict = await verdict
        if bool(verdict) is wanted:
            return wanted
    return not wanted


class _retry_always(retry_base):
    """Retries every outcome."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        return True


class _retry_never(retry_base):
    """Retries nothing (a :class:`TryAgain` still retries)."""

    _ignores_values = True

    def __call__(self, retry_state: RetryCallState) -> bool:
        return False


retry_always = _retry_always()
retry_never = _retry_never()


def _outcome_of(retry_state: RetryCallState) -> Any:
    if retry_state.outcome is None:
        raise RuntimeError("__call__() called before outcome was set")
    return retry_state.outcome


class retry_if_exception(retry_base):
    """Retries an exception for which ``predicate(exception)`` is true; never a returned value."""

    _ignores_values = True

    def __init__(self, predicate: Callable[[BaseException], Verdict]) -> None:
        self.predicate = predicate

    def __call__(self, retry_state: RetryCallState) -> Verdict:
        outcome = _outcome_of(retry_state)
        if not outcome.failed:
            return False
        return self.predicate(outcome.exception())


ExceptionTypes = type[BaseException] | tuple[type[BaseException], ...]


class retry_if_exception_type(retry_if_exception):
    """Retries exceptions of the given types (``Exception`` by default)."""

    _retries_matches = True  # retry an exception that matches the types (True) or one that does not

    def __init__(self, exception_types: ExceptionTypes = Exception) -> None:
        self.exception_types = exception_types
        super().__init__(self._matches)  # a method, not a lambda: strategies pickle

    def _matches(self, exception: BaseException) -> bool:
        return isinstance(exception, self.exception_types) is self._retries_matches


class retry_if_not_exception_type(retry_if_exception_type):
    """Retries exceptions that are not of the given types."""

    _retries_matches = False


class _retry_values_and_exceptions(retry_if_exception):
    """Retries every returned value, and an exception for which ``predicate(exception)`` is true."""

    _ignores_values = False

    def __call__(self, retry_state: RetryCallState) -> Verdict:
        outcome = _outcome_of(retry_state)
        if not outcome.failed:
            return True
        return self.predicate(outcome.exception())


class retry_unless_exception_type(_retry_values_and_exceptions, retry_if_not_exception_type):
    """Retries everything, returned values included, until an exception of the given types is raised."""


class retry_if_exception_cause_type(retry_base):
    """Retries an exception whose chain of ``__cause__`` (from the cause down) holds one of the types."""

    _ignores_values = True

    def __init__(self, exception_types: ExceptionTypes = Exception) -> None:
        self.exception_cause_types = exception_types

    def __call__(self, retry_state: RetryCallState) -> bool:
        outcome = _outcome_of(retry_state)
        if not outcome.failed:
            return False
        cause, seen = outcome.exception().__cause__, set()
        while cause is not None and id(cause) not in seen:  # a chain may loop back on itself
            if isinstance(cause, self.exception_cause_types):
                return True
            seen.add(id(cause))
            cause = cause.__cause__
        return False


class retry_if_result(retry_base):
    """Retries a returned value for which ``predicate(value)`` is true; never an exception."""

    def __init__(self, predicate: Callable[[Any], Verdict]) -> None:
        self.predicate = predicate

    def __call__(self, retry_state: RetryCallState) -> Verdict:
        outcome = _outcome_of(retry_state)
        if outcome.failed:
            return False
        return self.predicate(outcome.result())


class retry_if_not_result(retry_if_result):
    """Retries a returned value for which ``predicate(value)`` is false; never an exception."""

    def __init__(self, predicate: Callable[[Any], Verdict]) -> None:
        super().__init__(lambda value: _then(predicate(value), operator.not_))


class retry_if_exception_message(retry_if_exception):
    """Retries an exception whose text equals ``message`` or matches the regular expression ``match``."""

    _retries_matches = True  # retry an exception whose text matches (True) or one whose text does not

    def __init__(self, message: str | None = None, match: str | re.Pattern[str] | None = None) -> None:
        if message is not None and match is not None:
            raise TypeError(f"{type(self).__name__}() takes either 'message' or 'match', not both")
        if message is None and match is None:
            raise TypeError(f"{type(self).__name__}() missing 1 required argument 'message' or 'match'")
        self.message = message
        self.match = None if match is None else re.compile(match)
        super().__init__(self._matches)  # a method, not a lambda: strategies pickle

    def _matches(self, exception: BaseException) -> bool:
        text = str(exception)
        found = text == self.message if self.match is None else bool(self.match.match(text))
        return found is self._retries_matches


class retry_if_not_exception_message(_retry_values_and_exceptions, retry_if_exception_message):
    """Retries returned values and exceptions whose text does not equal ``message`` / match ``match``."""

    _retries_matches = False


class _retry_combined(retry_base):
    """Several strategies, asked in order until one answers ``_decisive`` (any: True, all: False)."""

    _decisive: ClassVar[bool]

    def __init__(self, *retries: RetryBaseT) -> None:
        self.retries = retries
        # Never retrying a returned value: for any, when no part retries values; for all, when one part never does.
        fold = all if self._decisive else any
        self._ignores_values = fold(getattr(part, "_ignores_values", False) for part in retries)

    def __call__(self, retry_state: RetryCallState) -> Verdict:
        return _first(self.retries, retry_state, self._decisive)


class retry_any(_retry_combined):
    """Retries when any of the strategies says so."""

    _decisive = True


class retry_all(_retry_combined):
    """Retries when all the strategies say so."""

    _decisive = False
