"""Thread workers: each thread runs libbackoff_jobs's own worker loop (backoff_jobs_work) on its own store
connection, calling back into Python for each job. The loop claims in batches, completes the successes of
a batch in one statement, fails the failures through the engine, and waits on LISTEN/NOTIFY (PostgreSQL)
or the file's commits (SQLite) when idle; the GIL is released throughout, except inside the handler.

Breakers: with ``breaker=`` each thread's loop keeps a circuit breaker per job type; a job whose type's
breaker is open is snoozed (handed back unrun, its attempt unspent) until the open period is over.

Shutdown: :meth:`ThreadWorkers.stop` (also SIGTERM and SIGINT, when run from the main thread) interrupts
every loop; each finishes the jobs it holds, or releases them, and returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

from .. import _jobs
from . import _outcome
from .errors import store_errors
from ._work import Work, check_workers
from .job import Job

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def dispatcher(handlers: dict[str, Callable[[Job], Any]]) -> Callable[[dict[str, Any]], _outcome.Outcome]:
    """The per-job callback of the C loop: the row to a Job, its handler run, the outcome returned."""

    def dispatch(row: dict[str, Any]) -> _outcome.Outcome:
        job = Job(row)
        handler = handlers.get(job.type)
        if handler is None:
            return _outcome.no_handler(job)
        if inspect.iscoroutinefunction(handler):
            coroutine_handler = handler
            return _outcome.run(lambda job: asyncio.run(coroutine_handler(job)), job)
        return _outcome.run(handler, job)

    return dispatch


@contextlib.contextmanager
def stop_on_signals(stop: Callable[[], None], enabled: bool) -> Iterator[None]:
    """SIGTERM and SIGINT call ``stop`` while the block runs (main thread only), then the old handlers return."""
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, lambda *_: stop()) for number in _STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class ThreadWorkers:
    """``threads`` threads running the handlers of ``work`` on its queue's jobs until stopped or idle, each
    on a store of its own; see :meth:`Queue.run_worker`."""

    def __init__(self, work: Work, threads: int, batch: int):
        check_workers(threads, "threads")
        self._connect = work.connect
        self._name = work.queue
        self._threads = threads
        self._batch = batch
        self._lease_ns = work.lease_ns
        self._idle_exit_ns = work.idle_exit_ns
        self._dispatch = dispatcher(work.handlers)
        self._breaker = work.breaker
        self._stores: list[_jobs.Store] = []
        self._stopping = threading.Event()
        self._handled = 0
        self._errors: list[BaseException] = []
        self._lock = threading.Lock()

    def stop(self) -> None:
        """Asks every loop to finish the jobs it holds and return. Safe from any thread and signal handler."""
        self._stopping.set()
        with self._lock:
            stores = list(self._stores)
        for store in stores:
            store.interrupt()

    def run(self, handle_signals: bool = True) -> int:
        """Runs the threads to their end; returns how many jobs the handlers ran."""
        with self._lock:  # every connection first, so that bad URLs, schemas and breakers raise here, in the caller
            self._stores = [self._connect() for _ in range(self._threads)]
            if self._breaker is not None:
                try:
                    with store_errors():
                        for store in self._stores:
                            store.set_breaker(*self._breaker)
                except BaseException:
                    for store in self._stores:
                        store.close()
                    self._stores = []
                    raise
        threads = [threading.Thread(target=self._loop, args=(store,), daemon=True) for store in self._stores]
        with stop_on_signals(self.stop, handle_signals):
            for thread in threads:
                thread.start()
            for thread in threads:
                while thread.is_alive():  # short joins let the main thread run signal handlers
                    thread.join(0.1)
        with self._lock:
            stores, self._stores = self._stores, []
        for store in stores:
            store.close()
        if self._errors:
            raise self._errors[0]
        return self._handled

    def _loop(self, store: _jobs.Store) -> None:
        if self._stopping.is_set():
            return
        try:
            with store_errors():
                handled, _interrupted = store.work(
                    self._name, self._batch, self._lease_ns, 0, self._idle_exit_ns, self._dispatch
                )
        except BaseException as error:  # reported by run(), in the caller's thread
            self._errors.append(error)
            self.stop()
            return
        with self._lock:
            self._handled += handled
