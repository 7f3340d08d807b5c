"""A worker's ``breaker=`` options handed to libbackoff_jobs as ``(name, text)`` pairs.

The worker loop keeps one circuit breaker per job type (backoff_jobs_set_breaker); its configuration is a
C handle, and the options are :class:`libbackoff.CircuitBreaker`'s keywords for the core's parameters. The
types are converted here as for any breaker (``_params``, seconds and timedeltas to nanoseconds); every
value travels as the text ``backoff_breaker_config_set_text()`` reads, and the library checks it, so a bad
value raises the library's error, naming the parameter, when the worker opens its stores.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _params
from ..breaker import open_policy_of
from ._policy_text import policy_text

_KINDS = _params.kinds_of("breaker_param")
_NAMES = {name: name for name in _KINDS}

#: The breaker's parameters as (name, text) pairs, and its open policy's (or None).
BreakerText = tuple[list[tuple[str, str]], list[tuple[str, str]] | None]


class _TextPairs:
    """The setters ``_params.set_params`` calls, each writing its value as the library's text."""

    __slots__ = ("pairs",)

    def __init__(self) -> None:
        self.pairs: list[tuple[str, str]] = []

    def set_i64(self, name: str, value: int) -> None:
        self.pairs.append((name, f"{value}ns"))

    def set_f64(self, name: str, value: float) -> None:
        self.pairs.append((name, repr(value)))

    def set_text(self, name: str, value: str) -> None:
        self.pairs.append((name, value))


def breaker_text(options: Mapping[str, Any]) -> BreakerText:
    """``options`` (``failure_threshold``, ``open_duration``, ``open_policy``, ...) as the binding takes
    them; TypeError for a keyword that is not a breaker parameter or a value of the wrong type."""
    if not isinstance(options, Mapping):
        raise TypeError(f"breaker: expected a dict of CircuitBreaker parameters (got {options!r})")
    values = {name: value for name, value in options.items() if name != "open_policy"}
    _params.refuse_unknown(values, _KINDS, "breaker")
    pairs = _TextPairs()
    _params.set_params(pairs, _NAMES, _KINDS, values)
    open_policy = open_policy_of(options)
    return pairs.pairs, None if open_policy is None else policy_text(open_policy)
