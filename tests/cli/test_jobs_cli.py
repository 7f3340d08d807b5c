"""`backoff jobs` end to end: the real binary on a real SQLite file and a real PostgreSQL database.

PostgreSQL comes from scripts/pg-cluster (BACKOFF_TEST_PG_URL). With BACKOFF_JOBS_REQUIRE_PG=1 (as
scripts/test-jobs-front sets it) a missing cluster FAILS the PostgreSQL cases; a plain pytest run without
one SKIPS them and says so.
"""
import json
import os
import signal
import subprocess
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

PG_URL = os.environ.get("BACKOFF_TEST_PG_URL", "")


@pytest.fixture
def pg_store():
    if not PG_URL:
        if os.environ.get("BACKOFF_JOBS_REQUIRE_PG") == "1":
            pytest.fail("BACKOFF_TEST_PG_URL is not set, but BACKOFF_JOBS_REQUIRE_PG=1: start scripts/pg-cluster")
        pytest.skip("no PostgreSQL: BACKOFF_TEST_PG_URL is unset (scripts/test-jobs-front runs these tests)")
    import psycopg

    name = "cli_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(PG_URL)._replace(path="/" + name))
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    return str(tmp_path / "jobs.db") if request.param == "sqlite" else request.getfixturevalue("pg_store")


@pytest.fixture
def jobs(run, store):
    """Runs `backoff jobs SUBCOMMAND --store STORE ARGS...`."""

    def run_jobs(subcommand, *args, **kwargs):
        return run("jobs", subcommand, "--store", store, *args, **kwargs)

    return run_jobs


def listed(jobs, *args):
    result = jobs("list", "--json", *args)
    assert result.returncode == 0, result.stderr
    return {job["id"]: job for job in json.loads(result.stdout)}


def test_migrate_reports_the_schema_version(jobs):
    result = jobs("migrate", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["schema_version"] >= 1
    again = jobs("migrate")
    assert again.returncode == 0 and "schema version" in again.stdout


def test_work_runs_the_command_with_the_payload_on_stdin(jobs, tmp_path):
    out = tmp_path / "out"
    ids = [int(jobs("enqueue", "greet", f"hello {n}").stdout) for n in range(3)]
    result = jobs(
        "work", "--idle-exit", "500ms", "--json", "--",
        "sh", "-c", f'{{ cat; echo " $BACKOFF_JOB_ID $BACKOFF_JOB_TYPE $BACKOFF_JOB_ATTEMPT"; }} >> {out}',
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["outcome"] for line in lines[:-1]] == ["success"] * 3
    assert lines[-1] == {"handled": 3, "snoozed": 0}
    assert sorted(out.read_text().splitlines()) == [f"hello {n} {job_id} greet 1" for n, job_id in enumerate(ids)]
    assert {job["state"] for job in listed(jobs).values()} == {"completed"}


def test_a_failing_command_is_retried_by_the_policy_then_failed_with_its_stderr(jobs):
    job_id = int(jobs("enqueue", "flaky", "--max-attempts", "3", "--initial", "100ms", "--jitter", "none").stdout)
    result = jobs("work", "--idle-exit", "1s", "--", "sh", "-c", "echo disk full >&2; exit 3")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("retryable") == 3
    job = listed(jobs)[job_id]
    assert (job["state"], job["attempt"]) == ("failed", 3)
    assert job["error"] == "exit status 3\ndisk full\n"
    failed = jobs("failed")
    assert f"{job_id}" in failed.stdout and "exit status 3" in failed.stdout


def test_the_permanent_exit_status_fails_at_once_and_requeue_runs_it_again(jobs, tmp_path):
    flag = tmp_path / "fixed"
    job_id = int(jobs("enqueue", "parse", "x").stdout)
    command = ["sh", "-c", f"[ -e {flag} ] || exit 100"]
    assert jobs("work", "--idle-exit", "300ms", "--quiet", "--", *command).returncode == 0
    assert listed(jobs)[job_id]["state"] == "failed"
    flag.touch()
    requeued = jobs("requeue", str(job_id), "--json")
    assert json.loads(requeued.stdout) == {"requeued": 1}
    assert jobs("work", "--idle-exit", "300ms", "--quiet", "--", *command).returncode == 0
    assert listed(jobs)[job_id]["state"] == "completed"


def test_breaker_snoozes_a_failing_type_with_its_attempts_unspent(jobs, tmp_path):
    down = [int(jobs("enqueue", "down", "--initial", "1h").stdout) for _ in range(3)]
    up = int(jobs("enqueue", "up").stdout)
    command = ["sh", "-c", '[ "$BACKOFF_JOB_TYPE" = up ]']
    result = jobs(
        "work", "--breaker", "failure_threshold=2", "--breaker", "open_duration=1h", "--idle-exit", "300ms",
        "--json", "--", *command,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {"handled": 3, "snoozed": 1}
    assert "snoozed 1 (their type's breaker was open)" in result.stderr
    jobs_now = listed(jobs)
    assert [jobs_now[job_id]["attempt"] for job_id in down] == [1, 1, 0]
    assert (jobs_now[down[2]]["state"], jobs_now[down[2]]["error"]) == ("scheduled", "")
    assert jobs_now[up]["state"] == "completed"


def test_a_slow_command_keeps_its_lease_by_heartbeats(jobs):
    job_id = int(jobs("enqueue", "slow").stdout)
    result = jobs("work", "--lease", "300ms", "--max-jobs", "1", "--", "sleep", "1.2")
    assert result.returncode == 0, result.stderr
    job = listed(jobs)[job_id]
    assert (job["state"], job["attempt"]) == ("completed", 1)


def test_timeout_kills_the_command_and_counts_a_failed_attempt(jobs):
    job_id = int(jobs("enqueue", "stuck", "--initial", "1h").stdout)
    result = jobs("work", "--timeout", "200ms", "--max-jobs", "1", "--", "sleep", "30", timeout=20)
    assert result.returncode == 0, result.stderr
    job = listed(jobs)[job_id]
    assert job["state"] == "scheduled" and job["error"].startswith("timed out after 200ms")


def test_sigterm_finishes_the_running_job_then_exits_0(jobs, cli, store, tmp_path):
    started = tmp_path / "started"
    first = int(jobs("enqueue", "slow").stdout)
    second = int(jobs("enqueue", "slow").stdout)
    worker = subprocess.Popen(
        [cli, "jobs", "work", "--store", store, "--", "sh", "-c", f"touch {started}; sleep 1"],
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while not started.exists():
        assert worker.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=20) == 0
    states = {job_id: job["state"] for job_id, job in listed(jobs).items()}
    assert states == {first: "completed", second: "scheduled"}


def test_kill_9_of_a_worker_its_job_runs_again_after_the_lease(jobs, cli, store, tmp_path):
    started = tmp_path / "started"
    job_id = int(jobs("enqueue", "victim", "--initial", "10ms", "--jitter", "none").stdout)
    worker = subprocess.Popen(
        [cli, "jobs", "work", "--store", store, "--lease", "1s", "--", "sh", "-c", f"touch {started}; sleep 60"],
        stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 20
    while not started.exists():
        assert worker.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(worker.pid, signal.SIGKILL)  # the worker and its job's command, as a crashed machine would
    worker.wait()
    result = jobs("work", "--idle-exit", "3s", "--quiet", "--", "true")
    assert result.returncode == 0, result.stderr
    job = listed(jobs)[job_id]
    assert (job["state"], job["attempt"]) == ("completed", 2)


def test_unique_keys_stats_and_purge(jobs):
    first = json.loads(jobs("enqueue", "report", "--unique-key", "r1", "--json").stdout)
    second = json.loads(jobs("enqueue", "report", "--unique-key", "r1", "--json").stdout)
    assert first["inserted"] is True and second == {"id": first["id"], "inserted": False}
    jobs("enqueue", "other", "--queue", "q2")
    stats = json.loads(jobs("stats", "--json").stdout)
    assert sorted((row["queue"], row["state"], row["count"]) for row in stats) == [
        ("default", "scheduled", 1), ("q2", "scheduled", 1)]
    assert jobs("work", "--idle-exit", "300ms", "--quiet", "--", "true").returncode == 0
    purged = jobs("purge", "--json")
    assert json.loads(purged.stdout) == {"purged": 1}
    assert "QUEUE" in jobs("stats").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["enqueue", "t", "--priority", "99999"], "priority"),
        (["enqueue", "t", "--multiplier", "0.5"], "multiplier"),
        (["enqueue"], "TYPE"),
        (["list", "--state", "done"], "done"),
        (["purge", "--state", "scheduled"], "state"),
        (["requeue"], "--all-failed"),
        (["work", "--batch", "x", "--", "true"], "--batch"),
        (["work", "--breaker", "failure_threshold", "--", "true"], "--breaker"),
        (["work", "--breaker", "failure_threshold=0", "--", "true"], "failure_threshold"),
        (["work", "--breaker", "colour=red", "--", "true"], "colour"),
        (["stats", "extra"], "unexpected argument"),
    ],
)
def test_bad_input_is_a_usage_error_naming_it_and_changes_nothing(jobs, args, message):
    jobs("migrate")
    result = jobs(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert listed(jobs) == {}


def test_an_oversized_payload_file_is_refused(jobs, tmp_path):
    big = tmp_path / "big"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    result = jobs("enqueue", "big", "--payload-file", str(big))
    assert result.returncode == 2 and "payload_size" in result.stderr
    assert listed(jobs) == {}


def test_an_unknown_store_scheme_and_a_missing_command(run, jobs):
    result = run("jobs", "stats", "--store", "ftp://example.com/x")
    assert result.returncode == 2 and "ftp" in result.stderr
    jobs("enqueue", "t")
    missing = jobs("work", "--idle-exit", "1s", "--", "/nonexistent/command")
    assert missing.returncode == 127 and "cannot run '/nonexistent/command'" in missing.stderr


def test_requeue_of_an_unknown_job_is_a_store_error(jobs):
    jobs("migrate")
    result = jobs("requeue", "424242")
    assert result.returncode == 3 and "424242" in result.stderr
