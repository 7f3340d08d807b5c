"""What a worker of a :class:`Queue` is given: its handlers, a way to open stores of its own, the queue it
works and its lease and idle limits, checked and converted once for the thread and asyncio workers alike.
The workers get this value, not the Queue, so that they sit below it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import _convert, _jobs
from .._convert import Duration
from ._breaker_text import BreakerText, breaker_text
from .job import Job


@dataclass(frozen=True)
class Work:
    handlers: dict[str, Callable[[Job], Any]]
    #: A new connection, owned by the worker that opens it.
    connect: Callable[[], _jobs.Store]
    queue: str
    lease_ns: int
    #: 0: never stop for lack of work.
    idle_exit_ns: int
    #: The per-type breakers (backoff_jobs_set_breaker) of every worker, thread or asyncio, or None.
    breaker: BreakerText | None = None


def work_of(
    handlers: dict[str, Callable[[Job], Any]],
    connect: Callable[[], _jobs.Store],
    queue: str,
    lease: Duration,
    idle_exit: Duration | None,
    breaker: Mapping[str, Any] | None = None,
) -> Work:
    """The work of a worker on ``queue``, ``lease`` and ``idle_exit`` checked (ValueError naming them),
    ``breaker``'s types converted (the library checks its values when a worker opens its stores)."""
    idle_exit_ns = 0 if idle_exit is None else _convert.duration_ns(idle_exit, "idle_exit")
    breaker_pairs = None if breaker is None else breaker_text(breaker)
    return Work(handlers, connect, queue, _convert.duration_ns(lease, "lease"), idle_exit_ns, breaker_pairs)


def check_workers(count: int, name: str) -> None:
    """A worker runs at least one thread or task: ValueError naming ``name`` otherwise."""
    if count < 1:
        raise ValueError(f"{name}: must be at least 1 (got {count})")
