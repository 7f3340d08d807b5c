"""A KeyboardInterrupt during a real wait ends the retry at once; the wait does not hold the GIL."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

import libbackoff as lb


def always_failing() -> None:
    raise ConnectionError("down")


def test_keyboard_interrupt_during_a_wait_stops_at_once():
    wrapped = lb.retry(wait=lb.constant(60, jitter="none"))(always_failing)
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            wrapped()
    finally:
        timer.cancel()
    assert time.monotonic() - started < 5
    assert wrapped.statistics["attempt_number"] == 1


def test_other_threads_run_while_a_retry_waits():
    wrapped = lb.retry(wait=lb.constant(0.3, jitter="none"), max_attempts=2)(always_failing)
    waiter = threading.Thread(target=lambda: pytest.raises(ConnectionError, wrapped))
    counted = 0
    waiter.start()
    deadline = time.monotonic() + 0.2
    while time.monotonic() < deadline:  # this thread needs the GIL all along
        counted += 1
    waiter.join()
    assert counted > 1000
