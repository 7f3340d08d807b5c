"""Workers' per-type circuit breakers (``run_worker(breaker=...)``, ``await work(breaker=...)``): a type
whose handler keeps failing is snoozed, its jobs' attempts unspent, while the other types run; bad options
are refused by name. Every test runs against both workers: the thread workers (libbackoff_jobs's C loop)
and the asyncio worker (its own loop, asking the library's breakers one job at a time)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import libbackoff
from libbackoff.jobs import Job, Permanent, Queue, State

#: Runs a worker of the given queue with the given keywords, one job at a time, to its end.
Worker = Callable[..., int]


def worker_of(kind: str, queue: Queue) -> Worker:
    if kind == "threads":
        return lambda **options: queue.run_worker(threads=1, handle_signals=False, **options)
    return lambda **options: asyncio.run(queue.work(concurrency=1, handle_signals=False, **options))


@pytest.fixture(params=["threads", "asyncio"])
def worker_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def run_worker(worker_kind: str, queue: Queue) -> Worker:
    return worker_of(worker_kind, queue)


def test_a_failing_type_is_snoozed_with_its_attempts_unspent_and_runs_after_the_open_period(
    queue: Queue, run_worker: Worker
) -> None:
    downstream_up = False

    @queue.handler("down")
    def down(job: Job) -> None:
        if not downstream_up:
            raise ConnectionError("connection refused")

    queue.handler("up")(lambda job: None)
    retry_later = libbackoff.constant(60, jitter="none")  # no retry comes due during the test
    failing = [queue.enqueue("down", policy=retry_later) for _ in range(3)]
    snoozed = [queue.enqueue("down", policy=retry_later) for _ in range(2)]
    other = queue.enqueue("up")
    breaker = {"failure_threshold": 3, "open_duration": 1.0}

    handled = run_worker(idle_exit=0.3, breaker=breaker)

    assert handled == 4  # three failures and the other type's success; the snoozed jobs did not run
    assert [queue.get(job_id).attempt for job_id in failing] == [1, 1, 1]
    assert queue.get(other).state is State.COMPLETED
    now = queue.now()
    for job_id in snoozed:
        job = queue.get(job_id)
        assert job.state is State.SCHEDULED and job.attempt == 0 and job.error == ""
        assert job.run_at is not None and 0 < job.run_at - now <= 1.0
        assert queue.errors(job_id) == []

    # The breakers live with the worker's store: a new worker starts closed, so the open period is
    # waited out by the jobs' run_at, and they run once each.
    downstream_up = True
    time.sleep(max(0.0, max(queue.get(job_id).run_at or 0 for job_id in snoozed) - queue.now()))
    run_worker(idle_exit=0.3, breaker=breaker)
    for job_id in snoozed:
        job = queue.get(job_id)
        assert job.state is State.COMPLETED and job.attempt == 1


def test_permanent_failures_count_as_neither_success_nor_failure(queue: Queue, run_worker: Worker) -> None:
    # Two failures, a permanent one, a third failure: the breaker trips only if the permanent one did not
    # count (as a failure it would trip one job early; as a success it would start the count again).
    outcomes: Iterator[type[Exception]] = iter([ConnectionError, ConnectionError, Permanent, ConnectionError])

    @queue.handler("down")
    def down(job: Job) -> None:
        raise next(outcomes)("down")

    retry_later = libbackoff.constant(60, jitter="none")
    ran = [queue.enqueue("down", policy=retry_later) for _ in range(4)]
    snoozed = queue.enqueue("down", policy=retry_later)

    assert run_worker(idle_exit=0.3, breaker={"failure_threshold": 3, "open_duration": 30}) == 4
    assert [queue.get(job_id).state for job_id in ran] == [State.SCHEDULED, State.SCHEDULED, State.FAILED, State.SCHEDULED]
    job = queue.get(snoozed)
    assert job.state is State.SCHEDULED and job.attempt == 0 and job.error == ""
    assert job.run_at is not None and 29 < job.run_at - queue.now() <= 30


def test_open_policy_and_timedelta_options_reach_the_library(queue: Queue, run_worker: Worker) -> None:
    import datetime

    queue.handler("t")(lambda job: None)
    job_id = queue.enqueue("t")
    options = {"open_policy": libbackoff.exponential(initial=1, cap=60), "window_duration": datetime.timedelta(seconds=5)}
    assert run_worker(idle_exit=0.2, breaker=options) == 1
    assert queue.get(job_id).state is State.COMPLETED


@pytest.mark.parametrize(
    ("breaker", "error", "named"),
    [
        ({"failure_threshold": 0}, ValueError, "failure_threshold"),
        ({"failure_ratio": float("nan")}, ValueError, "failure_ratio"),
        ({"open_duration": -1}, ValueError, "open_duration"),
        ({"trip": "ratio", "window": "count", "window_size": 5, "min_calls": 10}, ValueError, "min_calls"),
        ({"trip": "sometimes"}, ValueError, "sometimes"),
        ({"failure_threshold": "3"}, TypeError, "failure_threshold"),
        ({"open_policy": 30}, TypeError, "open_policy"),
        ({"is_failure": ConnectionError}, TypeError, "is_failure"),
        ([("failure_threshold", 3)], TypeError, "breaker"),
    ],
)
def test_bad_breaker_options_are_refused_by_name_before_any_job_runs(
    sqlite_url: str, worker_kind: str, breaker: Any, error: type[Exception], named: str
) -> None:
    with Queue(sqlite_url) as queue:
        queue.handler("t")(lambda job: None)
        job_id = queue.enqueue("t")
        with pytest.raises(error, match=named):
            worker_of(worker_kind, queue)(idle_exit=0.2, breaker=breaker)
        assert queue.get(job_id).state is State.SCHEDULED
