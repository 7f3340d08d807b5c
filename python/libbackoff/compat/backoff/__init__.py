"""python-backoff's API on libbackoff's engine: ``import libbackoff.compat.backoff as backoff``.

``expo`` and ``constant`` waits are the engine's policies and the jitter is the engine's draw;
decorators, handlers, details dicts, limits and log messages are python-backoff's. A decorated call
that succeeds at once costs a fraction of python-backoff's overhead. Differences: docs/compat.md.
"""

from __future__ import annotations

from . import types  # noqa: F401  (backoff.types.Details)
from ._decorator import on_exception, on_predicate
from ._jitter import full_jitter, random_jitter
from ._wait_gen import constant, decay, expo, fibo, runtime

__all__ = [
    "constant",
    "decay",
    "expo",
    "fibo",
    "full_jitter",
    "on_exception",
    "on_predicate",
    "random_jitter",
    "runtime",
]
