"""The stop of a `backoff retry` given none: the library's stop for a retry loop given none
(BACKOFF_FIELD_RETRY_DEFAULT, 5 attempts), and exactly the stops given otherwise."""
import json

FAST = ["--initial", "10ms", "--jitter", "none", "--kind", "constant"]


def test_a_command_given_no_stop_gives_up_after_the_library_s_5_attempts(run, script):
    failing = script("exit 7")
    result = run("retry", *FAST, "--", failing.path)
    assert (result.returncode, failing.runs) == (7, 5)
    assert "attempt 5/5 failed with exit status 7; giving up: max_attempts 5 reached" in result.stderr


def test_a_time_limit_alone_is_the_only_stop(run, script):
    # 10 ms waits within 1 s: far more than 5 attempts, and no "/5" in the progress.
    failing = script("exit 1")
    result = run("retry", *FAST, "--max-elapsed", "1s", "--", failing.path)
    assert result.returncode == 1
    assert failing.runs > 5
    assert "giving up: the next wait would pass max_elapsed 1s" in result.stderr
    assert "/5" not in result.stderr


def test_a_deadline_alone_is_the_only_stop(run, script):
    failing = script("exit 1")
    # Waits of 250 ms: about eight attempts fit in 2 s, and the last one ends long before the deadline
    # (one still running at the deadline is stopped, its run counter perhaps half written).
    result = run("retry", "--kind", "constant", "--initial", "250ms", "--jitter", "none", "--deadline", "2s",
                 "--", failing.path)
    assert failing.runs > 5, result.stderr
    assert "giving up: the next wait would pass the deadline 2s" in result.stderr


def test_max_attempts_0_retries_until_another_stop(run, script):
    # Fails 7 times, then succeeds: past the default 5 only because unlimited was asked for.
    flaky = script('[ "$run" -ge 8 ]')
    result = run("retry", *FAST, "--max-attempts", "0", "--", flaky.path)
    assert (result.returncode, flaky.runs) == (0, 8)


def test_schedule_given_no_stop_shows_the_loop_s_default(run):
    result = run("schedule", "--json", "--jitter", "none")
    assert result.returncode == 0, result.stderr
    schedule = json.loads(result.stdout)
    assert schedule["policy"]["max_attempts"] == 5
    assert schedule["max_retries"] == 4
    result = run("schedule", "--json", "--jitter", "none", "--max-elapsed", "10s")
    assert json.loads(result.stdout)["policy"]["max_attempts"] == 0


def test_the_help_says_where_the_default_comes_from(run):
    help_text = run("retry", "--help").stdout
    line = next(line for line in help_text.splitlines() if line.strip().startswith("--max-attempts "))
    assert line.endswith("(default 5)"), line
