"""A worker process for test_jobs_processes.py: `python worker_process.py URL MODE MARKERS [LEASE]`.

Handler "sleep" writes MARKERS/started-<id>, sleeps for its payload's seconds (float), then writes
MARKERS/finished-<id>. MODE "threads" runs Queue.run_worker, MODE "asyncio" awaits Queue.work; both
handle SIGTERM themselves (graceful shutdown) and exit 0 after it.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from libbackoff.jobs import Job, Queue

url, mode, markers = sys.argv[1], sys.argv[2], Path(sys.argv[3])
lease = float(sys.argv[4]) if len(sys.argv) > 4 else 60.0
queue = Queue(url)


@queue.handler("sleep")
def sleep(job: Job) -> None:
    (markers / f"started-{job.id}").touch()
    time.sleep(float(job.payload))
    (markers / f"finished-{job.id}").touch()


if mode == "threads":
    queue.run_worker(threads=1, batch=1, lease=lease)
else:
    asyncio.run(queue.work(concurrency=1, lease=lease))
