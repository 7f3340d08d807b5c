"""libbackoff.jobs: durable retries. A job queue on SQLite (embedded, the default) or PostgreSQL whose
retries libbackoff's engine decides: a failed job runs again after its policy's delay for its attempt,
keyed by the job id, the same on every worker and in every language.

    from libbackoff.jobs import Queue, Permanent

    queue = Queue("jobs.db")                      # or Queue("postgresql://user@host/db")

    @queue.handler("send_mail")
    def send_mail(job):
        deliver(job.json())                       # raise to retry; raise Permanent(...) to give up

    queue.enqueue("send_mail", {"to": "ada@example.com"})
    queue.run_worker(threads=4)                   # or: await queue.work(concurrency=10)

Guarantees (libbackoff_jobs's, see docs/jobs.md): at-least-once (a job whose worker dies is reclaimed when
its lease expires), fenced leases (a stale worker cannot finish a job another holds), every failed
attempt's error kept until the job is requeued or purged.
"""

from __future__ import annotations

from .errors import (
    JobNotFound,
    JobsError,
    JobsTypeError,
    JobsValueError,
    Permanent,
    RetryAfter,
    SchemaError,
    StaleLease,
    StoreError,
    WrongState,
)
from .job import AttemptError, Job, State
from .queue import Queue

__all__ = [
    "AttemptError",
    "Job",
    "JobNotFound",
    "JobsError",
    "JobsTypeError",
    "JobsValueError",
    "Permanent",
    "Queue",
    "RetryAfter",
    "SchemaError",
    "StaleLease",
    "State",
    "StoreError",
    "WrongState",
]
