"""`backoff retry`: which outcomes are retried, what it prints, and which status it exits with."""
import os
import pty
import re
import subprocess

import pytest

FAST = ["--initial", "10ms", "--jitter", "none"]


def test_a_command_that_fails_twice_then_succeeds_is_run_three_times_and_exits_0(run, script):
    flaky = script('echo "out $run"; echo "err $run" >&2; [ "$run" -ge 3 ]')
    result = run("retry", *FAST, "--stream", "--", flaky.path)
    assert result.returncode == 0
    assert flaky.runs == 3
    assert result.stdout == "out 1\nout 2\nout 3\n"
    assert "err 1" in result.stderr and "err 3" in result.stderr
    assert "attempt 1/5 failed with exit status 1; retrying in 10ms" in result.stderr
    assert "attempt 2/5 failed with exit status 1; retrying in 20ms" in result.stderr
    assert "attempt 3/5 succeeded" in result.stderr


def test_a_first_success_runs_once_and_prints_no_progress(run, script):
    ok = script("exit 0")
    result = run("retry", *FAST, "--", ok.path)
    assert (result.returncode, ok.runs, result.stderr) == (0, 1, "")


def test_max_elapsed_counts_real_time_and_stops_before_a_wait_that_would_pass_it(run, script):
    # Waits of 100ms then 200ms: the second wait would end past 300ms, since the attempts take time too.
    failing = script("exit 1")
    result = run("retry", "--initial", "100ms", "--jitter", "none", "--max-attempts", "0",
                 "--max-elapsed", "300ms", "--", failing.path)
    assert result.returncode == 1
    assert failing.runs == 2
    assert "attempt 2 failed with exit status 1; giving up: the next wait would pass max_elapsed 300ms" \
        in result.stderr


def test_retry_on_limits_retries_to_the_listed_statuses(run, script):
    fails_with_run_number = script('exit $((run + 1))')  # 2, 3, 4, ...
    result = run("retry", *FAST, "--retry-on", "2", "--retry-on", "3,200-210", "--", fails_with_run_number.path)
    assert result.returncode == 4
    assert fails_with_run_number.runs == 3
    assert "not retrying: 4 is not a --retry-on status" in result.stderr


def test_output_matching_retries_even_a_zero_exit_and_passes_the_output_through(run, script):
    busy = script('if [ "$run" -lt 3 ]; then echo "server busy, try again"; else echo done; fi; '
                  'echo "log $run" >&2')
    result = run("retry", *FAST, "--stream", "--retry-if-output", "try (again|later)", "--", busy.path)
    assert result.returncode == 0
    assert busy.runs == 3
    assert result.stdout == "server busy, try again\nserver busy, try again\ndone\n"
    assert all(f"log {n}" in result.stderr for n in (1, 2, 3))
    assert "attempt 1/5 exited 0 but its output matched --retry-if-output" in result.stderr


# One attempt script, the options, then what backoff must end with: (exit status, runs) and a line it prints.
OUTCOMES = [
    pytest.param("exit 7", ["--max-attempts", "3"],
                 (7, 3), "attempt 3/3 failed with exit status 7; giving up: max_attempts 3 reached",
                 id="giving_up_after_max_attempts_exits_with_the_last_status"),
    pytest.param("exit 3", ["--permanent", "3,4"],
                 (3, 1), "not retrying: 3 is a --permanent status", id="a_permanent_status_is_not_retried"),
    pytest.param('[ "$run" -ge 2 ] || echo "503 Service Unavailable" >&2; exit 0', ["--retry-if-output", "^503 "],
                 (0, 2), None, id="output_matching_sees_stderr_too"),
    pytest.param('echo "404 Not Found"; exit 22', ["--retry-if-output", "^503 "],
                 (22, 1), "not retrying: the output did not match --retry-if-output",
                 id="without_a_match_a_failure_is_not_retried_when_only_the_output_decides"),
    pytest.param('echo "try again"', ["--max-attempts", "2", "--retry-if-output", "again"],
                 (75, 2), None, id="giving_up_on_a_matching_zero_exit_exits_75"),
    pytest.param("kill -9 $$", ["--max-attempts", "2"],
                 (137, 2), "was killed by signal 9",
                 id="an_attempt_killed_by_a_signal_is_retried_and_reported_as_128_plus_the_signal"),
]


@pytest.mark.parametrize("body, options, status_and_runs, said", OUTCOMES)
def test_an_outcome_is_retried_or_not_and_sets_the_exit_status(run, script, body, options, status_and_runs, said):
    attempt = script(body)
    result = run("retry", *FAST, *options, "--", attempt.path)
    assert (result.returncode, attempt.runs) == status_and_runs
    if said is not None:
        assert said in result.stderr


def test_a_missing_command_exits_127_without_retrying(run, tmp_path):
    result = run("retry", *FAST, "--", str(tmp_path / "no-such-command"))
    assert result.returncode == 127
    assert "cannot run" in result.stderr and "No such file or directory" in result.stderr
    assert "attempt 2" not in result.stderr


def test_a_command_that_is_not_executable_exits_126(run, tmp_path):
    plain_file = tmp_path / "data.txt"
    plain_file.write_text("not a program\n")
    result = run("retry", *FAST, "--", str(plain_file))
    assert result.returncode == 126


def test_the_command_is_looked_up_in_path_and_gets_its_arguments(run):
    result = run("retry", *FAST, "--", "sh", "-c", 'printf "%s|" "$@"', "sh", "a b", "--c")
    assert (result.returncode, result.stdout) == (0, "a b|--c|")


def test_the_double_dash_is_optional_before_the_command(run):
    result = run("retry", *FAST, "echo", "hello")
    assert (result.returncode, result.stdout) == (0, "hello\n")


def test_quiet_prints_nothing_of_its_own(run, script):
    flaky = script('[ "$run" -ge 2 ]')
    result = run("retry", *FAST, "--quiet", "--", flaky.path)
    assert (result.returncode, flaky.runs, result.stderr) == (0, 2, "")


def test_unlimited_attempts_print_the_attempt_without_a_maximum(run, script):
    flaky = script('[ "$run" -ge 2 ]')
    result = run("retry", *FAST, "--max-attempts", "0", "--", flaky.path)
    assert re.search(r"^backoff: attempt 1 failed", result.stderr, re.MULTILINE)


def test_jittered_waits_stay_within_the_schedules_bounds(run, script):
    failing = script("exit 1")
    policy = ["--initial", "20ms", "--multiplier", "2", "--jitter", "equal", "--max-attempts", "4"]
    result = run("retry", *policy, "--", failing.path)
    waits = [float(ms) for ms in re.findall(r"retrying in ([0-9.]+)ms", result.stderr)]
    assert len(waits) == 3
    for retry, wait in enumerate(waits):
        base = 20 * 2 ** retry
        assert base / 2 <= wait <= base


def test_on_a_terminal_the_wait_counts_down_in_place_then_leaves_the_plain_line(cli, script):
    flaky = script('[ "$run" -ge 2 ]')
    controller, terminal = pty.openpty()
    process = subprocess.Popen([cli, "retry", "--initial", "400ms", "--jitter", "none", "--", flaky.path],
                               stdout=subprocess.DEVNULL, stderr=terminal)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the terminal's last writer has gone
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert process.wait(timeout=10) == 0
    text = shown.decode()
    assert "retrying in 0.4s" in text and "retrying in 0.1s" in text  # redrawn as the wait runs down
    assert "\r\x1b[K" in text
    assert text.endswith("attempt 1/5 failed with exit status 1; retrying in 400ms\r\n"
                         "backoff: attempt 2/5 succeeded\r\n")
