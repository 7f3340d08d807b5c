"""`backoff retry --log json`: one JSON object per attempt on stderr, and the "still waiting" lines a
long wait prints when stderr is not a terminal (text and JSON)."""
import datetime
import json
import os
import re
import signal
import subprocess
import time

import pytest

FAST = ["--initial", "10ms", "--jitter", "none"]
ATTEMPT_KEYS = ["event", "attempt", "max_attempts", "status", "exit_status", "signal", "signal_text", "timed_out",
                "output_matched", "duration_ns", "decision", "reason", "wait_ns"]


def events(stderr):
    """The JSON lines of stderr, in order; every line backoff writes must parse (the commands in these
    tests write nothing to stderr themselves)."""
    return [json.loads(line) for line in stderr.splitlines()]


def test_each_attempt_is_one_json_line_with_its_status_duration_and_wait(run, script):
    flaky = script('sleep 0.2; [ "$run" -ge 3 ]')
    result = run("retry", *FAST, "--log", "json", "--", flaky.path)
    assert result.returncode == 0
    lines = events(result.stderr)
    assert [list(line) for line in lines] == [ATTEMPT_KEYS] * 3
    assert [(line["attempt"], line["max_attempts"], line["status"], line["exit_status"], line["decision"],
             line["wait_ns"]) for line in lines] == [
        (1, 5, 1, 1, "retry", 10_000_000),
        (2, 5, 1, 1, "retry", 20_000_000),
        (3, 5, 0, 0, "succeeded", None),
    ]
    assert all(200_000_000 <= line["duration_ns"] < 10_000_000_000 for line in lines)
    assert all(line["signal"] is None and line["timed_out"] is False for line in lines)


def test_giving_up_names_the_limit_that_ended_the_retries(run, script):
    failing = script("exit 3")
    result = run("retry", *FAST, "--max-attempts", "2", "--log", "json", "--", failing.path)
    assert result.returncode == 3
    assert [(line["decision"], line["reason"], line["wait_ns"]) for line in events(result.stderr)] == [
        ("retry", None, 10_000_000),
        ("gave_up", "max_attempts", None),
    ]


def test_an_attempt_not_retried_says_why(run, script):
    failing = script("exit 3")
    result = run("retry", *FAST, "--permanent", "3", "--log", "json", "--", failing.path)
    (line,) = events(result.stderr)
    assert (line["status"], line["decision"], line["reason"]) == (3, "not_retried", "permanent_status")


def test_a_killed_attempt_reports_its_signal_and_no_exit_status(run, script):
    killed = script("kill -9 $$")
    result = run("retry", *FAST, "--max-attempts", "1", "--log", "json", "--", killed.path)
    (line,) = events(result.stderr)
    assert (line["status"], line["exit_status"], line["signal"]) == (128 + 9, None, 9)
    assert line["signal_text"] == "Killed"


def test_a_timed_out_attempt_is_marked(run, script):
    slow = script("sleep 5")
    result = run("retry", *FAST, "--max-attempts", "1", "--timeout", "100ms", "--log", "json", "--", slow.path)
    (line,) = events(result.stderr)
    assert (line["status"], line["timed_out"]) == (124, True)
    assert 100_000_000 <= line["duration_ns"] < 5_000_000_000


def test_log_text_is_the_default_and_anything_else_is_refused(run, script):
    failing = script("exit 1")
    text = run("retry", *FAST, "--max-attempts", "2", "--log", "text", "--", failing.path)
    assert text.stderr.startswith("backoff: attempt 1/2 failed with exit status 1; retrying in 10ms\n")
    refused = run("retry", "--log", "xml", "--", failing.path)
    assert refused.returncode == 2
    assert "backoff: log: expected text or json (got 'xml')" in refused.stderr
    assert failing.runs == 2


def next_attempt_at(stderr_line, pattern):
    """The HH:MM:SS a "still waiting" line announces, as today's UTC datetime."""
    clock = re.search(pattern, stderr_line).group(1)
    today = datetime.datetime.now(datetime.timezone.utc)
    return datetime.datetime.combine(today.date(), datetime.time.fromisoformat(clock), datetime.timezone.utc)


@pytest.mark.parametrize("log", ["text", "json"])
def test_a_long_wait_says_it_is_still_waiting_and_when_the_next_attempt_starts(run, script, log):
    flaky = script('[ "$run" -ge 2 ]')
    started = datetime.datetime.now(datetime.timezone.utc)
    result = run("retry", "--initial", "6s", "--jitter", "none", "--log", log, "--", flaky.path,
                 env={**os.environ, "TZ": "UTC"})
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    if log == "text":
        assert lines[0] == "backoff: attempt 1/5 failed with exit status 1; retrying in 6s"
        (waiting,) = [line for line in lines if "still waiting" in line]
        assert re.fullmatch(r"backoff: still waiting, next attempt at \d\d:\d\d:\d\d", waiting)
        at = next_attempt_at(waiting, r"at (\S+)$")
    else:
        (waiting,) = [line for line in events(result.stderr) if line["event"] == "waiting"]
        assert waiting["attempt"] == 1
        assert 0 < waiting["left_ns"] <= 1_000_000_000 + 100_000_000  # printed 5 s into the 6 s wait
        at = next_attempt_at(waiting["next_attempt_at"], r"(.+)")
    expected = started + datetime.timedelta(seconds=6)
    assert abs((at - expected).total_seconds()) <= 2 or abs((at - expected).total_seconds()) >= 86400 - 2


def test_a_short_wait_prints_no_still_waiting_line(run, script):
    failing = script("exit 1")
    result = run("retry", *FAST, "--max-attempts", "3", "--", failing.path)
    assert "still waiting" not in result.stderr


def test_a_signal_during_a_wait_is_a_json_line_too(cli, script):
    failing = script("exit 1")
    command = [cli, "retry", "--initial", "30s", "--jitter", "none", "--log", "json", "--", failing.path]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True) as process:
        first = json.loads(process.stderr.readline())
        assert (first["decision"], first["wait_ns"]) == ("retry", 30_000_000_000)
        time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        rest = process.stderr.read()
        assert process.wait(timeout=10) == -signal.SIGTERM
    (line,) = events(rest)
    assert (line["event"], line["attempt"], line["signal"]) == ("interrupted", 1, signal.SIGTERM)


def test_a_signal_during_an_attempt_ends_its_json_line_as_interrupted(cli, script):
    slow = script("sleep 30")
    command = [cli, "retry", *FAST, "--log", "json", "--", slow.path]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True) as process:
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        stderr = process.stderr.read()
        assert process.wait(timeout=10) == -signal.SIGTERM
    (line,) = events(stderr)
    assert (line["event"], line["attempt"], line["decision"], line["signal"]) == (
        "attempt", 1, "interrupted", signal.SIGTERM)
    assert line["wait_ns"] is None
