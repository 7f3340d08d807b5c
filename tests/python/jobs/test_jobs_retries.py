"""Handler failures are retried on the policy's schedule, decided by the engine, keyed by the job id."""

from __future__ import annotations

import itertools

import pytest

import libbackoff
from libbackoff.jobs import Job, Permanent, Queue, RetryAfter, State


def test_a_failed_job_runs_again_after_the_policys_delay_for_its_attempt(queue: Queue) -> None:
    policy = libbackoff.exponential(initial=10, multiplier=2, cap=600, jitter="full", seed=7)

    @queue.handler("flaky")
    def flaky(job: Job) -> None:
        raise ConnectionError("upstream down")

    job_id = queue.enqueue("flaky", policy=policy)
    queue.run_worker(threads=1, idle_exit=0.3, handle_signals=False)

    job = queue.get(job_id)
    errors = queue.errors(job_id)
    assert job.state is State.SCHEDULED and job.attempt == 1
    assert [error.attempt for error in errors] == [1]
    assert errors[0].error.startswith("ConnectionError: upstream down")
    delay = policy.delay(0, key=job_id)
    assert delay is not None and job.run_at is not None and errors[0].at is not None
    assert job.run_at - errors[0].at == pytest.approx(delay, abs=0.002)


def test_attempts_follow_the_schedule_until_max_attempts_then_failed(queue: Queue) -> None:
    policy = libbackoff.constant(0.2, jitter="none", max_attempts=3)
    queue.handler("always_fails")(lambda job: 1 / 0)
    job_id = queue.enqueue("always_fails", policy=policy)
    queue.run_worker(threads=1, idle_exit=1.0, handle_signals=False)

    job = queue.get(job_id)
    errors = queue.errors(job_id)
    assert job.state is State.FAILED and job.attempt == 3
    assert [error.attempt for error in errors] == [1, 2, 3]
    assert all("ZeroDivisionError" in error.error for error in errors)
    times = [error.at for error in errors]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]  # type: ignore[operator]
    assert all(0.2 <= gap < 0.8 for gap in gaps), gaps
    assert [failed.id for failed in queue.failed()] == [job_id]


def test_permanent_fails_at_once_with_the_cause(queue: Queue) -> None:
    @queue.handler("parse")
    def parse(job: Job) -> None:
        try:
            int(job.payload)
        except ValueError as error:
            raise Permanent() from error

    job_id = queue.enqueue("parse", "not a number")
    queue.run_worker(threads=1, idle_exit=0.3, handle_signals=False)
    job = queue.get(job_id)
    assert job.state is State.FAILED and job.attempt == 1
    assert job.error.startswith("ValueError: invalid literal for int()")


def test_retry_after_sets_the_least_wait_and_the_cap_still_holds(queue: Queue) -> None:
    def throttled(job: Job) -> None:
        raise RetryAfter(float(job.payload))

    queue.handler("throttled")(throttled)
    policy = libbackoff.constant(0.01, jitter="none", cap=60)
    hinted = queue.enqueue("throttled", "5", policy=policy)
    capped = queue.enqueue("throttled", "3600", policy=policy)
    queue.run_worker(threads=1, idle_exit=0.3, handle_signals=False)
    for job_id, wait in ((hinted, 5.0), (capped, 60.0)):
        job, (error,) = queue.get(job_id), queue.errors(job_id)
        assert job.run_at - error.at == pytest.approx(wait, abs=0.002)  # type: ignore[operator]


def test_a_job_without_a_handler_is_retried_not_lost(queue: Queue) -> None:
    job_id = queue.enqueue("unknown_type", policy=libbackoff.constant(60, jitter="none"))
    queue.run_worker(threads=1, idle_exit=0.3, handle_signals=False)
    job = queue.get(job_id)
    assert job.state is State.SCHEDULED
    assert job.error == "no handler registered for type 'unknown_type'"


def test_requeue_gives_a_failed_job_a_fresh_start(queue: Queue) -> None:
    attempts: list[int] = []

    @queue.handler("once_broken")
    def once_broken(job: Job) -> None:
        attempts.append(job.attempt)
        if len(attempts) == 1:
            raise Permanent("bad input, fixed later")

    job_id = queue.enqueue("once_broken")
    queue.run_worker(threads=1, idle_exit=0.3, handle_signals=False)
    assert queue.requeue_failed() == 1
    assert queue.errors(job_id) == []
    queue.run_worker(threads=1, idle_exit=0.3, handle_signals=False)
    assert queue.get(job_id).state is State.COMPLETED
    assert attempts == [1, 1]


def test_a_queue_policy_applies_to_jobs_enqueued_after_it(queue: Queue) -> None:
    queue.set_policy(libbackoff.constant(0.05, jitter="none", max_attempts=2))
    queue.handler("bad")(lambda job: 1 / 0)
    job_id = queue.enqueue("bad")
    queue.run_worker(threads=1, idle_exit=0.5, handle_signals=False)
    job = queue.get(job_id)
    assert job.state is State.FAILED and job.attempt == 2
