"""A job goes in, a worker runs it, the store says completed: on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

from libbackoff.jobs import Job, Queue, State


def test_a_worker_runs_each_job_once_with_its_payload(queue: Queue) -> None:
    seen: list[tuple[int, bytes, int]] = []

    @queue.handler("echo")
    def echo(job: Job) -> None:
        seen.append((job.id, job.payload, job.attempt))

    ids = [queue.enqueue("echo", f"payload {n}") for n in range(20)]
    handled = queue.run_worker(threads=2, idle_exit=0.5, handle_signals=False)

    assert handled == 20
    assert sorted(seen) == [(job_id, f"payload {n}".encode(), 1) for n, job_id in enumerate(ids)]
    assert queue.stats() == {"default": {State.COMPLETED: 20}}
    job = queue.get(ids[0])
    assert job.state is State.COMPLETED and job.finished_at is not None and job.error == ""


def test_json_payloads_round_trip(queue: Queue) -> None:
    job_id = queue.enqueue("mail", {"to": "ada@example.com", "n": [1, 2]})
    assert queue.get(job_id).json() == {"to": "ada@example.com", "n": [1, 2]}


def test_jobs_go_to_their_queue_and_lower_priority_runs_first(queue: Queue) -> None:
    order: list[str] = []
    queue.handler("step")(lambda job: order.append(job.payload.decode()))
    queue.enqueue("step", "late", priority=5)
    queue.enqueue("step", "early", priority=-5)
    queue.enqueue("step", "elsewhere", queue="other")
    queue.run_worker(threads=1, batch=1, idle_exit=0.3, handle_signals=False)
    assert order == ["early", "late"]
    assert queue.stats(queue="other") == {"other": {State.SCHEDULED: 1}}


def test_a_unique_key_enqueues_once(queue: Queue) -> None:
    first = queue.enqueue("report", "a", unique_key="report-2026-12-06")
    second = queue.enqueue("report", "b", unique_key="report-2026-12-06")
    assert first == second
    assert queue.get(first).payload == b"a"
    assert queue.stats()["default"] == {State.SCHEDULED: 1}


def test_a_delayed_job_waits_for_its_run_time(queue: Queue) -> None:
    job_id = queue.enqueue("later", delay=30)
    job = queue.get(job_id)
    assert job.run_at is not None and job.created_at is not None
    assert 29.9 < job.run_at - job.created_at < 30.1
    ran = threading.Event()
    queue.handler("later")(lambda job: ran.set())
    queue.run_worker(threads=1, idle_exit=0.3, handle_signals=False)
    assert not ran.is_set()


def test_admin_cancel_requeue_purge(queue: Queue) -> None:
    cancelled = queue.enqueue("x")
    queue.cancel(cancelled)
    assert queue.get(cancelled).state is State.CANCELLED
    queue.requeue(cancelled)
    assert queue.get(cancelled).state is State.SCHEDULED
    queue.handler("x")(lambda job: None)
    queue.run_worker(threads=1, idle_exit=0.3, handle_signals=False)
    assert queue.purge(State.COMPLETED) == 1
    assert queue.stats() == {}


def test_state_names_are_the_librarys() -> None:
    from libbackoff import _jobs

    assert [state.value for state in State] == [_jobs.name_of(_jobs.ENUM_STATE, value) for value in range(5)]
