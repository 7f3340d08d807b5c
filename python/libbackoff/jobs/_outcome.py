"""What a handler's run means for its job: success, a retryable failure (with a hint), or a permanent one.

Only the meaning is decided here; when the job runs again is the engine's (the store asks the job's
policy). The result is the triple the worker loops report: (backoff attempt result, hint_ns, error text).
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from .. import _jobs
from .errors import Permanent
from .job import Job

Outcome = tuple[int, int, str]

SUCCESS: Outcome = (_jobs.ATTEMPT_SUCCESS, 0, "")
Handler = Callable[[Job], Any]


def error_text(error: BaseException) -> str:
    """The attempt's error as kept with the job: the exception's one-line summary first (what `backoff jobs
    failed` shows), then its traceback. The library clips it to its limit."""
    summary = "".join(traceback.format_exception_only(type(error), error)).strip()
    return summary + "\n" + "".join(traceback.format_exception(error)).rstrip()


def failure(error: BaseException) -> Outcome:
    if isinstance(error, Permanent):
        cause = error.__cause__ if error.__cause__ is not None and not str(error) else error
        return (_jobs.ATTEMPT_PERMANENT, 0, error_text(cause))
    hint = getattr(error, "retry_after", None)
    hint_ns = 0
    if isinstance(hint, (int, float)) and not isinstance(hint, bool) and math.isfinite(hint) and hint > 0:
        hint_ns = int(hint * 1e9)
    return (_jobs.ATTEMPT_RETRYABLE, hint_ns, error_text(error))


def no_handler(job: Job) -> Outcome:
    """A job of a type this worker has no handler for is retried, not failed: a newer worker may know it."""
    return (_jobs.ATTEMPT_RETRYABLE, 0, f"no handler registered for type {job.type!r}")


def run(handler: Handler, job: Job) -> Outcome:
    try:
        handler(job)
    except Exception as error:  # every handler exception is a failed attempt; BaseException propagates
        return failure(error)
    return SUCCESS


async def run_async(handler: Callable[[Job], Awaitable[Any]], job: Job) -> Outcome:
    try:
        await handler(job)
    except Exception as error:
        return failure(error)
    return SUCCESS
