"""Queue: a job store (SQLite file or PostgreSQL URL), its handlers, enqueue and administration.

A store connection belongs to one thread at a time (backoff_jobs.h), so a Queue opens one per thread that
uses it, on first use. Workers are in :mod:`.workers` (threads) and :mod:`.async_worker` (asyncio).
"""

from __future__ import annotations

import builtins
import json
import os
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .. import _convert, _jobs
from .._convert import Duration
from ..policy import Policy
from . import workers
from ._options import EnqueueOptions, built
from ._policy_text import policy_text
from ._work import work_of
from .async_worker import AsyncWorker
from .errors import store_errors
from .job import STATE_VALUE, AttemptError, Job, State
from .transaction import placeholder_of

if TYPE_CHECKING:
    from typing_extensions import Unpack

F = TypeVar("F", bound=Callable[..., Any])

#: What a payload may be: bytes as they are, text as UTF-8, anything else as JSON.
Payload = bytes | bytearray | memoryview | str | Any


def payload_bytes(payload: Payload) -> bytes:
    if isinstance(payload, (bytes, bytearray, memoryview)):
        return bytes(payload)
    if isinstance(payload, str):
        return payload.encode("utf-8")
    if payload is None:
        return b""
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")


class Queue:
    """A durable job queue on a store: ``Queue("jobs.db")`` (SQLite, the embedded default, created if
    missing) or ``Queue("postgresql://user@host/db")``.

    Args:
        url: a path or ``sqlite:///abs/path.db``, or a ``postgresql://`` URL.
        queue: the queue name enqueue and the workers use when given none.
        migrate: bring the store's schema to this library's version now (as ``backoff jobs migrate``).

    Every retry decision is the engine's: a failed job runs again after its policy's delay for its
    attempt, keyed by the job id (the queue's policy, see :meth:`set_policy`, unless the job has its own).
    """

    def __init__(self, url: str | os.PathLike[str], *, queue: str = "default", migrate: bool = True) -> None:
        self.url = os.fspath(url)
        self.name = queue
        self._handlers: dict[str, Callable[[Job], Any]] = {}
        self._local = threading.local()
        self._lock = threading.Lock()
        self._stores: list[_jobs.Store] = []
        self._running: list[workers.ThreadWorkers | AsyncWorker] = []
        if migrate:
            self.migrate()

    # ----- connections -----

    def connect(self) -> _jobs.Store:
        """A new connection, owned by the caller (a worker closes its own)."""
        with store_errors():
            return _jobs.Store(self.url)

    @property
    def _store(self) -> _jobs.Store:
        """This thread's connection, opened on first use and closed by :meth:`close`."""
        store: _jobs.Store | None = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = self.connect()
            with self._lock:
                self._stores.append(store)
        return store

    def close(self) -> None:
        """Closes every connection this Queue opened. Jobs still leased come back when their leases expire."""
        with self._lock:
            stores, self._stores = self._stores, []
        for store in stores:
            store.close()
        self._local = threading.local()

    def __enter__(self) -> Queue:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _queue_name(self, queue: str | None) -> str:
        """The queue a call names, or this Queue's; "" is a name (the library refuses it), not a default."""
        return self.name if queue is None else queue

    # ----- handlers -----

    def handler(self, type: str) -> Callable[[F], F]:
        """Registers the decorated function (plain or ``async def``) as the handler of jobs of ``type``.

        It receives the :class:`Job`. Returning completes the job; raising fails the attempt, retried on the
        policy's schedule; :class:`Permanent` fails the job at once; :class:`RetryAfter` (or any exception
        with a ``retry_after`` in seconds) asks for at least that wait.
        """

        def register(function: F) -> F:
            self._handlers[type] = function
            return function

        return register

    @property
    def handlers(self) -> dict[str, Callable[[Job], Any]]:
        return dict(self._handlers)

    # ----- workers -----

    def run_worker(
        self,
        queue: str | None = None,
        *,
        threads: int = 4,
        batch: int = 10,
        lease: Duration = 60.0,
        idle_exit: Duration | None = None,
        handle_signals: bool = True,
        breaker: Mapping[str, Any] | None = None,
    ) -> int:
        """Works ``queue`` (default: this Queue's) with ``threads`` threads until SIGTERM or SIGINT (then
        the jobs in hand are finished or released), :meth:`stop`, or ``idle_exit`` without a job.

        Each thread runs libbackoff_jobs's worker loop on a connection of its own: it claims up to
        ``batch`` jobs, runs their handlers one by one, completes the successes in one statement, and
        waits for a NOTIFY (PostgreSQL) or a commit (SQLite) when idle. A job is leased for ``lease``: one
        that outlives it runs again elsewhere, so keep it longer than a job takes. Returns how many jobs
        the handlers ran.

        ``breaker``: :class:`~libbackoff.CircuitBreaker`'s parameters (``failure_threshold``,
        ``open_duration``, ``open_policy``, ...; ``{}`` for its defaults) for a breaker per job type in each
        thread: a type whose handler keeps raising trips its breaker, and its jobs are then snoozed, not
        run, until the open period is over: left scheduled for then, their attempts unspent and their
        errors untouched, so an outage does not use up their retries. Other types keep running. A handler's
        success closes the breaker, :class:`Permanent` counts as neither, any other exception as a failure
        (its ``retry_after`` keeps a tripped breaker open at least that long). A bad value raises here,
        naming the parameter.
        """
        work = work_of(self.handlers, self.connect, self._queue_name(queue), lease, idle_exit, breaker)
        running = workers.ThreadWorkers(work, threads, batch)
        self._running.append(running)
        try:
            return running.run(handle_signals)
        finally:
            self._running.remove(running)

    async def work(
        self,
        queue: str | None = None,
        *,
        concurrency: int = 10,
        lease: Duration = 60.0,
        idle_exit: Duration | None = None,
        handle_signals: bool = True,
        breaker: Mapping[str, Any] | None = None,
    ) -> int:
        """Works ``queue`` in the running asyncio loop, up to ``concurrency`` jobs at once, until SIGTERM or
        SIGINT (then the jobs in hand finish), :meth:`stop`, or ``idle_exit`` without a job. ``async def``
        handlers run in the loop; plain ones in the default executor. The database calls run on two
        threads of their own (claims and waits; completions and failures), never in the loop. Returns how
        many jobs the handlers ran.

        ``breaker``: as for :meth:`run_worker`, by the same rules (the library decides); one breaker per job
        type serves all ``concurrency`` tasks of this worker.
        """
        work = work_of(self.handlers, self.connect, self._queue_name(queue), lease, idle_exit, breaker)
        running = AsyncWorker(work, concurrency)
        self._running.append(running)
        try:
            return await running.run(handle_signals)
        finally:
            self._running.remove(running)

    def stop(self) -> None:
        """Stops every worker of this Queue (thread and asyncio) gracefully. Any thread, signal handlers too."""
        for running in list(self._running):
            running.stop()

    # ----- schema and policy -----

    def migrate(self) -> int:
        """Brings the store's schema to this library's version; returns the version. Safe to repeat."""
        with store_errors():
            return self._store.migrate()

    def set_policy(self, policy: Policy | None, *, queue: str | None = None) -> None:
        """Sets the retry policy of jobs enqueued to ``queue`` from now on (None: the store default)."""
        with store_errors():
            self._store.queue_set_policy(self._queue_name(queue), None if policy is None else policy_text(policy))

    def now(self) -> float:
        """The database's clock, UNIX seconds: what leases and run times are measured against."""
        with store_errors():
            return self._store.now() / 1e9

    # ----- enqueue -----

    def enqueue(self, type: str, payload: Payload = b"", **options: Unpack[EnqueueOptions]) -> int:
        """Enqueues a job in its own transaction and returns its id.

        Args:
            type: the handler's name.
            payload: bytes, text (UTF-8) or anything ``json.dumps`` takes; at most 1 MiB.
            queue: the queue (default: this Queue's).
            priority: lower runs first, -32768..32767 (default 0).
            run_at: not before this time (aware datetime or UNIX seconds); ``delay``: not before now + delay.
            max_attempts: runs in all, the first included (0 = unlimited; default: the policy's).
            unique_key: if a job of the store already holds this key, nothing is enqueued and that job's
                id is returned.
            policy: this job's own retry policy (default: the queue's).
        """
        with store_errors():
            job_id, _inserted = self._store.enqueue(
                self._queue_name(options.get("queue")), type, payload_bytes(payload), built(options)
            )
        return job_id

    def enqueue_statement(
        self, type: str, payload: Payload = b"", *, placeholder: str = "native", **options: Unpack[EnqueueOptions]
    ) -> tuple[str, builtins.list[int | str | bytes | None]]:
        """The enqueue statement and its parameters, to run on your own connection inside your own
        transaction (see :meth:`enqueue_in`). ``placeholder``: ``"native"``, ``"qmark"``
        (sqlite3), ``"format"`` (psycopg) or ``"numeric"``. Options as for :meth:`enqueue`."""
        with store_errors():
            style = _jobs.value_of(_jobs.ENUM_PLACEHOLDER, placeholder)
            return self._store.enqueue_statement(
                style, self._queue_name(options.get("queue")), type, payload_bytes(payload), built(options)
            )

    def enqueue_in(
        self, cursor: Any, type: str, payload: Payload = b"", **options: Unpack[EnqueueOptions]
    ) -> int | None:
        """Enqueues a job through a DB-API ``cursor`` (sqlite3, psycopg), inside its connection's current
        transaction: the job exists if and only if that transaction commits. Returns the job id, or None
        when a job of the store already holds ``unique_key``. The cursor must be connected to this Queue's
        database. Options as for :meth:`enqueue`."""
        sql, params = self.enqueue_statement(type, payload, placeholder=placeholder_of(cursor), **options)
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return None if row is None else int(row[0])

    # ----- administration -----

    def get(self, job_id: int) -> Job:
        """The job as the store has it now. Raises :class:`JobNotFound` for an unknown id."""
        with store_errors():
            return Job(self._store.get(job_id)[0])

    def list(
        self, *, queue: str | None = None, state: State | str | None = None, before_id: int = 0, limit: int = 100
    ) -> builtins.list[Job]:
        """Jobs newest first, ``limit`` at a time (page on with ``before_id`` = the last id seen)."""
        state_value = -1 if state is None else STATE_VALUE[State(state)]
        with store_errors():
            return [Job(row) for row in self._store.list(queue, state_value, before_id, limit)]

    def failed(self, *, queue: str | None = None, limit: int = 100) -> builtins.list[Job]:
        """The failed jobs, newest first: given up after their attempts or a permanent error."""
        return self.list(queue=queue, state=State.FAILED, limit=limit)

    def errors(self, job_id: int) -> builtins.list[AttemptError]:
        """Every kept failed attempt of a job, oldest first."""
        with store_errors():
            return [AttemptError(row) for row in self._store.errors(job_id)]

    def requeue(self, job_id: int) -> None:
        """Gives a failed or cancelled job another run, attempt 0, its errors deleted."""
        with store_errors():
            self._store.requeue(job_id)

    def requeue_failed(self, *, queue: str | None = None) -> int:
        """Requeues every failed job of ``queue`` (default: this Queue's); returns how many."""
        with store_errors():
            return self._store.requeue_failed(self._queue_name(queue))

    def cancel(self, job_id: int) -> None:
        """Cancels a scheduled or running job; a running job's worker finds its lease stale."""
        with store_errors():
            self._store.cancel(job_id)

    def stats(self, *, queue: str | None = None) -> dict[str, dict[State, int]]:
        """Job counts per queue and state (states without jobs omitted)."""
        with store_errors():
            rows = self._store.stats(queue)
        counts: dict[str, dict[State, int]] = {}
        for row in rows:
            counts.setdefault(row["queue"].decode(), {})[State(_jobs.name_of(_jobs.ENUM_STATE, row["state"]))] = row[
                "count"
            ]
        return counts

    def purge(self, state: State | str = State.COMPLETED, *, older_than: Duration = 0, queue: str | None = None) -> int:
        """Deletes finished jobs of ``state`` that finished more than ``older_than`` ago; returns how many."""
        with store_errors():
            return self._store.purge(queue, STATE_VALUE[State(state)], _convert.duration_ns(older_than, "older_than"))
