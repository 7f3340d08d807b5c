"""Worker processes die and stop: kill -9 mid-job (the job comes back after its lease) and SIGTERM
(the job in hand finishes, the process exits 0, nothing else is claimed)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import libbackoff
from libbackoff.jobs import Job, Queue, State

WORKER = Path(__file__).with_name("worker_process.py")


def start_worker(url: str, mode: str, markers: Path, lease: float = 60.0) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(WORKER), url, mode, str(markers), str(lease)])


def wait_for(path: Path, process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, f"the worker exited with {process.returncode} before {path.name}"
        assert time.monotonic() < deadline, f"no {path.name} after {timeout} s"
        time.sleep(0.02)


@pytest.mark.parametrize("mode", ["threads", "asyncio"])
def test_kill_9_mid_job_the_job_is_reclaimed_after_its_lease(url: str, tmp_path: Path, mode: str) -> None:
    queue = Queue(url)
    job_id = queue.enqueue("sleep", "3600", policy=libbackoff.constant(0.05, jitter="none"))
    worker = start_worker(url, mode, tmp_path, lease=1.0)
    wait_for(tmp_path / f"started-{job_id}", worker)
    assert queue.get(job_id).state is State.RUNNING
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()

    reran: list[int] = []
    queue.handler("sleep")(lambda job: reran.append(job.attempt))
    queue.run_worker(threads=1, idle_exit=3.0, handle_signals=False)

    job = queue.get(job_id)
    assert reran == [2]
    assert job.state is State.COMPLETED and job.attempt == 2
    assert "lease expired" in queue.errors(job_id)[0].error
    queue.close()


@pytest.mark.parametrize("mode", ["threads", "asyncio"])
def test_sigterm_finishes_the_job_in_hand_and_exits_0(url: str, tmp_path: Path, mode: str) -> None:
    queue = Queue(url)
    in_hand = queue.enqueue("sleep", "1.0")
    worker = start_worker(url, mode, tmp_path)
    wait_for(tmp_path / f"started-{in_hand}", worker)
    waiting = queue.enqueue("sleep", "0")
    worker.send_signal(signal.SIGTERM)

    assert worker.wait(timeout=20) == 0
    assert (tmp_path / f"finished-{in_hand}").exists()
    assert queue.get(in_hand).state is State.COMPLETED
    job: Job = queue.get(waiting)
    assert job.state is State.SCHEDULED and job.attempt == 0
    queue.close()
