"""Hands keyword arguments to a core configuration's typed setters (policy, breaker and budget parameters).

The core's setters take int64 nanoseconds for durations, doubles for reals, and text for counts and
choices (so that the core's own parser checks the sign and range of an int of any size). This module
converts types only and names the parameter when a type is wrong; every value check is the core's, and
its message passes through unchanged.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, Literal, Protocol, cast

from . import _convert, _core

#: How a parameter's value reaches the core (the core's ParamType).
ParamKind = Literal["duration", "real", "count", "choice", "seed"]


def kinds_of(family: str) -> dict[str, ParamKind]:
    """How each parameter of ``family`` (``"param"``, ``"breaker_param"``, ``"budget_param"``) reaches
    the core: its type in the core's parameter table, the one source of the parameters."""
    return {row[0]: cast(ParamKind, row[1]) for row in _core.param_table(family)}


class Setters(Protocol):
    """The setters every core configuration has (``_core.Config``, ``BreakerConfig``, ``BudgetConfig``)."""

    def set_i64(self, param: Any, value: int) -> None: ...
    def set_f64(self, param: Any, value: float) -> None: ...
    def set_text(self, name: str, value: str) -> None: ...


def refuse_unknown(parameters: Mapping[str, object], accepted: Iterable[str], function: str) -> None:
    """The TypeError Python raises for an unknown keyword, for a ``**parameters: Unpack[...]`` signature."""
    for name in parameters:
        if name not in accepted:
            raise TypeError(f"{function}() got an unexpected keyword argument {name!r}")


def set_params(
    config: Setters,
    params: Mapping[str, Any],
    kinds: Mapping[str, ParamKind],
    values: Mapping[str, object],
    examples: Mapping[str, str] | None = None,
) -> None:
    """Sets every value that is not ``None``; ``params`` maps a name to the core's parameter id, and
    ``examples`` gives a choice parameter an example value for its type error."""
    for name, value in values.items():
        if value is None:
            continue
        kind = kinds[name]
        if kind == "duration":
            config.set_i64(params[name], _convert.duration_ns(value, name))  # type: ignore[arg-type]
        elif kind == "real":
            config.set_f64(params[name], _convert.real(value, name))  # type: ignore[arg-type]
        elif kind in ("count", "seed"):  # as text: the core's parser checks sign and range (int64, uint64)
            config.set_text(name, _convert.integer_text(value, name))  # type: ignore[arg-type]
        else:
            choice = value.value if isinstance(value, enum.Enum) else value
            if not isinstance(choice, str):
                example = f" such as {examples[name]!r}" if examples and name in examples else ""
                raise TypeError(f"{name}: expected a name{example} (got {_convert.shown(value)})")
            config.set_text(name, choice)
