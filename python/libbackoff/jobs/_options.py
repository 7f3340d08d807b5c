"""The options of one enqueue, as keywords, and their conversion for the library (which checks them)."""

from __future__ import annotations

import datetime
from typing import TypedDict

from .. import _convert, _jobs
from .._convert import Duration
from ..policy import Policy
from ._policy_text import policy_text


class EnqueueOptions(TypedDict, total=False):
    """The keywords of :meth:`Queue.enqueue`, :meth:`Queue.enqueue_statement` and :func:`enqueue_in`."""

    queue: str | None
    priority: int | None
    run_at: datetime.datetime | float | None
    delay: Duration | None
    max_attempts: int | None
    unique_key: str | None
    policy: Policy | None


def unix_ns(when: datetime.datetime | float, param: str) -> int:
    """A point in time as UNIX nanoseconds: an aware datetime, or UNIX seconds."""
    if isinstance(when, datetime.datetime):
        if when.tzinfo is None:
            raise ValueError(f"{param}: a datetime must be timezone-aware (got {when!r})")
        return int(when.timestamp() * 1e9)
    return int(_convert.real(when, param) * 1e9)


def built(options: EnqueueOptions) -> _jobs.EnqueueOptions:
    """The binding's options; a keyword that is not an option is a TypeError, as for any function."""
    for name in options:
        if name not in EnqueueOptions.__annotations__:
            raise TypeError(f"unexpected keyword argument {name!r}")
    result = _jobs.EnqueueOptions()
    result.priority = options.get("priority")
    run_at, delay, policy = options.get("run_at"), options.get("delay"), options.get("policy")
    result.run_at_ns = None if run_at is None else unix_ns(run_at, "run_at")
    result.delay_ns = None if delay is None else _convert.duration_ns(delay, "delay")
    result.max_attempts = options.get("max_attempts")
    result.unique_key = options.get("unique_key")
    result.policy = None if policy is None else policy_text(policy)
    return result
