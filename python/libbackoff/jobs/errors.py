"""The exceptions of libbackoff.jobs: what the store reports, and what a handler raises to steer a retry.

A status of libbackoff_jobs becomes one exception class, found by the status's name as the library gives
it (``"stale_lease"``, ``"invalid_value"``); the message is the library's own, naming the parameter and
the value. Bad input raises :class:`JobsValueError` (a ``ValueError``) and changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from .. import _jobs


class JobsError(Exception):
    """A failed call of the job store. ``status`` is the library's code, ``name`` its name."""

    status: int = 0
    name: str = ""


class StoreError(JobsError):
    """The database failed the call (unreachable, I/O, a lock held past the busy timeout)."""


class SchemaError(JobsError):
    """The store is not migrated (run ``Queue.migrate()``), or is newer than this library."""


class JobNotFound(JobsError, LookupError):
    """No job has this id (never enqueued, or purged)."""


class StaleLease(JobsError):
    """The lease was lost: the job was claimed again, cancelled or requeued. It was not changed."""


class WrongState(JobsError):
    """The job's state does not allow the call (requeue of a job that is not failed, say)."""


class JobsValueError(JobsError, ValueError):
    """A bad argument: the message names the parameter and the value."""


class JobsTypeError(JobsError, TypeError):
    """An argument of the wrong type."""


_BY_NAME: dict[str, type[JobsError]] = {
    "store_error": StoreError,
    "schema": SchemaError,
    "not_found": JobNotFound,
    "stale_lease": StaleLease,
    "wrong_state": WrongState,
    "invalid_value": JobsValueError,
    "unknown_name": JobsValueError,
    "null_argument": JobsValueError,
    "wrong_type": JobsTypeError,
}


def translated(error: _jobs.Error) -> JobsError:
    """The exception of this module for a status the binding raised."""
    status, name, message = error.args
    exception = _BY_NAME.get(name, JobsError)(message)
    exception.status, exception.name = status, name
    return exception


@contextlib.contextmanager
def store_errors() -> Iterator[None]:
    """Turns the binding's error into the exception class of this module."""
    try:
        yield
    except _jobs.Error as error:
        raise translated(error) from None


class Permanent(Exception):
    """Raise it from a handler when retrying cannot help (a malformed payload): the job fails at once.

    Raising ``Permanent("bad payload")`` or ``raise Permanent() from error`` records the message, or the
    cause's, as the attempt's error.
    """


class RetryAfter(Exception):
    """Raise it from a handler to retry no sooner than ``seconds`` (a server's Retry-After).

    The engine still decides: the wait is the policy's delay, at least the hint, never past the cap.
    Any other exception with a ``retry_after`` attribute (seconds, a number) gives the same hint.
    """

    def __init__(self, seconds: float, message: str = "") -> None:
        super().__init__(message or f"retry after {seconds} s")
        self.retry_after = seconds
