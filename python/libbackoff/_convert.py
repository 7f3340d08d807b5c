"""Type adaptation between Python values and the core's types.

Python speaks float seconds, ``datetime.timedelta`` and ``"250ms"``-style strings; the core speaks int64
nanoseconds. These helpers only check *types* and name the parameter when the type is wrong. Every
*value* check (NaN, negative, too large, unknown names) happens in the core, whose message passes
through unchanged; a value is quoted the core's way, a short prefix of a long one (:func:`shown`).
"""

from __future__ import annotations

import enum
import math
from datetime import timedelta
from typing import TypeVar

from . import _core

#: A duration: float or int seconds, a ``datetime.timedelta``, or text with a unit (``"250ms"``).
Duration = float | int | timedelta | str

_UINT64_MAX = 2**64 - 1

E = TypeVar("E", bound=enum.Enum)


def shown(value: object) -> str:
    """``repr(value)`` as an error message quotes it: clipped by the core's rule, so a megabyte of bad
    input does not become a megabyte of message."""
    text = decimal(value) if type(value) is int else repr(value)
    return _core.clip_value(text)


def decimal(value: int) -> str:
    """An int as decimal text. Python refuses to write more than ``sys.get_int_max_str_digits()``
    digits; such an int is out of every range, and its size says so."""
    try:
        return str(value)
    except ValueError:
        return f"{'-' if value < 0 else ''}<int of {value.bit_length()} bits>"


def duration_ns(value: Duration, param: str) -> int:
    """Converts a duration to nanoseconds; the core rejects NaN, negative and too large values."""
    if type(value) is float:  # the common case first: one type check, then the core
        return _core.ns_from_seconds(value, param)
    if isinstance(value, int) and not isinstance(value, bool):
        # As text, so that an int of any size reaches the core and is rejected by name: float() fails past
        # 1e308 with a nameless OverflowError.
        return _core.parse_duration(decimal(value) + "s", param)
    if isinstance(value, float):
        return _core.ns_from_seconds(float(value), param)
    if isinstance(value, timedelta):
        return _core.ns_from_seconds(value.total_seconds(), param)
    if isinstance(value, str):
        return _core.parse_duration(value, param)
    raise TypeError(
        f"{param}: expected seconds (float or int), a datetime.timedelta or text such as '250ms' (got {shown(value)})"
    )


def real(value: float, param: str) -> float:
    """Checks that a real parameter is a number (not a bool); the core checks its range."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:  # an int past the largest double: the core rejects it as infinite
            return math.inf if value > 0 else -math.inf
    raise TypeError(f"{param}: expected a number (got {shown(value)})")


def integer_text(value: int, param: str) -> str:
    """Renders an integer parameter as text for the core's parser, which checks sign and range."""
    if isinstance(value, int) and not isinstance(value, bool):
        return decimal(value)
    raise TypeError(f"{param}: expected an int (got {shown(value)})")


def int64(value: int, param: str) -> int:
    """Checks a count argument against the core's int64 argument type; the core checks its range."""
    if type(value) is int and -(2**63) <= value < 2**63:  # fits the C type: the common case
        return value
    # Anything else goes through the core's int64 parser, which names the parameter and the value.
    return _core.parse_int64(integer_text(value, param), param)


def uint64(value: int, param: str) -> int:
    """Checks an attempt number, key or ticket against the core's uint64 argument type."""
    if type(value) is int and 0 <= value <= _UINT64_MAX:  # fits the C type: the common case
        return value
    # Anything else goes through the core's uint64 parser, which rejects a negative or too large value
    # with the words the C API uses.
    return _core.parse_uint64(integer_text(value, param), param)


def member(value: E | str, enum_type: type[E], family: str, param: str) -> E:
    """The member of a str enum named by ``value`` (or ``value`` itself): TypeError for another type;
    for an unknown name, the core's ValueError, which lists the names of the core's ``family``."""
    if isinstance(value, enum_type):
        return value
    if isinstance(value, str):
        _core.value_of(family, value, param)  # the core checks the name, in the words the C API uses
        return enum_type(value)
    names = ", ".join(repr(item.value) for item in enum_type)
    raise TypeError(f"{param}: expected one of {names} (got {shown(value)})")


def seconds(ns: int) -> float:
    """Nanoseconds from the core as float seconds."""
    return ns / 1e9
