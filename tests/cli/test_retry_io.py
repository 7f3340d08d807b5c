"""`backoff retry` and the command's standard streams: stdin is replayed to every attempt, and only the
deciding attempt's stdout reaches a pipe or a file, unless --stream; stderr is live."""
import hashlib
import os
import subprocess

import pytest

FAST = ["--initial", "1ms", "--jitter", "none"]

# Past the 1 MiB that backoff holds in memory (cli_spool.h), so the temporary file is used too.
LARGER_THAN_MEMORY = 3 * (1 << 20) + 12345


def _input_checker(script, expected, succeed_on):
    """A script that records the digest of the stdin each attempt read, and fails unless it read all of
    `expected`; from attempt `succeed_on` on, a full read succeeds."""
    digest = hashlib.sha256(expected).hexdigest()
    return script(f'got=$(sha256sum | cut -d" " -f1); echo "$got" >> "$(dirname "$0")/seen"; '
                  f'[ "$got" = "{digest}" ] || exit 3; [ "$run" -ge {succeed_on} ]')


@pytest.mark.parametrize("size", [5, LARGER_THAN_MEMORY])
def test_every_attempt_reads_the_same_full_stdin(cli, script, tmp_path, size):
    data = os.urandom(size)
    checker = _input_checker(script, data, succeed_on=3)
    result = subprocess.run([cli, "retry", *FAST, "--", checker.path], input=data, capture_output=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert checker.runs == 3
    assert (tmp_path / "seen").read_text().splitlines() == [hashlib.sha256(data).hexdigest()] * 3


def test_an_attempt_that_reads_part_of_stdin_leaves_the_rest_for_the_next(cli, script, tmp_path):
    # Attempt 1 reads one line; attempt 2 reads everything and sees every line from the first.
    lines = b"".join(b"line %d\n" % n for n in range(20000))
    reader = script('if [ "$run" -eq 1 ]; then head -n 1 > /dev/null; exit 1; fi; cat')
    result = subprocess.run([cli, "retry", *FAST, "--", reader.path], input=lines, capture_output=True,
                            timeout=60)
    assert (result.returncode, reader.runs) == (0, 2)
    assert result.stdout == lines


def test_a_command_that_never_reads_stdin_does_not_wait_for_its_end(cli, script):
    # stdin is a pipe that stays open and silent: backoff must not read it to its end before starting.
    never_reads = script('[ "$run" -ge 2 ]')
    silent = subprocess.Popen(["sleep", "30"], stdout=subprocess.PIPE)
    try:
        result = subprocess.run([cli, "retry", *FAST, "--", never_reads.path], stdin=silent.stdout,
                                capture_output=True, timeout=10)
    finally:
        silent.kill()
        silent.wait()
        silent.stdout.close()
    assert (result.returncode, never_reads.runs) == (0, 2)


def test_into_a_pipe_only_the_deciding_attempts_stdout_is_passed_on(run, script):
    flaky = script('echo "partial output of attempt $run"; echo "log $run" >&2; [ "$run" -ge 3 ]')
    result = run("retry", *FAST, "--", flaky.path)
    assert (result.returncode, flaky.runs) == (0, 3)
    assert result.stdout == "partial output of attempt 3\n"
    assert all(f"log {n}" in result.stderr for n in (1, 2, 3))  # stderr stays live, every attempt's


def test_giving_up_passes_on_the_last_attempts_stdout(run, script):
    failing = script('echo "attempt $run"; exit 4')
    result = run("retry", *FAST, "--max-attempts", "3", "--", failing.path)
    assert (result.returncode, result.stdout) == (4, "attempt 3\n")


def test_a_not_retried_failure_passes_on_its_stdout(run, script):
    failing = script('echo "attempt $run"; exit 9')
    result = run("retry", *FAST, "--permanent", "9", "--", failing.path)
    assert (result.returncode, result.stdout) == (9, "attempt 1\n")


def test_held_stdout_larger_than_memory_is_passed_on_whole(run, script):
    big = script(f'head -c {LARGER_THAN_MEMORY} /dev/zero | tr "\\\\0" "$run"; [ "$run" -ge 2 ]')
    result = run("retry", *FAST, "--", big.path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "2" * LARGER_THAN_MEMORY


def test_stream_passes_every_attempts_stdout_on_live(run, script):
    flaky = script('echo "out $run"; [ "$run" -ge 3 ]')
    result = run("retry", *FAST, "--stream", "--", flaky.path)
    assert (result.returncode, result.stdout) == (0, "out 1\nout 2\nout 3\n")


def test_held_stdout_is_passed_on_with_output_matching_too(run, script):
    busy = script('if [ "$run" -lt 3 ]; then echo "server busy, try again"; else echo done; fi')
    result = run("retry", *FAST, "--retry-if-output", "try again", "--", busy.path)
    assert (result.returncode, busy.runs, result.stdout) == (0, 3, "done\n")


@pytest.mark.parametrize("extra", [[], ["--stream", "--retry-if-output", "nothing"]])
def test_a_failed_write_of_the_commands_output_prints_why_and_exits_non_zero(cli, extra):
    with open("/dev/full", "w") as full:
        result = subprocess.run([cli, "retry", *FAST, *extra, "--", "echo", "hello"], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=30)
    assert result.returncode == 125
    assert "backoff: cannot write the output of 'echo': No space left on device" in result.stderr
