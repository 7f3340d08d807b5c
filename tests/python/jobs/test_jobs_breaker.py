"""Workers' per-type circuit breakers (``run_worker(breaker=...)``): a type whose handler keeps failing is
snoozed, its jobs' attempts unspent, while the other types run; bad options are refused by name."""

from __future__ import annotations

import time

import pytest

import libbackoff
from libbackoff.jobs import Job, Queue, State


def test_a_failing_type_is_snoozed_with_its_attempts_unspent_and_runs_after_the_open_period(queue: Queue) -> None:
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

    handled = queue.run_worker(threads=1, idle_exit=0.3, handle_signals=False, breaker=breaker)

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
    queue.run_worker(threads=1, idle_exit=0.3, handle_signals=False, breaker=breaker)
    for job_id in snoozed:
        job = queue.get(job_id)
        assert job.state is State.COMPLETED and job.attempt == 1


def test_open_policy_and_timedelta_options_reach_the_library(queue: Queue) -> None:
    import datetime

    queue.handler("t")(lambda job: None)
    job_id = queue.enqueue("t")
    options = {"open_policy": libbackoff.exponential(initial=1, cap=60), "window_duration": datetime.timedelta(seconds=5)}
    assert queue.run_worker(threads=1, idle_exit=0.2, handle_signals=False, breaker=options) == 1
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
    sqlite_url: str, breaker: object, error: type[Exception], named: str
) -> None:
    with Queue(sqlite_url) as queue:
        queue.handler("t")(lambda job: None)
        job_id = queue.enqueue("t")
        with pytest.raises(error, match=named):
            queue.run_worker(threads=2, idle_exit=0.2, handle_signals=False, breaker=breaker)  # type: ignore[arg-type]
        assert queue.get(job_id).state is State.SCHEDULED
