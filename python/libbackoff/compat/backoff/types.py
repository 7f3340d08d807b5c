"""The type of the ``details`` dict python-backoff's handlers receive (``backoff.types.Details``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict


class _Details(TypedDict):
    target: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    tries: int
    elapsed: float


class Details(_Details, total=False):
    """Every event: target, args, kwargs, tries, elapsed; ``wait`` on backoff; ``value`` from
    on_predicate; ``exception`` from on_exception (on backoff and give-up)."""

    wait: float
    value: Any
    exception: BaseException


__all__ = ["Details"]
