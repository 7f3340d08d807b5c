"""The asyncio worker: `await queue.work(...)` runs async and plain handlers concurrently."""

from __future__ import annotations

import asyncio
import threading

import libbackoff
from libbackoff.jobs import Job, Queue, State


def test_async_handlers_run_concurrently_and_complete(queue: Queue) -> None:
    running = 0
    most = 0

    @queue.handler("nap")
    async def nap(job: Job) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.05)
        running -= 1

    for _ in range(20):
        queue.enqueue("nap")
    handled = asyncio.run(queue.work(concurrency=5, idle_exit=0.5, handle_signals=False))
    assert handled == 20
    assert most == 5
    assert queue.stats() == {"default": {State.COMPLETED: 20}}


def test_plain_handlers_run_off_the_loop_and_failures_are_retried(queue: Queue) -> None:
    threads: set[str] = set()
    attempts: list[int] = []

    @queue.handler("sync")
    def sync_handler(job: Job) -> None:
        threads.add(threading.current_thread().name)
        attempts.append(job.attempt)
        if job.attempt < 3:
            raise TimeoutError("slow upstream")

    job_id = queue.enqueue("sync", policy=libbackoff.constant(0.05, jitter="none"))
    asyncio.run(queue.work(concurrency=2, idle_exit=1.0, handle_signals=False))
    assert attempts == [1, 2, 3]
    assert threading.main_thread().name not in threads
    assert queue.get(job_id).state is State.COMPLETED
    assert [error.attempt for error in queue.errors(job_id)] == [1, 2]


def test_stop_ends_an_idle_async_worker(queue: Queue) -> None:
    async def main() -> int:
        worker = asyncio.create_task(queue.work(handle_signals=False))
        await asyncio.sleep(0.3)
        queue.stop()
        return await asyncio.wait_for(worker, 5)

    assert asyncio.run(main()) == 0
