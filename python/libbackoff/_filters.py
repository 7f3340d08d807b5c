"""What ``retry=``, ``permanent=`` and the breaker's ``is_failure=``/``exclude=`` accept, checked once at
decoration time.

A filter is an ``Exception`` subclass, a tuple of them, or a predicate called with the exception.
tenacity and backoff users bring their habits: ``retry=retry_if_exception_type(IOError)`` is a callable
too, but it expects tenacity's ``RetryCallState``, and ``retry=backoff.expo`` is a generator function.
Called with an exception, both return something truthy, so every failure would be retried, silently.
Objects built for another retry library are therefore refused here, with the form that works.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, cast

from ._convert import shown

#: Which exceptions: an ``Exception`` subclass, a tuple of them, or a predicate on the exception.
ExceptionFilter = type[Exception] | tuple[type[Exception], ...] | Callable[[Exception], bool]

# Top-level modules of retry libraries whose callables take something other than an exception.
_FOREIGN_LIBRARIES = frozenset({"tenacity", "backoff", "retrying", "stamina"})
# tenacity's name for the argument of its retry, stop and wait callables.
_TENACITY_ARGUMENT = "retry_state"
# The default filter's classes, one tuple for every object that takes the default.
_ANY: tuple[type[Exception]] = (Exception,)


def exception_filter(
    value: ExceptionFilter | None, param: str
) -> tuple[tuple[type[Exception], ...], Callable[[Exception], bool] | None]:
    """Splits an exception filter into (classes for isinstance, predicate); TypeError naming ``param``
    for anything else."""
    if value is None:
        return (), None
    # The default's tuple is shared: a per-key breaker would otherwise carry 48 bytes of its own.
    classes: tuple[object, ...] = value if isinstance(value, tuple) else _ANY if value is Exception else (value,)
    if all(isinstance(cls, type) and issubclass(cls, BaseException) for cls in classes):
        for cls in classes:
            if not issubclass(cast(type, cls), Exception):
                raise TypeError(
                    f"{param}: {cast(type, cls).__name__} is not an Exception subclass; KeyboardInterrupt,"
                    " SystemExit and task cancellation always propagate at once"
                )
        return cast("tuple[type[Exception], ...]", classes), None
    expected = "an Exception subclass, a tuple of them or a predicate on the exception"
    for item in classes:
        _refuse_foreign(item, param, expected)
    if isinstance(value, tuple) or isinstance(value, type) or not callable(value):
        raise TypeError(f"{param}: expected {expected} (got {shown(value)})")
    return (), predicate(value, param, "the exception")


def predicate(value: Any, param: str, argument: str) -> Any:
    """Checks that ``value`` is a plain function of one argument (``argument``), returning a truth value
    at once: not a generator or coroutine function (whose result is always truthy), not a callable of
    another retry library."""
    expected = f"a predicate called with {argument}"
    _refuse_foreign(value, param, expected)
    if not callable(value) or isinstance(value, type):
        raise TypeError(f"{param}: expected {expected} (got {shown(value)})")
    if inspect.isgeneratorfunction(value) or inspect.iscoroutinefunction(value):
        raise TypeError(
            f"{param}: {shown(value)} returns a generator or coroutine, which is always true;"
            f" expected {expected}, returning a bool"
        )
    try:
        signature = inspect.signature(value)
    except (TypeError, ValueError):  # a builtin without a signature: trust it
        return value
    parameters = list(signature.parameters.values())
    if parameters and parameters[0].name == _TENACITY_ARGUMENT:
        raise TypeError(f"{param}: {shown(value)} takes tenacity's {_TENACITY_ARGUMENT}; expected {expected}")
    try:
        signature.bind(object())
    except TypeError:
        raise TypeError(f"{param}: {shown(value)} cannot be called with one argument; expected {expected}") from None
    return value


def optional_callable(value: Any, param: str) -> Any:
    """``value`` if it is None or callable; TypeError naming ``param`` otherwise."""
    if value is not None and not callable(value):
        raise TypeError(f"{param}: expected a callable (got {shown(value)})")
    return value


def _refuse_foreign(value: object, param: str, expected: str) -> None:
    """TypeError when ``value`` (a function, a class or an instance of one) comes from another retry
    library: its own ``__module__`` names a function's or class's home, its type's an instance's."""
    for module in (getattr(value, "__module__", None), type(value).__module__):
        library = module.partition(".")[0] if isinstance(module, str) else ""
        if library in _FOREIGN_LIBRARIES:
            raise TypeError(
                f"{param}: {shown(value)} is made for the {library} library, not libbackoff; expected {expected}"
            )
