"""tenacity's API on libbackoff's engine: ``import libbackoff.compat.tenacity as tenacity``.

Every ``wait_*`` strategy is a policy of the engine (overflow-proof: ``wait_exponential`` saturates at
its ``max`` for any attempt number); stops, retry predicates, hooks, statistics and the loop's order
are tenacity 9's. A decorated call that returns at once costs a small fraction of tenacity's overhead.
Differences: docs/compat.md.
"""

from __future__ import annotations

from types import ModuleType

try:
    import tornado as tornado  # re-exported: tenacity.tornado
except ImportError:
    # None makes @retry skip Tornado; tests set it to None to take that path with tornado installed.
    tornado: ModuleType | None = None  # type: ignore[no-redef]

# The submodules users reach as attributes (tenacity.wait.wait_fixed, tenacity.nap.time) come first; then
# the decorator takes the name `retry` over the submodule of that name, as in tenacity (`from tenacity.retry
# import ...` still finds the submodule, through sys.modules).
from . import _utils, after, asyncio, before, before_sleep, nap, retry, stop, wait  # noqa: F401
from ._decorate import retry  # type: ignore[no-redef]  # noqa: F811
from ._retrying import BaseRetrying, DoAttempt, DoSleep, Retrying, WrappedFn
from ._state import AttemptManager, Future, RetryAction, RetryCallState, RetryError, TryAgain
from .after import after_log, after_nothing
from .asyncio import AsyncRetrying
from .before import before_log, before_nothing
from .before_sleep import before_sleep_log, before_sleep_nothing
from .nap import sleep, sleep_using_event
from .retry import (
    retry_all,
    retry_always,
    retry_any,
    retry_base,
    retry_if_exception,
    retry_if_exception_cause_type,
    retry_if_exception_message,
    retry_if_exception_type,
    retry_if_not_exception_message,
    retry_if_not_exception_type,
    retry_if_not_result,
    retry_if_result,
    retry_never,
    retry_unless_exception_type,
)
from .stop import (
    stop_after_attempt,
    stop_after_delay,
    stop_all,
    stop_any,
    stop_base,
    stop_before_delay,
    stop_never,
    stop_when_event_set,
)
from .wait import (
    wait_base,
    wait_chain,
    wait_combine,
    wait_exception,
    wait_exponential,
    wait_exponential_jitter,
    wait_fixed,
    wait_full_jitter,
    wait_incrementing,
    wait_none,
    wait_random,
    wait_random_exponential,
)

if tornado is not None:
    from .tornadoweb import TornadoRetrying as TornadoRetrying

__all__ = [
    "AsyncRetrying",
    "AttemptManager",
    "BaseRetrying",
    "DoAttempt",
    "DoSleep",
    "Future",
    "RetryAction",
    "RetryCallState",
    "RetryError",
    "Retrying",
    "TryAgain",
    "WrappedFn",
    "after_log",
    "after_nothing",
    "before_log",
    "before_nothing",
    "before_sleep_log",
    "before_sleep_nothing",
    "retry",
    "retry_all",
    "retry_always",
    "retry_any",
    "retry_base",
    "retry_if_exception",
    "retry_if_exception_cause_type",
    "retry_if_exception_message",
    "retry_if_exception_type",
    "retry_if_not_exception_message",
    "retry_if_not_exception_type",
    "retry_if_not_result",
    "retry_if_result",
    "retry_never",
    "retry_unless_exception_type",
    "sleep",
    "sleep_using_event",
    "stop_after_attempt",
    "stop_after_delay",
    "stop_all",
    "stop_any",
    "stop_base",
    "stop_before_delay",
    "stop_never",
    "stop_when_event_set",
    "wait_base",
    "wait_chain",
    "wait_combine",
    "wait_exception",
    "wait_exponential",
    "wait_exponential_jitter",
    "wait_fixed",
    "wait_full_jitter",
    "wait_incrementing",
    "wait_none",
    "wait_random",
    "wait_random_exponential",
]
