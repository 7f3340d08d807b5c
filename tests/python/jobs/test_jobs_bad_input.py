"""Bad input gets an error naming the parameter and the value, and changes nothing."""

from __future__ import annotations

import pytest

from libbackoff import _jobs
from libbackoff.jobs import JobNotFound, JobsValueError, Queue, StoreError, WrongState


def test_an_unknown_url_scheme_is_refused(tmp_path: object) -> None:
    with pytest.raises(JobsValueError, match="ftp"):
        Queue("ftp://example.com/jobs")


def test_an_unreachable_postgresql_is_a_store_error() -> None:
    with pytest.raises(StoreError):
        Queue("postgresql://postgres@127.0.0.1:1/nothing?connect_timeout=2")


def test_an_oversized_payload_is_refused_and_nothing_is_enqueued(queue: Queue) -> None:
    limit = _jobs.limit("max_payload")
    with pytest.raises(JobsValueError, match=f"payload_size.*{limit}"):
        queue.enqueue("big", b"x" * (limit + 1))
    assert queue.stats() == {}


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"priority": 40000}, "priority"),
        ({"max_attempts": -1}, "max_attempts"),
        ({"unique_key": ""}, "unique_key"),
        ({"queue": ""}, "queue"),
        ({"delay": -1}, "delay"),
    ],
)
def test_bad_options_name_themselves(queue: Queue, options: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        queue.enqueue("job", **options)  # type: ignore[arg-type]
    assert queue.stats() == {}


def test_an_unknown_job_is_not_found(queue: Queue) -> None:
    with pytest.raises(JobNotFound):
        queue.get(123456)
    with pytest.raises(JobNotFound):
        queue.cancel(123456)


def test_requeue_of_a_scheduled_job_is_the_wrong_state(queue: Queue) -> None:
    job_id = queue.enqueue("job")
    with pytest.raises(WrongState, match="scheduled"):
        queue.requeue(job_id)


def test_an_unknown_state_name_is_refused(queue: Queue) -> None:
    with pytest.raises(ValueError, match="done"):
        queue.list(state="done")


def test_worker_arguments_are_checked(queue: Queue) -> None:
    with pytest.raises(ValueError, match="threads"):
        queue.run_worker(threads=0, handle_signals=False)
    with pytest.raises(ValueError, match="lease"):
        queue.run_worker(lease=0, idle_exit=0.1, handle_signals=False)
