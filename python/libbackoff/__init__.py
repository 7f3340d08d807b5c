"""libbackoff: backoff, retry and jitter on one overflow-proof C++ engine.

Every delay, cap and stop decision comes from the C++ core that the C library ``libbackoff.so``
also exposes, so Python, C and every FFI user get the same delays bit for bit from the same seed.
This package adds the Python shape: :func:`retry`, :class:`Retrying`, :class:`AsyncRetrying`,
policies in float seconds, a testing switch, and the core's :class:`CircuitBreaker` and
:class:`RetryBudget`.

    from libbackoff import retry, exponential

    @retry(wait=exponential(initial=0.1, cap=5), max_attempts=5, retry=ConnectionError)
    def fetch(url): ...

Differences from tenacity and backoff:

* Policies are data decided by the core, not Python callables run per attempt: ``wait=`` takes a
  :class:`Policy`; ``stop=`` takes ``stop_after_attempt(n) | stop_after_delay(s)`` (or ``&``); tenacity's
  ``wait_*``/``stop_*``/``retry_*`` objects are not accepted.
* ``reraise`` defaults to True: giving up re-raises the last exception (tenacity raises
  ``RetryError`` by default).
* Jitter is full by default (AWS's advice) and the cap holds after jitter and server hints.
* ``max_elapsed`` (``stop_after_delay``, backoff's ``max_time``) counts from the first failure, not
  from the first call, so a slow first attempt does not use up the retry window.
* ``statistics`` describes the most recent finished call in any thread (``attempt_number``,
  ``idle_for``), not a thread-local copy.
* Bare ``@retry`` stops after 5 attempts, the core's stop for a retry loop given none (tenacity's
  default never stops): any stop given replaces it, and ``max_attempts=0`` retries without limit.
* Only ``Exception`` subclasses are retried; ``KeyboardInterrupt``, ``SystemExit`` and task
  cancellation always propagate at once, also from a wait.
* Retries are logged by default (WARNING to the ``libbackoff`` logger; a give-up at ERROR), as stamina
  does: ``log=False`` or the logger's level turns it off.
"""

from __future__ import annotations

import os

from . import _core
from ._asyncio import AsyncRetrying
from ._convert import Duration
from ._logging import before_sleep_log
from .attempt_timeout import AttemptTimeout
from .adaptive import AdaptiveLimiter, RateLimitExceeded
from .backoff_state import Backoff
from .breaker import CircuitBreaker, StateListener
from .breaker_pool import CircuitBreakerPool
from .budget import Calibration, RetryBudget, RetryBudgetExhausted, RetryBudgetPool
from .call_state import RetryCallState, RetryError, Statistics
from .circuit_state import CircuitCounts, CircuitOpenError, CircuitState, Outcome, StateChange, StateChangeCause
from .clock import Clock
from .decorator import Retried, retry
from .error_class import ErrorClass
from .policy import Jitter, Kind, Policy, PolicyOptions, StopWhen, constant, decorrelated, exponential, linear
from .retrying import AttemptManager, Retrying, RetryOptions
from .stop import Stop, stop_after_attempt, stop_after_delay
from .testing import is_testing, set_testing

__version__: str = _core.BACKOFF_VERSION_STRING

__all__ = [
    "AdaptiveLimiter",
    "AsyncRetrying",
    "AttemptManager",
    "AttemptTimeout",
    "Backoff",
    "Calibration",
    "CircuitBreaker",
    "CircuitBreakerPool",
    "CircuitCounts",
    "CircuitOpenError",
    "CircuitState",
    "Clock",
    "Duration",
    "ErrorClass",
    "Jitter",
    "Kind",
    "Outcome",
    "Policy",
    "PolicyOptions",
    "RateLimitExceeded",
    "RetryBudget",
    "RetryBudgetExhausted",
    "RetryBudgetPool",
    "RetryCallState",
    "RetryError",
    "RetryOptions",
    "Retried",
    "Retrying",
    "StateChange",
    "StateChangeCause",
    "StateListener",
    "Statistics",
    "Stop",
    "StopWhen",
    "__version__",
    "before_sleep_log",
    "constant",
    "decorrelated",
    "exponential",
    "get_include",
    "get_library_path",
    "is_testing",
    "linear",
    "retry",
    "set_testing",
    "stop_after_attempt",
    "stop_after_delay",
]

# Beside the extension, not beside this file: an editable install keeps the sources and the built files
# (extension, library, header) in different directories.
_HERE = os.path.dirname(os.path.abspath(_core.__file__))


def get_include() -> str:
    """The directory holding ``backoff.h``, for C extensions built against the C API
    (as ``pybind11.get_include()`` or ``numpy.get_include()``)."""
    return os.path.join(_HERE, "include")


def get_library_path() -> str:
    """The path of the shared C library, ``libbackoff.so.0``, for ``ctypes.CDLL``, cffi or the linker.

    The wheel ships the library once, under its SONAME (the name a linked program loads at run time; a
    wheel cannot hold the ``libbackoff.so`` symlink): link with the path itself
    (``cc app.c <path> -Wl,-rpath,<its directory>``) rather than ``-lbackoff``.
    """
    soversion = __version__.partition(".")[0]  # the major version, as CMake's SOVERSION
    return os.path.join(_HERE, "lib", f"libbackoff.so.{soversion}")
