"""Type adaptation between Python values and the core's types.

Python speaks float seconds, ``datetime.timedelta`` and ``"250ms"``-style strings; the core speaks int64
nanoseconds. These helpers only check *types* and name the parameter when the type is wrong. Every
*value* check (NaN, negative, too large, unknown names) happens in the core, whose message passes
through unchanged.
"""

from __future__ import annotations

from datetime import timedelta

from . import _core

#: A duration: float or int seconds, a ``datetime.timedelta``, or text with a unit (``"250ms"``).
Duration = float | int | timedelta | str

_UINT64_MAX = 2**64 - 1


def duration_ns(value: Duration, param: str) -> int:
    """Converts a duration to nanoseconds; the core rejects NaN, negative and too large values."""
    if type(value) is float:  # the common case first: one type check, then the core
        return _core.ns_from_seconds(value, param)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _core.ns_from_seconds(float(value), param)
    if isinstance(value, timedelta):
        return _core.ns_from_seconds(value.total_seconds(), param)
    if isinstance(value, str):
        return _core.parse_duration(value, param)
    raise TypeError(
        f"{param}: expected seconds (float or int), a datetime.timedelta or text such as '250ms' (got {value!r})"
    )


def real(value: float, param: str) -> float:
    """Checks that a real parameter is a number (not a bool); the core checks its range."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"{param}: expected a number (got {value!r})")


def integer_text(value: int, param: str) -> str:
    """Renders an integer parameter as text for the core's parser, which checks sign and range."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"{param}: expected an int (got {value!r})")


def uint64(value: int, param: str) -> int:
    """Checks an attempt number or key against the core's uint64 argument type."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{param}: expected an int (got {value!r})")
    if not 0 <= value <= _UINT64_MAX:
        raise ValueError(f"{param}: must be in [0, 2**64 - 1] (got {value})")
    return value


def seconds(ns: int) -> float:
    """Nanoseconds from the core as float seconds."""
    return ns / 1e9
