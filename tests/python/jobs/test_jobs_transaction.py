"""Transactional enqueue on the caller's own DB-API connection: the job exists if and only if the
caller's transaction commits (sqlite3 on the SQLite store, psycopg on PostgreSQL)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from libbackoff.jobs import Queue, State


def sqlite_connection(url: str) -> Any:
    connection = sqlite3.connect(url, isolation_level=None)  # explicit BEGIN/COMMIT below
    connection.execute("PRAGMA busy_timeout = 10000")
    return connection


def pg_connection(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


@pytest.fixture
def connect(url: str) -> Callable[[str], Any]:
    return pg_connection if url.startswith("postgresql") else sqlite_connection


def test_commit_keeps_the_job_with_the_callers_row(queue: Queue, connect: Callable[[str], Any]) -> None:
    connection = connect(queue.url)
    cursor = connection.cursor()
    cursor.execute("CREATE TABLE orders (id integer primary key, item text)")
    cursor.execute("BEGIN")
    cursor.execute("INSERT INTO orders (id, item) VALUES (1, 'book')")
    job_id = queue.enqueue_in(cursor, "receipt", {"order": 1}, priority=3)
    cursor.execute("COMMIT")
    connection.close()

    assert job_id is not None
    job = queue.get(job_id)
    assert (job.type, job.json(), job.priority, job.state) == ("receipt", {"order": 1}, 3, State.SCHEDULED)
    done: list[int] = []
    queue.handler("receipt")(lambda job: done.append(job.id))
    queue.run_worker(threads=1, idle_exit=0.3, handle_signals=False)
    assert done == [job_id]


def test_rollback_leaves_no_job(queue: Queue, connect: Callable[[str], Any]) -> None:
    connection = connect(queue.url)
    cursor = connection.cursor()
    cursor.execute("BEGIN")
    assert queue.enqueue_in(cursor, "receipt", b"x") is not None
    cursor.execute("ROLLBACK")
    connection.close()
    assert queue.stats() == {}
    assert queue.list() == []


def test_a_taken_unique_key_inserts_nothing_and_returns_none(queue: Queue, connect: Callable[[str], Any]) -> None:
    queue.enqueue("receipt", unique_key="order-7")
    connection = connect(queue.url)
    cursor = connection.cursor()
    cursor.execute("BEGIN")
    assert queue.enqueue_in(cursor, "receipt", unique_key="order-7") is None
    cursor.execute("COMMIT")
    connection.close()
    assert len(queue.list()) == 1


def test_a_cursor_of_unknown_style_is_refused(queue: Queue) -> None:
    class Cursor:
        def execute(self, sql: str, params: object) -> None: ...

    with pytest.raises(TypeError, match="cannot tell the parameter style"):
        queue.enqueue_in(Cursor(), "receipt")
