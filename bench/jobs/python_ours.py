"""libbackoff.jobs (Python workers) on the three workloads of bench/jobs/run, on SQLite or PostgreSQL.

Prints one JSON line, the shape every program under bench/jobs prints (bench/jobs/report.py reads it).
Usage: python_ours.py --url URL --workload burndown|steady|latency --jobs N [--mode threads|asyncio]
Thread workers: 4 threads claiming 100 jobs at a time (libbackoff_jobs's own loop, completions batched);
asyncio: one worker, 100 handlers at once. Burn-down jobs are inserted first in one transaction through the
enqueue statement (Queue.enqueue_statement), as jobs_bench inserts them.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import threading
import time
from typing import Any

from bench_common import Tally, percentiles, report

from libbackoff.jobs import Job, Queue

THREADS, BATCH, CONCURRENCY = 4, 100, 100


def insert_many(queue: Queue, url: str, count: int) -> None:
    """`count` no-op jobs in one transaction on a connection of our own."""
    if url.startswith("postgres"):
        import psycopg

        sql, params = queue.enqueue_statement("noop", placeholder="format")
        with psycopg.connect(url) as connection, connection.cursor() as cursor:
            cursor.executemany(sql, [params] * count)
    else:
        sql, params = queue.enqueue_statement("noop", placeholder="qmark")
        with sqlite3.connect(url.removeprefix("sqlite://")) as connection:
            connection.execute("PRAGMA busy_timeout = 10000")
            connection.executemany(sql, [params] * count)


def start_workers(queue: Queue, mode: str, tally: Tally) -> threading.Thread:
    """The workers, on a thread of their own so that this one can enqueue and watch."""
    if mode == "threads":

        @queue.handler("noop")
        def noop(job: Job) -> None:
            tally.done(job.payload)

        def target() -> Any:
            return queue.run_worker(threads=THREADS, batch=BATCH, handle_signals=False)
    else:

        @queue.handler("noop")
        async def noop_async(job: Job) -> None:
            tally.done(job.payload)

        def target() -> Any:
            return asyncio.run(queue.work(concurrency=CONCURRENCY, handle_signals=False))

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    return worker


def run(url: str, workload: str, jobs: int, mode: str) -> dict[str, float]:
    queue = Queue(url)
    tally = Tally(jobs)
    if workload == "burndown":
        insert_many(queue, url, jobs)
        began = time.perf_counter()
        worker = start_workers(queue, mode, tally)
        tally.wait()
        result = {"seconds": time.perf_counter() - began}
    elif workload == "steady":
        worker = start_workers(queue, mode, tally)
        began = time.perf_counter()
        for _ in range(jobs):
            queue.enqueue("noop")
        tally.wait()
        result = {"seconds": time.perf_counter() - began}
    else:
        worker = start_workers(queue, mode, tally)
        time.sleep(0.5)  # let the workers go idle
        for sent in range(1, jobs + 1):
            queue.enqueue("noop", str(time.time_ns()))
            tally.wait(sent)
            time.sleep(0.01)  # idle workers between jobs
        result = percentiles(tally.latencies_ns)
    queue.stop()
    worker.join()
    queue.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--workload", choices=["burndown", "steady", "latency"], required=True)
    parser.add_argument("--jobs", type=int, default=100000)
    parser.add_argument("--mode", choices=["threads", "asyncio"], default="threads")
    args = parser.parse_args()
    result = run(args.url, args.workload, args.jobs, args.mode)
    store = "postgres" if args.url.startswith("postgres") else "sqlite"
    report("libbackoff", store, f"python-{args.mode}", args.workload, args.jobs, result)


if __name__ == "__main__":
    main()
