"""``@retry``: the decorator for plain and ``async def`` functions, bare or with options."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar, overload

from ._asyncio import AsyncRetrying
from .call_state import Statistics
from .retrying import Retrying, RetryOptions

if TYPE_CHECKING:
    from typing_extensions import Unpack

P = ParamSpec("P")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class Retried(Protocol[P, R_co]):
    """A function wrapped by :func:`retry`: called like the original, with tenacity's attributes."""

    retry: Retrying
    statistics: Statistics

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R_co: ...

    def retry_with(self, **options: Unpack[RetryOptions]) -> Retried[P, R_co]:
        """The same function with a copy of its retrying object, ``options`` changed."""
        ...


@overload
def retry(fn: Callable[P, R], /) -> Retried[P, R]: ...


@overload
def retry(fn: None = None, /, **options: Unpack[RetryOptions]) -> Callable[[Callable[P, R]], Retried[P, R]]: ...


def retry(fn: Callable[..., Any] | None = None, /, **options: Any) -> Any:
    """Retries a function, plain or ``async def``, used bare (``@retry``) or with options
    (``@retry(max_attempts=5, retry=ConnectionError)``); the options are :class:`Retrying`'s.

    The wrapper has tenacity's ``.retry`` (the :class:`Retrying`), ``.statistics`` and
    ``.retry_with(**changes)``.
    """

    def decorate(fn: Callable[..., Any]) -> Any:
        retrying = AsyncRetrying if inspect.iscoroutinefunction(fn) else Retrying
        return retrying(**options).wraps(fn)

    return decorate if fn is None else decorate(fn)
