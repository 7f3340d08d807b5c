"""The ``@retry`` decorator: bare or with tenacity's keywords, on plain and ``async def`` functions."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from typing import Any

from ._retrying import Retrying
from ._utils import is_coroutine_callable
from .asyncio import AsyncRetrying
from .retry import retry_base


def retry(*dargs: Any, **dkw: Any) -> Any:
    """Retries the decorated function: ``@retry`` or ``@retry(stop=..., wait=..., retry=...)``.

    An ``async def`` function (or any function with an ``async def`` ``sleep``) is retried by
    :class:`AsyncRetrying`, a Tornado ``@gen.coroutine`` by ``TornadoRetrying``, every other one by
    :class:`Retrying`.
    """
    if len(dargs) == 1 and callable(dargs[0]) and not dkw:
        return retry()(dargs[0])

    def wrap(f: Callable[..., Any]) -> Any:
        if isinstance(f, retry_base):
            warnings.warn(
                f"Got retry_base instance ({type(f).__name__}) as callable argument to @retry; "
                f"did you mean @retry(retry={type(f).__name__}(...))?",
                stacklevel=2,
            )
        sleep = dkw.get("sleep")
        if is_coroutine_callable(f) or (sleep is not None and is_coroutine_callable(sleep)):
            return AsyncRetrying(*dargs, **dkw).wraps(f)
        if _is_tornado_coroutine(f):
            return sys.modules[__package__].TornadoRetrying(*dargs, **dkw).wraps(f)
        return Retrying(*dargs, **dkw).wraps(f)

    return wrap


def _is_tornado_coroutine(f: Callable[..., Any]) -> bool:
    """Whether ``f`` is a Tornado coroutine function, read from the package's ``tornado`` at each call
    (tornado older than 4.5 has no ``is_coroutine_function``: then no function is)."""
    # The package's global, read at each call (not imported: the package imports this module), which
    # tests set to None to take the path of an install without tornado.
    tornado = sys.modules[__package__].tornado
    is_coroutine_function = getattr(getattr(tornado, "gen", None), "is_coroutine_function", None)
    return is_coroutine_function is not None and bool(is_coroutine_function(f))
