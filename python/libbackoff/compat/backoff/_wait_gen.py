"""python-backoff's wait generators. Each is primed with ``send(None)``; every later ``send(x)`` (x: the
exception or the value that failed) yields the next wait in seconds.

``expo`` and ``constant`` are policies of the engine (so ``expo`` saturates at ``max_value``, or at the
engine's 292 years, instead of overflowing); ``fibo``, ``decay`` and ``runtime`` are sequences the
engine has no kind for, computed here (docs/compat.md).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Generator, Iterable
from typing import Any

from .. import _engine

WaitGenerator = Generator[float, Any, None]


def expo(base: float = 2, factor: float = 1, max_value: float | None = None) -> WaitGenerator:
    """``factor * base ** n`` for n = 0, 1, 2, ..., at most ``max_value``: the engine's exponential policy."""
    yield  # type: ignore[misc]  # primed with send(None)
    policy = _engine.exponential(float(factor), float(base), max_value)
    for attempt in itertools.count():
        yield _engine.delay(policy, attempt)


def fibo(max_value: float | None = None) -> WaitGenerator:
    """1, 1, 2, 3, 5, 8, ... seconds, at most ``max_value``."""
    yield  # type: ignore[misc]
    previous, current = 1, 1
    while True:
        if max_value is not None and previous >= max_value:
            while True:
                yield max_value
        yield previous
        previous, current = current, previous + current


def constant(interval: float | Iterable[float] = 1) -> WaitGenerator:
    """The same ``interval`` every time (the engine's constant policy), or each value of an iterable in
    turn, after which retrying stops."""
    yield  # type: ignore[misc]
    if isinstance(interval, Iterable):
        for value in interval:  # noqa: UP028 (a plain iterator has no send())
            yield value
        return
    seconds = _engine.delay(_engine.constant(float(interval)), 0)
    while True:
        yield seconds


def decay(initial_value: float = 1, decay_factor: float = 1, min_value: float | None = None) -> WaitGenerator:
    """``initial_value * e ** (-n * decay_factor)`` for n = 0, 1, 2, ..., at least ``min_value``."""
    yield  # type: ignore[misc]
    for attempt in itertools.count():
        value = initial_value * math.exp(-attempt * decay_factor)
        yield value if min_value is None else max(value, min_value)


def runtime(*, value: Callable[[Any], float]) -> WaitGenerator:
    """``value(x)`` for the exception or returned value ``x`` that failed: a wait the server asked for
    (``Retry-After``)."""
    failure = yield  # type: ignore[misc]
    while True:
        failure = yield value(failure)
