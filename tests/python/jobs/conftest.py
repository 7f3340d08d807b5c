"""Stores for the libbackoff.jobs tests: a fresh SQLite file, and a fresh database on a real PostgreSQL.

PostgreSQL comes from scripts/pg-cluster, which exports BACKOFF_TEST_PG_URL. scripts/test-jobs-front also
sets BACKOFF_JOBS_REQUIRE_PG=1, and then a missing URL FAILS every PostgreSQL test. A plain
`pytest tests/python` without a cluster SKIPS them, saying so: those runs test SQLite only.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from libbackoff.jobs import Queue

PG_URL = os.environ.get("BACKOFF_TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("BACKOFF_JOBS_REQUIRE_PG") == "1"


def require_pg() -> str:
    if PG_URL:
        return PG_URL
    if REQUIRE_PG:
        pytest.fail("BACKOFF_TEST_PG_URL is not set, but BACKOFF_JOBS_REQUIRE_PG=1: start scripts/pg-cluster")
    pytest.skip("no PostgreSQL: BACKOFF_TEST_PG_URL is unset (scripts/test-jobs-front runs these tests)")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL of a database of its own on the test cluster, dropped afterwards."""
    base = require_pg()
    import psycopg  # only where a cluster runs: scripts/test-jobs-front installs it

    name = "jobs_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(base)
    yield urlunsplit(parts._replace(path="/" + name))
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "jobs.db")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest) -> str:
    """Each test that takes `url` runs on both stores."""
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


@pytest.fixture
def queue(url: str) -> Iterator[Queue]:
    with Queue(url) as queue:
        yield queue
