"""`backoff retry --deadline`: a limit on the whole run, from the start, first attempt included."""
import pytest


@pytest.mark.parametrize("body, options, status, said", [
    # A wait that would end past the deadline is not made: the last attempt's status. A deadline is the only
    # stop given, so the attempts are unlimited (no "/5").
    ("exit 3", ["--initial", "1s", "--jitter", "none", "--deadline", "500ms"], 3,
     "attempt 1 failed with exit status 3; giving up: the next wait would pass the deadline 500ms"),
    # An attempt still running at the deadline is stopped, as by --timeout.
    ("exec sleep 30", ["--deadline", "300ms"], 124,
     "attempt 1 was stopped at the deadline; giving up: the next wait would pass the deadline 300ms"),
])
def test_the_deadline_ends_the_run_after_its_one_attempt(run, script, body, options, status, said):
    command = script(body)
    result = run("retry", *options, "--", command.path, timeout=20)
    assert (result.returncode, command.runs) == (status, 1)
    assert said in result.stderr


def test_waits_that_end_before_the_deadline_are_made(run, script):
    failing = script("exit 1")
    result = run("retry", "--initial", "10ms", "--jitter", "none", "--max-attempts", "3", "--deadline", "1m",
                 "--", failing.path)
    assert (result.returncode, failing.runs) == (1, 3)
    assert "giving up: max_attempts 3 reached" in result.stderr


def test_a_shorter_timeout_still_bounds_each_attempt(run, script):
    slow = script("exec sleep 30")
    result = run("retry", "--timeout", "100ms", "--initial", "1s", "--jitter", "none", "--deadline", "1m",
                 "--max-attempts", "1", "--", slow.path, timeout=20)
    assert result.returncode == 124
    assert "attempt 1/1 timed out after 100ms; giving up: max_attempts 1 reached" in result.stderr


@pytest.mark.parametrize("value, words", [("-1s", ["deadline", "-1s"]), ("5", ["deadline", "unit"]),
                                          ("soon", ["deadline", "soon"])])
def test_a_bad_deadline_exits_2_naming_it_and_runs_nothing(run, script, value, words):
    never = script("exit 0")
    result = run("retry", "--deadline", value, "--", never.path)
    assert result.returncode == 2
    assert never.runs == 0
    assert all(word in result.stderr for word in words), result.stderr


def test_the_help_lists_the_deadline_with_its_default(run):
    result = run("retry", "--help")
    assert result.returncode == 0
    assert "--deadline DURATION" in result.stdout
    assert "counted from the start; 0 = none (default 0)" in result.stdout
