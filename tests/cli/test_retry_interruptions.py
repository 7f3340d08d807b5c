"""`backoff retry` under timeouts and signals: attempts end when told, and backoff ends promptly."""
import fcntl
import os
import pty
import signal
import subprocess
import termios
import time

import pytest


def timed_out_within(seconds, run, *args):
    """Runs the command, which must end by a timeout (124) within `seconds`; returns its result."""
    started = time.monotonic()
    result = run(*args)
    assert result.returncode == 124
    assert time.monotonic() - started < seconds
    return result


def test_an_attempt_past_its_timeout_is_killed_and_retried_then_exits_124(run, script):
    hanging = script("sleep 30")
    result = timed_out_within(5, run, "retry", "--initial", "10ms", "--max-attempts", "2", "--timeout", "300ms",
                              "--", hanging.path)
    assert hanging.runs == 2
    assert "attempt 1/2 timed out after 300ms; retrying in" in result.stderr


def test_a_timeout_kills_the_whole_process_group(run, script, tmp_path, wait_for, process_gone):
    # The script's background child would outlive a kill of the script alone.
    child_pid = tmp_path / "child.pid"
    hanging = script(f"sleep 30 & echo $! > '{child_pid}'; wait")
    result = run("retry", "--max-attempts", "1", "--timeout", "300ms", "--", hanging.path)
    assert result.returncode == 124
    wait_for(lambda: process_gone(int(child_pid.read_text())), timeout=5, what="the background child to die")


def test_an_attempt_that_ignores_sigterm_gets_sigkill_after_the_grace_period(run, script):
    stubborn = script("trap '' TERM; while :; do sleep 0.05; done")
    timed_out_within(4, run, "retry", "--max-attempts", "1", "--timeout", "200ms", "--kill-after", "300ms", "--",
                     stubborn.path)


def test_a_timed_out_attempt_counts_as_124_for_retry_on(run, script):
    hanging = script("sleep 30")
    result = run("retry", "--initial", "10ms", "--max-attempts", "3", "--retry-on", "1", "--timeout",
                 "200ms", "--", hanging.path)
    assert (result.returncode, hanging.runs) == (124, 1)
    assert "not retrying: 124 is not a --retry-on status" in result.stderr


def test_sigint_during_a_wait_ends_backoff_at_once_by_the_same_signal(spawn, script, wait_for):
    failing = script("exit 1")
    backoff = spawn("retry", "--initial", "30s", "--jitter", "none", "--", failing.path)
    wait_for(lambda: "retrying in 30s" in backoff.stderr(), what="the first wait")
    sent = time.monotonic()
    backoff.signal(signal.SIGINT)
    assert backoff.process.wait(timeout=5) == -signal.SIGINT
    assert time.monotonic() - sent < 2
    assert failing.runs == 1
    assert "interrupted by signal 2" in backoff.stderr()


def test_a_signal_ignored_when_backoff_started_stays_ignored_as_under_nohup(spawn, script, wait_for):
    failing = script("exit 1")
    backoff = spawn("retry", "--initial", "30s", "--jitter", "none", "--", failing.path, ignored=[signal.SIGHUP])
    wait_for(lambda: "retrying in 30s" in backoff.stderr(), what="the first wait")
    backoff.signal(signal.SIGHUP)
    time.sleep(0.3)
    assert backoff.process.poll() is None
    backoff.signal(signal.SIGTERM)
    assert backoff.process.wait(timeout=5) == -signal.SIGTERM


@pytest.mark.parametrize("forwarded", [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT], ids=lambda sig: sig.name)
def test_a_stop_signal_during_an_attempt_is_forwarded_to_it_and_ends_backoff_without_a_retry(
        forwarded, spawn, script, tmp_path, wait_for):
    ready, trapped = tmp_path / "ready", tmp_path / "trapped"
    name = forwarded.name.removeprefix("SIG")
    trapping = script(f"trap 'echo {name} > {trapped}; exit 0' {name}; touch {ready}; while :; do sleep 0.05; done")
    backoff = spawn("retry", "--initial", "10ms", "--", trapping.path)
    wait_for(ready.exists, what="the attempt to start")
    backoff.signal(forwarded)
    assert backoff.process.wait(timeout=5) == -forwarded
    assert trapped.read_text() == f"{name}\n"
    assert trapping.runs == 1


def test_sigquit_during_a_wait_ends_backoff_at_once_by_the_same_signal(spawn, script, wait_for):
    failing = script("exit 1")
    backoff = spawn("retry", "--initial", "30s", "--jitter", "none", "--", failing.path)
    wait_for(lambda: "retrying in 30s" in backoff.stderr(), what="the first wait")
    backoff.signal(signal.SIGQUIT)
    assert backoff.process.wait(timeout=5) == -signal.SIGQUIT
    assert failing.runs == 1


def test_a_second_sigint_kills_an_attempt_that_ignores_the_first(spawn, script, tmp_path, wait_for):
    ready = tmp_path / "ready"
    deaf = script(f"trap '' INT TERM; touch {ready}; while :; do sleep 0.05; done")
    backoff = spawn("retry", "--kill-after", "60s", "--", deaf.path)
    wait_for(ready.exists, what="the attempt to start")
    backoff.signal(signal.SIGINT)
    time.sleep(0.3)
    assert backoff.process.poll() is None  # the attempt ignores SIGINT, and the grace period is long
    backoff.signal(signal.SIGINT)
    assert backoff.process.wait(timeout=5) == -signal.SIGINT


def test_an_attempt_that_reads_the_terminal_is_ended_with_125_instead_of_hanging(cli, tmp_path):
    # backoff leads a new session on a pseudo-terminal, as a shell's foreground job; the attempt runs in
    # a background group, so the kernel stops it with SIGTTIN when it reads the terminal.
    controller, terminal = pty.openpty()

    def own_the_terminal():
        os.setsid()
        fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)

    process = subprocess.Popen([cli, "retry", "--", "cat"], stdin=terminal, stdout=terminal,
                               stderr=subprocess.PIPE, text=True, preexec_fn=own_the_terminal)
    os.close(terminal)
    try:
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(controller)
    assert process.returncode == 125
    assert "'cat' was stopped for using the terminal" in stderr
