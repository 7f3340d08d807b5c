"""The results of bench/jobs/run as one table.

    report.py jobs-bench < jobs_bench's output   -> JSON lines, the shape of the other programs'
    report.py table RESULTS.jsonl                -> a Markdown table (docs/jobs.md, "Benchmarks")

Each program prints one JSON object per workload: queue, store, worker, workload, jobs, and jobs_per_s
(burndown, steady) or p50_ms and p99_ms (latency).
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict

_BURN = re.compile(r"^(\w+): burn-down of (\d+) no-op jobs, (\d+) worker processes.*: (\d+) jobs/s")
_LATENCY = re.compile(r"^(\w+): enqueue-to-start latency, .*: p50 ([\d.]+) ms, p99 ([\d.]+) ms")
_HEAP = re.compile(r"^(\w+): heap held by 1000 leased no-op jobs in one process: (\d+) KiB")


def from_jobs_bench(text: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for line in text.splitlines():
        base = {"queue": "libbackoff", "worker": "c"}
        if match := _BURN.match(line):
            store, jobs, workers, rate = match.groups()
            rows.append(
                base
                | {
                    "store": _store(store),
                    "workload": "burndown",
                    "jobs": int(jobs),
                    "jobs_per_s": float(rate),
                    "processes": int(workers),
                }
            )
        elif match := _LATENCY.match(line):
            store, p50, p99 = match.groups()
            latency = {"p50_ms": float(p50), "p99_ms": float(p99)}
            rows.append(base | {"store": _store(store), "workload": "latency"} | latency)
        elif match := _HEAP.match(line):
            store, kib = match.groups()
            rows.append(base | {"store": _store(store), "workload": "memory", "kib_per_1000_leased": int(kib)})
    return rows


def _store(name: str) -> str:
    return "postgres" if name.startswith("postgres") else "sqlite"


def _rate(row: dict[str, object]) -> str:
    """jobs/s, with the job count when a burn-down was scaled down from 100k (a slow peer)."""
    rate = f"{float(row['jobs_per_s']):,.0f}"  # type: ignore[arg-type]
    scaled = row["workload"] == "burndown" and row["jobs"] != 100000
    return f"{rate} ({int(row['jobs']) // 1000}k jobs)" if scaled else rate  # type: ignore[call-overload]


def table(results: list[dict[str, object]]) -> str:
    cells: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for row in results:
        key = (str(row["queue"]), str(row["worker"]), str(row["store"]))
        workload = row["workload"]
        if workload in ("burndown", "steady"):
            cells[key][str(workload)] = _rate(row)
        elif workload == "latency":
            cells[key]["p50"] = f"{float(row['p50_ms']):.2f}"  # type: ignore[arg-type]
            cells[key]["p99"] = f"{float(row['p99_ms']):.2f}"  # type: ignore[arg-type]
        elif workload == "memory":
            cells[key]["memory"] = f"{row['kib_per_1000_leased']} KiB"
    columns = [
        "queue",
        "workers",
        "store",
        "burn-down 100k (jobs/s)",
        "steady enqueue+work (jobs/s)",
        "latency p50 (ms)",
        "p99 (ms)",
        "heap per 1k leased",
    ]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for (queue, worker, store), values in cells.items():
        measured = [values.get(name, "-") for name in ("burndown", "steady", "p50", "p99", "memory")]
        row = [queue, worker, store, *measured]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:] == ["jobs-bench"]:
        for row in from_jobs_bench(sys.stdin.read()):
            print(json.dumps(row))
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        with open(sys.argv[2], encoding="utf-8") as results:
            print(table([json.loads(line) for line in results if line.strip()]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
