"""A job as a worker or a listing sees it: a read-only record of the library's row."""

from __future__ import annotations

import enum
import json
from typing import Any

from .. import _jobs


class State(str, enum.Enum):
    """A job's state; the values are the library's names (held to them by the tests)."""

    SCHEDULED = "scheduled"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


_STATE_OF_VALUE = {value: State(_jobs.name_of(_jobs.ENUM_STATE, value)) for value in range(len(State))}
STATE_VALUE = {state: value for value, state in _STATE_OF_VALUE.items()}


def state_of(value: int) -> State:
    return _STATE_OF_VALUE[value]


def _seconds(ns: int) -> float | None:
    """A UNIX time in ns as float seconds; 0 (the library's "none") as None."""
    return ns / 1e9 if ns else None


class Job:
    """One job. Times are UNIX seconds (float) from the database's clock, ``None`` where they do not apply.

    ``payload`` is the bytes enqueued; :meth:`json` decodes them.
    """

    __slots__ = (
        "id",
        "queue",
        "type",
        "payload",
        "state",
        "priority",
        "attempt",
        "max_attempts",
        "lease_token",
        "run_at",
        "created_at",
        "lease_expires_at",
        "finished_at",
        "unique_key",
        "policy",
        "error",
        "worker",
    )

    def __init__(self, row: dict[str, Any]) -> None:
        self.id: int = row["id"]
        self.queue: str = row["queue"].decode()
        self.type: str = row["type"].decode()
        self.payload: bytes = row["payload"]
        self.state: State = state_of(row["state"])
        self.priority: int = row["priority"]
        self.attempt: int = row["attempt"]
        self.max_attempts: int = row["max_attempts"]
        self.lease_token: int = row["lease_token"]
        self.run_at: float | None = _seconds(row["run_at"])
        self.created_at: float | None = _seconds(row["created_at"])
        self.lease_expires_at: float | None = _seconds(row["lease_expires_at"])
        self.finished_at: float | None = _seconds(row["finished_at"])
        self.unique_key: str | None = row["unique_key"].decode() or None
        self.policy: str = row["policy"].decode()
        self.error: str = row["error"].decode()
        self.worker: str = row["worker"].decode()

    def json(self) -> Any:
        """The payload decoded as JSON."""
        return json.loads(self.payload)

    def __repr__(self) -> str:
        fields = f"id={self.id}, type={self.type!r}, queue={self.queue!r}, state={self.state.value!r}"
        return f"Job({fields}, attempt={self.attempt})"


class AttemptError:
    """One failed attempt of a job, as kept by the store."""

    __slots__ = ("attempt", "at", "error")

    def __init__(self, row: dict[str, Any]) -> None:
        self.attempt: int = row["attempt"]
        self.at: float | None = _seconds(row["error_at"])
        self.error: str = row["error"].decode()

    def __repr__(self) -> str:
        return f"AttemptError(attempt={self.attempt}, error={self.error!r})"
