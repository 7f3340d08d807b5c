"""`backoff retry --stop-when`: with --max-attempts and --max-elapsed both set, give up at the first reached
(any, the default) or only once both are (all); the option comes from the library's parameter table."""
import json

import pytest

FIXED = ["--kind", "constant", "--initial", "50ms", "--jitter", "none"]


@pytest.mark.parametrize("limits", [
    ["--max-attempts", "2", "--max-elapsed", "400ms"],  # by default the first limit reached ends the run
    ["--max-attempts", "2", "--stop-when", "all"],  # all with only max_attempts set is max_attempts
])
def test_max_attempts_ends_the_run_by_default_or_when_it_is_the_only_limit(run, script, limits):
    failing = script("exit 1")
    result = run("retry", *FIXED, *limits, "--", failing.path)
    assert (result.returncode, failing.runs) == (1, 2)
    assert "attempt 2/2 failed with exit status 1; giving up: max_attempts 2 reached" in result.stderr


def test_all_goes_on_past_max_attempts_until_max_elapsed_is_reached_too(run, script):
    failing = script("exit 1")
    result = run("retry", *FIXED, "--max-attempts", "2", "--max-elapsed", "400ms", "--stop-when", "all",
                 "--", failing.path)
    # Waits of 50 ms from the first failure: about eight fit in 400 ms; process start-up takes some of it.
    assert result.returncode == 1
    assert 3 <= failing.runs <= 9, result.stderr
    assert "/2 " not in result.stderr  # the 2 attempts do not end the run, so no "attempt 3/2"
    assert (f"attempt {failing.runs} failed with exit status 1; giving up: max_attempts reached and the next "
            "wait would pass max_elapsed 400ms") in result.stderr


def test_the_deadline_still_ends_the_run_under_all(run, script):
    failing = script("exit 1")
    # Waits of 2 s: the second attempt starts at about 2 s and has a second to end before the 3 s deadline
    # (an attempt still running at the deadline is stopped, exit 124), even on a loaded machine.
    result = run("retry", "--kind", "constant", "--initial", "2s", "--jitter", "none", "--max-attempts", "2",
                 "--max-elapsed", "1h", "--stop-when", "all", "--deadline", "3s", "--", failing.path)
    assert (result.returncode, failing.runs) == (1, 2), result.stderr
    assert "giving up: the next wait would pass the deadline 3s" in result.stderr


@pytest.mark.parametrize("value", ["both", "ALL", "1", ""])
def test_a_bad_rule_exits_2_naming_the_option_and_runs_nothing(run, script, value):
    never = script("exit 0")
    result = run("retry", "--stop-when", value, "--", never.path)
    assert (result.returncode, never.runs) == (2, 0)
    assert "stop_when" in result.stderr, result.stderr


def test_the_help_lists_the_rule_with_its_choices_and_default(run):
    result = run("retry", "--help")
    assert result.returncode == 0
    assert "--stop-when STOP_WHEN" in result.stdout
    assert "give up at the first reached or once both are: any, all (default any)" in result.stdout


def test_schedule_under_all_shows_the_retries_past_max_attempts_until_max_elapsed(run):
    result = run("schedule", "--kind", "constant", "--initial", "1s", "--jitter", "none", "--max-attempts", "3",
                 "--max-elapsed", "5s", "--stop-when", "all")
    assert result.returncode == 0, result.stderr
    assert "max_attempts 3, max_elapsed 5s, stop_when all" in result.stdout
    assert "then gives up: retry 6's wait would end past max_elapsed 5s" in result.stdout
    assert "worst-case total wait: 5s (max_elapsed)" in result.stdout


def test_schedule_under_all_makes_the_attempts_waits_whatever_max_elapsed_says(run):
    result = run("schedule", "--json", "--kind", "constant", "--initial", "1s", "--jitter", "none",
                 "--max-attempts", "8", "--max-elapsed", "3s", "--stop-when", "all")
    assert result.returncode == 0, result.stderr
    schedule = json.loads(result.stdout)
    assert schedule["policy"]["stop_when"] == "all"
    assert [row["retry"] for row in schedule["retries"]] == list(range(1, 8))
    assert schedule["end"] == "max_elapsed"
    assert schedule["worst_case_total_ns"] == 7_000_000_000
    assert schedule["worst_case_total_is_max_elapsed"] is False
