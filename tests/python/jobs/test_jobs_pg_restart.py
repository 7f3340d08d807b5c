"""A PostgreSQL restart while workers run: they reconnect and carry on, and every job completes.

At-least-once: a job whose completion the restart cut off is still leased and runs again once its lease
(2 s here) expires; the library's fencing keeps that second run from racing the first.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import threading
import time
from collections import Counter

import pytest

from libbackoff.jobs import Job, Queue, State


@pytest.mark.parametrize("mode", ["threads", "asyncio"])
def test_workers_survive_a_server_restart(pg_url: str, mode: str) -> None:
    restart = os.environ.get("BACKOFF_TEST_PG_RESTART")
    assert restart, "BACKOFF_TEST_PG_RESTART is unset: scripts/pg-cluster exports it with the URL"
    queue = Queue(pg_url)
    runs: Counter[int] = Counter()

    @queue.handler("count")
    def count(job: Job) -> None:
        runs[job.id] += 1
        time.sleep(0.002)

    before = [queue.enqueue("count") for _ in range(100)]
    if mode == "threads":
        worker = threading.Thread(target=lambda: queue.run_worker(threads=2, batch=10, lease=2, handle_signals=False))
    else:
        worker = threading.Thread(target=lambda: asyncio.run(queue.work(concurrency=10, lease=2, handle_signals=False)))
    worker.start()
    time.sleep(0.1)
    subprocess.run(restart, shell=True, check=True)
    queue.close()  # this thread's connection died with the server; the next call opens a new one
    after = [queue.enqueue("count") for _ in range(100)]
    deadline = time.monotonic() + 60
    while queue.stats().get("default", {}).get(State.COMPLETED, 0) < 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    queue.stop()
    worker.join(30)
    assert not worker.is_alive()
    assert queue.stats() == {"default": {State.COMPLETED: 200}}
    assert all(runs[job_id] >= 1 for job_id in before + after)
    queue.close()
