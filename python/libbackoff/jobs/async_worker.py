"""The asyncio worker: handlers run as tasks in the caller's loop; the store calls run elsewhere.

A store connection belongs to one thread, and its calls block, so the worker keeps two connections, each
on a one-thread executor of its own: the fetcher claims (as many jobs as there are free slots) and waits
for work; the reporter completes and fails. Completions are batched: while one complete_many is in flight
the next successes gather, and go together in the next.

Breakers: with ``breaker=`` the reporter's store keeps a circuit breaker per job type, and each claimed job
is put to it before its handler runs (``breaker_admit``: refused, it is snoozed, its attempt unspent) and
its result told after (``breaker_record``): the two decisions of libbackoff_jobs's own loop, made by the
library, so the asyncio worker follows the thread workers' rules exactly. One set of breakers serves all
the worker's tasks.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import inspect
import os
import signal
import socket
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .. import _jobs
from . import _outcome
from .errors import StaleLease, StoreError, store_errors
from ._work import Work, check_workers
from .job import Job

T = TypeVar("T")

# How long one wait for work lasts before the worker looks at its stop and idle conditions again.
_WAIT_SLICE_S = 1.0
_MAX_BATCH = _jobs.limit("max_claim")
# A store that cannot be reached: how long the worker keeps trying (as backoff_jobs_work), and how often.
_UNREACHABLE_S = 30.0
_RETRY_CLAIM_S = 0.5


class AsyncWorker:
    def __init__(self, work: Work, concurrency: int):
        check_workers(concurrency, "concurrency")
        self._connect = work.connect
        self._name = work.queue
        self._concurrency = concurrency
        self._lease_ns = work.lease_ns
        self._idle_exit = work.idle_exit_ns / 1e9 if work.idle_exit_ns else None
        self._handlers = work.handlers
        self._breaker = work.breaker
        self._worker = f"{socket.gethostname()}:{os.getpid()}:asyncio"
        self._stopping = False
        self._fetcher: _jobs.Store | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending: list[tuple[int, int]] = []
        self._flushing: asyncio.Task[None] | None = None
        self._handled = 0

    def stop(self) -> None:
        """Stops claiming; the jobs in hand finish. Safe from any thread."""
        self._stopping = True
        if self._fetcher is not None:
            self._fetcher.interrupt()

    async def run(self, handle_signals: bool) -> int:
        loop = asyncio.get_running_loop()
        fetch_pool = concurrent.futures.ThreadPoolExecutor(1, "libbackoff-jobs-fetch")
        report_pool = concurrent.futures.ThreadPoolExecutor(1, "libbackoff-jobs-report")
        self._fetch = functools.partial(self._call, loop, fetch_pool)
        self._report = functools.partial(self._call, loop, report_pool)
        fetcher = self._fetcher = await self._fetch(self._connect)
        reporter = self._reporter = await self._report(self._connect)
        signals = [signal.SIGTERM, signal.SIGINT]
        if handle_signals:
            for number in signals:
                loop.add_signal_handler(number, self.stop)
        try:
            if self._breaker is not None:
                await self._report(reporter.set_breaker, *self._breaker)
            await self._claim_loop()
            while self._tasks:
                await asyncio.wait(set(self._tasks))
            await self._flush()
        finally:
            if handle_signals:
                for number in signals:
                    loop.remove_signal_handler(number)
            await self._fetch(fetcher.close)
            await self._report(reporter.close)
            fetch_pool.shutdown()
            report_pool.shutdown()
        return self._handled

    @staticmethod
    async def _call(
        loop: asyncio.AbstractEventLoop, pool: concurrent.futures.Executor, function: Callable[..., T], *args: Any
    ) -> T:
        with store_errors():
            return await loop.run_in_executor(pool, function, *args)

    async def _claim_loop(self) -> None:
        assert self._fetcher is not None
        idle_since = time.monotonic()
        unreachable_since: float | None = None
        while not self._stopping:
            free = self._concurrency - len(self._tasks)
            if free == 0:
                await asyncio.wait(set(self._tasks), return_when=asyncio.FIRST_COMPLETED)
                continue
            try:
                rows = await self._fetch(self._fetcher.claim, self._name, free, self._lease_ns, self._worker)
            except StoreError:
                # The database went away (a restart): the library reconnects on the next call. Keep trying
                # for as long as libbackoff_jobs's own loop does, then give up loudly.
                unreachable_since = unreachable_since or time.monotonic()
                if time.monotonic() - unreachable_since > _UNREACHABLE_S:
                    raise
                await asyncio.sleep(_RETRY_CLAIM_S)
                continue
            unreachable_since = None
            started = False
            for row in rows:
                job = Job(row)
                permit = await self._admit(job)
                if permit is not None:
                    self._start(job, permit)
                    started = True
            if started:
                idle_since = time.monotonic()
            if rows:  # jobs all snoozed leave the worker idle, as in libbackoff_jobs's loop
                continue
            if self._idle_exit is not None and not self._tasks and time.monotonic() - idle_since >= self._idle_exit:
                return
            timeout = _WAIT_SLICE_S if self._idle_exit is None else min(_WAIT_SLICE_S, self._idle_exit)
            if await self._fetch(self._fetcher.wait, self._name, int(timeout * 1e9)) is None:
                return  # interrupted: stop() was called

    async def _admit(self, job: Job) -> int | None:
        """The permit to run ``job`` under (0 without breakers), or None: its type's breaker is open and the
        library has snoozed it, or it could not be (a lost lease, an unreachable store: the job is not ours
        to run, or comes back when its lease expires)."""
        if self._breaker is None:
            return 0
        try:
            permit, snooze_ns = await self._report(self._reporter.breaker_admit, job.type, job.id, job.lease_token)
        except (StaleLease, StoreError):
            return None
        return None if snooze_ns else permit

    def _start(self, job: Job, permit: int) -> None:
        task = asyncio.create_task(self._handle(job, permit))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, job: Job, permit: int) -> None:
        handler = self._handlers.get(job.type)
        started_ns = time.monotonic_ns()
        if handler is None:
            outcome = _outcome.no_handler(job)
        elif inspect.iscoroutinefunction(handler):
            outcome = await _outcome.run_async(handler, job)
        else:
            outcome = await asyncio.to_thread(_outcome.run, handler, job)
        self._handled += 1
        result, hint_ns, error = outcome
        if permit:
            duration_ns = time.monotonic_ns() - started_ns
            await self._report(self._reporter.breaker_record, job.type, permit, result, hint_ns, duration_ns)
        if result == _jobs.ATTEMPT_SUCCESS:
            self._pending.append((job.id, job.lease_token))
            if self._flushing is None or self._flushing.done():
                self._flushing = asyncio.create_task(self._flush())
            return
        try:
            await self._report(
                self._reporter.fail, job.id, job.lease_token, error, result == _jobs.ATTEMPT_PERMANENT, hint_ns
            )
        except (StaleLease, StoreError):
            # A lost lease: the job's new holder decides its fate. An unreachable store: the job is still
            # leased and comes back when the lease expires. Either way nothing is lost.
            pass

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:_MAX_BATCH], self._pending[_MAX_BATCH:]
            ids, tokens = [job_id for job_id, _ in batch], [token for _, token in batch]
            try:
                await self._report(self._reporter.complete_many, ids, tokens)
            except StoreError:
                pass  # unreported, so still leased: the jobs run again after their leases (at-least-once)
