"""Transactional enqueue on your own DB-API connection (:meth:`Queue.enqueue_in`): the job exists if
and only if your transaction commits (the seed's EnqueueTx, River's InsertTx).

    with connection:                       # sqlite3: one transaction
        cursor = connection.cursor()
        cursor.execute("INSERT INTO orders ...")
        queue.enqueue_in(cursor, "send_receipt", {"order": 42})

The statement is libbackoff_jobs's own (backoff_jobs_enqueue_statement), with its parameters bound by
your driver; on PostgreSQL it also notifies idle workers when your transaction commits.
"""

from __future__ import annotations

import sys
from typing import Any

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
