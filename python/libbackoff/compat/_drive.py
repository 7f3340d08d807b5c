"""Runs a decision generator synchronously or asynchronously, so each compatibility loop writes its
decisions once for both worlds.

A decision generator yields the return value of every user callable it calls (strategy, predicate,
hook) and receives it back: as it is from :func:`drive`, awaited from :func:`adrive` when it is
awaitable (an ``async def`` callable). Its return value is the decision.
"""

from __future__ import annotations

import inspect
from collections.abc import Generator
from typing import Any, TypeVar

T = TypeVar("T")


def drive(decision: Generator[Any, Any, T]) -> T:
    """Runs ``decision`` to its end, sending every yielded value straight back."""
    try:
        value = next(decision)
        while True:
            value = decision.send(value)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def adrive(decision: Generator[Any, Any, T]) -> T:
    """Runs ``decision`` to its end, awaiting every yielded awaitable before sending it back."""
    try:
        value = next(decision)
        while True:
            if inspect.isawaitable(value):
                value = await value
            value = decision.send(value)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
