"""What the Python programs of bench/jobs share: counting finished jobs and reading latencies."""

from __future__ import annotations

import asyncio
import json
import threading
import time

# How often a waiter looks at the count. Waiting never delays a job: latency is read by the handler.
POLL_S = 0.0005


class Tally:
    """Counts finished jobs from any thread or task; a payload holding an enqueue time (ns) adds a latency."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.count = 0
        self.latencies_ns: list[int] = []
        self._lock = threading.Lock()

    def done(self, payload: bytes | None) -> None:
        now = time.time_ns()
        with self._lock:
            self.count += 1
            if payload:
                self.latencies_ns.append(now - int(payload))

    @property
    def finished(self) -> bool:
        return self.count >= self.expected

    def wait(self, count: int | None = None) -> None:
        while self.count < (self.expected if count is None else count):
            time.sleep(POLL_S)

    async def wait_async(self, count: int | None = None) -> None:
        while self.count < (self.expected if count is None else count):
            await asyncio.sleep(POLL_S)


def percentiles(latencies_ns: list[int]) -> dict[str, float]:
    """p50 and p99 in milliseconds."""
    ordered = sorted(latencies_ns)
    return {"p50_ms": ordered[len(ordered) // 2] / 1e6, "p99_ms": ordered[len(ordered) * 99 // 100] / 1e6}


def report(queue: str, store: str, worker: str, workload: str, jobs: int, result: dict[str, float]) -> None:
    """Prints the workload's JSON line; jobs_per_s for the timed workloads."""
    line: dict[str, object] = {"queue": queue, "store": store, "worker": worker, "workload": workload, "jobs": jobs}
    line.update(result)
    if "seconds" in result:
        line["jobs_per_s"] = jobs / result["seconds"]
    print(json.dumps(line), flush=True)
