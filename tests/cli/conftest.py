"""End-to-end tests of the `backoff` command against real processes.

The binary under test is $BACKOFF_CLI, or else `backoff` on PATH. Without either, every test fails:
a missing binary must never pass as skipped tests.
"""
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest


def _find_cli():
    explicit = os.environ.get("BACKOFF_CLI")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    return shutil.which("backoff")


@pytest.fixture(scope="session")
def cli():
    path = _find_cli()
    if path is None:
        pytest.fail("no backoff binary: set BACKOFF_CLI=/path/to/backoff or put `backoff` on PATH")
    return path


@pytest.fixture
def run(cli):
    """Runs `backoff ARGS...` to completion and returns the CompletedProcess (text mode)."""

    def run_cli(*args, timeout=30, **kwargs):
        return subprocess.run([cli, *args], capture_output=True, text=True, timeout=timeout, **kwargs)

    return run_cli


class Script:
    """A shell script in a temporary directory that counts its own runs in a file."""

    def __init__(self, directory, body):
        self.directory = directory
        self.path = directory / "script.sh"
        self.counter = directory / "runs"
        self.path.write_text(f"#!/bin/sh\nrun=$(( $(cat '{self.counter}' 2>/dev/null || echo 0) + 1 ))\n"
                             f"echo $run > '{self.counter}'\n{body}\n")
        self.path.chmod(0o755)

    @property
    def runs(self):
        return int(self.counter.read_text()) if self.counter.exists() else 0


@pytest.fixture
def script(tmp_path):
    """script(body) -> Script: `$run` in the body is this run's number, from 1."""
    return lambda body: Script(tmp_path, body)


def _wait_for(predicate, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def _process_gone(pid):
    """True when pid no longer runs: it does not exist, or it is a zombie waiting for its parent."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


@pytest.fixture
def wait_for():
    """wait_for(predicate, timeout=10.0, what=...) polls predicate until it is true, or fails the test."""
    return _wait_for


@pytest.fixture
def process_gone():
    """process_gone(pid) is true once pid no longer runs (gone, or a zombie)."""
    return _process_gone


@pytest.fixture
def spawn(cli, tmp_path):
    """spawn(*args, ignored=()) starts `backoff ARGS...` with stderr to a file and the signals in `ignored`
    ignored; returns a handle. Leftovers are killed after the test."""
    started = []

    class Running:
        def __init__(self, args, ignored):
            self.stderr_path = tmp_path / f"stderr-{len(started)}"
            self.stderr_file = open(self.stderr_path, "w")

            def dispositions():
                # As a shell's foreground job, whatever the test runner inherited (a background job of a
                # script has SIGINT ignored), except the signals the test wants ignored, as nohup would.
                for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
                    signal.signal(number, signal.SIG_IGN if number in ignored else signal.SIG_DFL)

            self.process = subprocess.Popen([cli, *args], stdout=subprocess.DEVNULL, stderr=self.stderr_file,
                                            preexec_fn=dispositions)

        def stderr(self):
            return self.stderr_path.read_text()

        def signal(self, number):
            self.process.send_signal(number)

    def start(*args, ignored=()):
        running = Running(args, ignored)
        started.append(running)
        return running

    yield start
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()
        running.stderr_file.close()
