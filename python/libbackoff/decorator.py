"""``@retry``: the decorator for plain and ``async def`` functions and methods, bare or with options."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar, overload

from ._asyncio import AsyncRetrying
from .call_state import Statistics
from .retrying import Retrying, RetryOptions

if TYPE_CHECKING:
    from typing_extensions import Unpack

P = ParamSpec("P")
Q = ParamSpec("Q")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)
S = TypeVar("S")


class Retried(Protocol[P, R_co]):
    """A function wrapped by :func:`retry`: called like the original, with tenacity's attributes.

    On a class it is a method: ``obj.method`` drops the first parameter (``self``) from the signature,
    as for a plain method, and its ``retry_with`` keeps ``obj``.
    """

    retry: Retrying
    statistics: Statistics

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R_co: ...

    def retry_with(self, **options: Unpack[RetryOptions]) -> Retried[P, R_co]:
        """The same function with a copy of its retrying object, ``options`` changed."""
        ...

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None, /) -> Retried[P, R_co]: ...

    @overload
    def __get__(
        self: Retried[Concatenate[S, Q], R], instance: S, owner: type[Any] | None = None, /
    ) -> Retried[Q, R]: ...


@overload
def retry(fn: Callable[P, R], /) -> Retried[P, R]: ...


@overload
def retry(fn: None = None, /, **options: Unpack[RetryOptions]) -> Callable[[Callable[P, R]], Retried[P, R]]: ...


def retry(fn: Callable[..., Any] | None = None, /, **options: Any) -> Any:
    """Retries a function or method, plain or ``async def``, used bare (``@retry``) or with options
    (``@retry(max_attempts=5, retry=ConnectionError)``); the options are :class:`Retrying`'s.

    The wrapper has tenacity's ``.retry`` (the :class:`Retrying`), ``.statistics`` and
    ``.retry_with(**changes)``; ``.retry.stats()`` reads its lifetime counts, kept under ``name``
    (default: the function's ``module.qualname``). Options are checked here, at decoration time: ``retry=`` given an
    object made for tenacity or backoff raises ``TypeError`` at once.
    """

    def decorate(fn: Callable[..., Any]) -> Any:
        retrying = AsyncRetrying if inspect.iscoroutinefunction(fn) else Retrying
        # Named after the function unless told otherwise (name=None: unnamed), as stamina labels its metrics.
        named = options if "name" in options else {**options, "name": _qualified_name(fn)}
        return retrying(**named).wraps(fn)

    return decorate if fn is None else decorate(fn)


def _qualified_name(fn: Callable[..., Any]) -> str:
    """``module.qualname`` of a function, or of the class of a callable object that has none."""
    named = fn if hasattr(fn, "__qualname__") else type(fn)
    return f"{getattr(named, '__module__', None) or '?'}.{named.__qualname__}"
