"""What ``@retry`` returns: the retry loop itself, a plain function, or for a method a descriptor.

A plain function is wrapped in a ``_core.Retried`` (:func:`retried_function`, bindings/bind_retried.cpp):
the loop, tenacity's ``retry``, ``statistics`` and ``retry_with``, and a method descriptor whose bound
form keeps the instance for ``retry_with``. The rest of this module is the ``async def`` wrappers'.

An ``async def`` function is wrapped in a real function (the driver ``AsyncRetrying.wraps`` builds)
carrying tenacity's ``retry``, ``statistics`` and ``retry_with`` as attributes: calling it costs what
calling the loop costs.

An ``async`` method needs more: a function binds too, but ``obj.method.retry_with(...)`` would reach the
function's attribute through the bound method and lose ``obj``. So a function defined in a class body
is wrapped in a :class:`RetriedFunction`, a descriptor: ``obj.method`` is a :class:`BoundRetried` that
keeps the instance, for calls and for ``retry_with`` alike. Its class's ``__call__`` *is* the loop, as a
staticmethod, so no Python frame sits between the caller and the loop; and ``obj.method`` binds the loop
itself, not the wrapper, so that calling it skips the wrapper's ``__call__`` lookup
(bench/python/bench_retry.py, "Method").
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast, overload

from . import _core
from ._retried_call import core_loop

if TYPE_CHECKING:
    from .call_state import RetryingObject, Statistics


class RetriedFunction:
    """A function wrapped in a retry loop, with tenacity's ``retry``, ``statistics`` and
    ``retry_with(**changes)``."""

    __slots__ = ("__dict__", "__weakref__", "retry", "statistics")

    retry: RetryingObject
    statistics: Statistics
    __wrapped__: Callable[..., Any]  # set by functools.update_wrapper, as __name__ and __qualname__
    __qualname__: str

    def __call__(self, *args: Any, **kwargs: Any) -> Any:  # replaced in each wrapper's subclass
        raise NotImplementedError

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> RetriedFunction: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> BoundRetried: ...
    def __get__(self, instance: object, owner: type | None = None) -> RetriedFunction | BoundRetried:
        return self if instance is None else BoundRetried(type(self).__call__, instance)  # each subclass: a quicker closure

    def retry_with(self, **changes: Any) -> RetriedFunction:
        """The same function with a copy of its retrying object, ``changes`` applied."""
        return cast(RetriedFunction, self.retry.copy(**changes).wraps(self.__wrapped__))

    def __reduce__(self) -> str:
        # Pickled by name, as the function it replaces (multiprocessing sends module-level functions so).
        return self.__qualname__

    def __repr__(self) -> str:
        return f"<retried {self.__wrapped__!r}>"


class BoundRetried(functools.partial[Any]):
    """``obj.method`` of a retried method: the loop with ``obj`` first, and ``retry_with`` keeps ``obj``.
    The loop carries ``retry`` and ``statistics`` as the wrapper does (see :func:`decorated`)."""

    __slots__ = ()

    @property
    def retry(self) -> RetryingObject:
        return cast("RetryingObject", self._loop().retry)

    @property
    def statistics(self) -> Statistics:
        return cast("Statistics", self._loop().statistics)

    def retry_with(self, **changes: Any) -> BoundRetried:
        """The bound method of a copy with ``changes``, for the same instance."""
        instance = self.args[0]
        copy = cast(RetriedFunction, self.retry.copy(**changes).wraps(self._loop().__wrapped__))
        return cast(BoundRetried, copy.__get__(instance, type(instance)))

    def _loop(self) -> Any:
        # The loop function, with the attributes decorated() gives it (a plain Callable has none).
        return self.func

    def __repr__(self) -> str:
        return f"<bound retried {self._loop().__wrapped__!r} of {self.args[0]!r}>"


def retried_function(retrying: RetryingObject, fn: Callable[..., Any], resume: Callable[..., Any]) -> _core.Retried:
    """``fn`` wrapped in ``retrying``'s loop, a ``_core.Retried`` named as ``fn``: it drives what it can
    itself and hands the rest of a call to ``resume(failure, *args, **kwargs)``."""
    stats = retrying._stats if retrying._quick else None  # else resume makes the whole call
    loop = _core.Retried(fn, retrying, retrying.statistics, resume, stats, **core_loop(retrying, fn))
    functools.update_wrapper(loop, fn)
    return loop


def decorated(loop: Callable[..., Any], retrying: RetryingObject, fn: Callable[..., Any]) -> RetriedFunction:
    """Gives ``loop`` (the ``async def`` retry loop around ``fn``, already named as ``fn``
    by ``functools.wraps``) tenacity's attributes; wraps it in a :class:`RetriedFunction` when ``fn``
    is defined in a class body."""
    if not _defined_in_a_class(fn):
        function = cast(Any, loop)
        function.retry, function.statistics = retrying, retrying.statistics
        function.retry_with = functools.partial(_retry_with, retrying, fn)
        return cast(RetriedFunction, function)
    function = cast(Any, loop)
    function.retry, function.statistics = retrying, retrying.statistics  # for BoundRetried, which binds loop

    def bind(self: RetriedFunction, instance: object, owner: type | None = None) -> RetriedFunction | BoundRetried:
        return self if instance is None else BoundRetried(loop, instance)

    namespace = {"__slots__": (), "__call__": staticmethod(loop), "__get__": bind}
    wrapper: RetriedFunction = type(RetriedFunction.__name__, (RetriedFunction,), namespace)()
    functools.update_wrapper(wrapper, fn)
    wrapper.retry, wrapper.statistics = retrying, retrying.statistics
    if inspect.iscoroutinefunction(loop):
        _mark_coroutine_function(wrapper, loop)
    return wrapper


def _retry_with(retrying: RetryingObject, fn: Callable[..., Any], **changes: Any) -> RetriedFunction:
    """``retry_with`` of a wrapped function: the same function with a copy of its retrying object,
    ``changes`` applied."""
    return cast(RetriedFunction, retrying.copy(**changes).wraps(fn))


def _defined_in_a_class(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` was defined in a class body (``Service.fetch``), not at module level (``fetch``)
    or in a function (``outer.<locals>.fetch``): only methods need the descriptor."""
    outer, _, _ = getattr(fn, "__qualname__", "").rpartition(".")
    return outer != "" and not outer.endswith("<locals>")


def _mark_coroutine_function(wrapper: RetriedFunction, loop: Callable[..., Any]) -> None:
    """Makes ``inspect.iscoroutinefunction(wrapper)`` true, as for the ``async def`` it wraps, so that
    frameworks (and a breaker decorating it) await it."""
    if sys.version_info >= (3, 12):
        inspect.markcoroutinefunction(wrapper)
    else:
        # Before 3.12, inspect recognises a "function-like" object by these attributes and reads the
        # coroutine flag from __code__.
        wrapper.__code__ = loop.__code__  # type: ignore[attr-defined]
        wrapper.__defaults__ = wrapper.__kwdefaults__ = None  # type: ignore[attr-defined]
