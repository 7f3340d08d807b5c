"""Small helpers tenacity users and tenacity's own logging helpers import from ``tenacity._utils``."""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from ..._logging import callable_name
from .._engine import seconds

#: tenacity's "no maximum" wait; the engine saturates far below it (docs/compat.md).
MAX_WAIT = sys.maxsize / 2

time_unit_type = int | float | timedelta

if sys.version_info >= (3, 12):
    from typing import override
else:
    _Method = TypeVar("_Method", bound=Callable[..., Any])

    def override(method: _Method) -> _Method:
        """``typing.override`` before Python 3.12 (tenacity's tests decorate with it): marks ``method`` with
        PEP 698's ``__override__`` where the object allows it."""
        try:
            method.__override__ = True  # type: ignore[attr-defined]
        except (AttributeError, TypeError):  # not every callable takes attributes
            pass
        return method


def to_seconds(time_unit: time_unit_type) -> float:
    """A duration argument (float seconds or a timedelta) as float seconds."""
    return seconds(time_unit)


def find_ordinal(pos_num: int) -> str:
    """The English ordinal suffix of a positive number: "st", "nd", "rd" or "th"."""
    if pos_num % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(pos_num % 10, "th")


def to_ordinal(pos_num: int) -> str:
    """``1`` -> ``"1st"``, ``12`` -> ``"12th"``, ``23`` -> ``"23rd"``."""
    return f"{pos_num}{find_ordinal(pos_num)}"


#: The dotted name logging helpers print for a callable: its module and qualified name, or its ``repr``
#: when it has neither (a callable object). The package's own log lines use the same.
get_callback_name = callable_name


def is_coroutine_callable(call: Callable[..., Any]) -> bool:
    """Whether calling ``call`` returns a coroutine: an ``async def`` function, a partial of one, or an
    object whose ``__call__`` is one (a class is not: calling it makes an instance)."""
    if inspect.isclass(call):
        return False
    while isinstance(call, functools.partial):
        call = call.func
    if inspect.iscoroutinefunction(call):
        return True
    dunder_call = getattr(call, "__call__", None)  # noqa: B004 (the method itself, not callable())
    return inspect.iscoroutinefunction(dunder_call)
