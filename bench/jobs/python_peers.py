"""PgQueuer and procrastinate (PyPI) on the three workloads of bench/jobs/run, on PostgreSQL.

Prints one JSON line, the shape every program under bench/jobs prints (bench/jobs/report.py reads it).
Each queue runs as its documentation suggests for throughput: PgQueuer on asyncpg (its faster driver in
its own benchmark) with batches of 10; procrastinate's asyncio worker with concurrency 10, LISTEN/NOTIFY on.
Usage: python_queues.py --queue pgqueuer|procrastinate --workload burndown|steady|latency --url URL --jobs N
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable

from bench_common import Tally, percentiles, report

CONCURRENCY = 10
INSERT_BATCH = 5000


async def run_pgqueuer(url: str, workload: str, jobs: int) -> dict[str, float]:
    import asyncpg
    from pgqueuer import QueueManager
    from pgqueuer.db import AsyncpgDriver
    from pgqueuer.queries import Queries

    setup = await asyncpg.connect(url)
    queries = Queries(AsyncpgDriver(setup))
    await queries.install()
    tally = Tally(jobs)
    worker_connection = await asyncpg.connect(url)
    manager = QueueManager(Queries(AsyncpgDriver(worker_connection)))

    @manager.entrypoint("noop")
    async def noop(job: object) -> None:
        tally.done(job.payload)
        if tally.finished:
            manager.shutdown.set()

    async def enqueue_one(payload: bytes) -> None:
        await queries.enqueue("noop", payload)

    async def enqueue_many(count: int) -> None:
        await queries.enqueue(["noop"] * count, [None] * count, [0] * count)

    return await drive(workload, jobs, tally, manager.run(batch_size=CONCURRENCY), enqueue_one, enqueue_many)


async def run_procrastinate(url: str, workload: str, jobs: int) -> dict[str, float]:
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url))
    tally = Tally(jobs)
    async with app.open_async():
        await app.schema_manager.apply_schema_async()

        @app.task(name="noop")
        async def noop(t: str = "") -> None:
            tally.done(t.encode() if t else None)

        async def work() -> None:
            worker = asyncio.create_task(
                app.run_worker_async(concurrency=CONCURRENCY, wait=True, install_signal_handlers=False)
            )
            await tally.wait_async()
            worker.cancel()
            try:
                await worker
            except asyncio.CancelledError:
                pass

        async def enqueue_one(payload: bytes) -> None:
            await noop.defer_async(t=payload.decode())

        async def enqueue_many(count: int) -> None:
            await noop.batch_defer_async(*[{} for _ in range(count)])

        return await drive(workload, jobs, tally, work(), enqueue_one, enqueue_many)


async def drive(
    workload: str,
    jobs: int,
    tally: Tally,
    worker: Awaitable[None],
    enqueue_one: Callable[[bytes], Awaitable[None]],
    enqueue_many: Callable[[int], Awaitable[None]],
) -> dict[str, float]:
    """Runs one workload: the same steps, in the same order, as every other program of bench/jobs."""
    if workload == "burndown":
        for start in range(0, jobs, INSERT_BATCH):
            await enqueue_many(min(INSERT_BATCH, jobs - start))
        began = time.perf_counter()
        await worker
        return {"seconds": time.perf_counter() - began}
    task = asyncio.ensure_future(worker)
    if workload == "steady":
        began = time.perf_counter()
        for _ in range(jobs):
            await enqueue_one(b"")
        await tally.wait_async()
        seconds = time.perf_counter() - began
        await task
        return {"seconds": seconds}
    await asyncio.sleep(0.5)  # let the worker listen before the first job
    for sent in range(1, jobs + 1):
        await enqueue_one(str(time.time_ns()).encode())
        await tally.wait_async(sent)
        await asyncio.sleep(0.01)  # idle workers between jobs
    await task
    return percentiles(tally.latencies_ns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queue", choices=["pgqueuer", "procrastinate"], required=True)
    parser.add_argument("--workload", choices=["burndown", "steady", "latency"], required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--jobs", type=int, default=100000)
    args = parser.parse_args()
    runner = run_pgqueuer if args.queue == "pgqueuer" else run_procrastinate
    result = asyncio.run(runner(args.url, args.workload, args.jobs))
    report(args.queue, "postgres", "python", args.workload, args.jobs, result)


if __name__ == "__main__":
    main()
