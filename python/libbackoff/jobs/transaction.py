"""Transactional enqueue on your own DB-API connection: the job exists if and only if your transaction
commits (the seed's EnqueueTx, River's InsertTx).

    with connection:                       # sqlite3: one transaction
        cursor = connection.cursor()
        cursor.execute("INSERT INTO orders ...")
        enqueue_in(cursor, queue, "send_receipt", {"order": 42})

The statement is libbackoff_jobs's own (backoff_jobs_enqueue_statement), with its parameters bound by
your driver; on PostgreSQL it also notifies idle workers when your transaction commits.
"""

from __future__ import annotations

import sys
from typing import Any

from .queue import Payload, Queue

# DB-API paramstyle -> the library's placeholder style. Drivers that take %s (psycopg, psycopg2) say
# "pyformat" or "format"; sqlite3 says "qmark".
_PLACEHOLDER_OF_PARAMSTYLE = {"qmark": "qmark", "format": "format", "pyformat": "format", "numeric": "numeric"}


def placeholder_of(cursor: Any) -> str:
    """The placeholder style of the cursor's driver, from its module's DB-API ``paramstyle``."""
    module = sys.modules.get(type(cursor).__module__.split(".")[0])
    paramstyle = getattr(module, "paramstyle", None)
    if paramstyle not in _PLACEHOLDER_OF_PARAMSTYLE:
        raise TypeError(
            f"cursor: cannot tell the parameter style of {type(cursor).__module__}.{type(cursor).__name__} "
            f"(its module's paramstyle is {paramstyle!r}); use Queue.enqueue_statement(placeholder=...)"
        )
    return _PLACEHOLDER_OF_PARAMSTYLE[paramstyle]


def enqueue_in(cursor: Any, queue: Queue, type: str, payload: Payload = b"", **options: Any) -> int | None:
    """Enqueues a job through ``cursor``, inside its connection's current transaction; returns the job id,
    or None when a job of the store already holds ``unique_key``. Options as for :meth:`Queue.enqueue`.
    The cursor must be connected to the same database as ``queue``.
    """
    sql, params = queue.enqueue_statement(type, payload, placeholder=placeholder_of(cursor), **options)
    cursor.execute(sql, params)
    row = cursor.fetchone()
    return None if row is None else int(row[0])
