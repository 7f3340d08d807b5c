"""Retries are logged by default: a WARNING per retry, an ERROR when a retry is given up, nothing on
success, with the same values as ``extra`` fields; ``log=False`` and the logger's level silence it."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap

import pytest
import tenacity

import libbackoff as lb
from libbackoff.compat import tenacity as compat_tenacity

FIELDS = ("retry_callable", "retry_attempt", "retry_wait", "retry_reason", "retry_error", "retry_give_up")


def fixed(**kwargs: object) -> lb.Policy:
    return lb.constant(0.25, jitter="none", **kwargs)  # type: ignore[arg-type]


def no_sleep(seconds: float) -> None:
    pass


def logged(caplog: pytest.LogCaptureFixture, name: str = "libbackoff") -> list[tuple[str, str]]:
    return [(record.levelname, record.getMessage()) for record in caplog.records if record.name == name]


def fields(record: logging.LogRecord) -> tuple[object, ...]:
    return tuple(getattr(record, field) for field in FIELDS)


def fetch(flaky):
    return flaky()


@pytest.fixture
def capture(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="libbackoff")
    return caplog


def test_each_retry_is_a_warning_with_the_function_attempt_wait_and_exception(capture, make_flaky):
    retried = lb.retry(wait=fixed(), max_attempts=5, sleep=no_sleep)(fetch)
    assert retried(make_flaky(2)) == "ok"
    name = f"{__name__}.fetch"
    assert logged(capture) == [
        ("WARNING", f"{name}: attempt 1 failed (ConnectionError: failure 1); retrying in 0.250 s"),
        ("WARNING", f"{name}: attempt 2 failed (ConnectionError: failure 2); retrying in 0.250 s"),
    ]
    assert [fields(record) for record in capture.records] == [
        (name, 1, 0.25, "ConnectionError", "failure 1", None),
        (name, 2, 0.25, "ConnectionError", "failure 2", None),
    ]


def test_the_end_of_the_policy_is_an_error(capture, make_flaky):
    retried = lb.retry(wait=fixed(), max_attempts=2, sleep=no_sleep)(fetch)
    with pytest.raises(ConnectionError):
        retried(make_flaky(5))
    (retry, give_up) = capture.records
    assert (retry.levelname, give_up.levelname) == ("WARNING", "ERROR")
    assert give_up.getMessage() == (
        f"{__name__}.fetch: attempt 2 failed (ConnectionError: failure 2); not retried: the policy's attempts or"
        " time are used up"
    )
    assert fields(give_up) == (f"{__name__}.fetch", 2, None, "ConnectionError", "failure 2", "policy")


def test_a_call_that_succeeds_at_once_logs_nothing(capture):
    assert lb.retry(max_attempts=3)(lambda: 7)() == 7
    assert capture.records == []


def test_a_permanent_error_is_logged_only_after_a_retry(capture):
    permanent = lb.retry(wait=fixed(), max_attempts=5, permanent=KeyError, sleep=no_sleep)
    errors = iter([KeyError("first"), ConnectionError("down"), KeyError("second")])

    def once() -> None:
        raise next(errors)

    with pytest.raises(KeyError):
        permanent(once)()  # permanent at once: the caller's exception, nothing retried, nothing logged
    assert capture.records == []
    with pytest.raises(KeyError):
        permanent(once)()
    assert [(record.levelname, record.retry_give_up) for record in capture.records] == [
        ("WARNING", None),
        ("ERROR", "permanent"),
    ]


def test_a_rejected_result_is_logged_with_its_repr(capture):
    results = iter([None, "ready"])
    retried = lb.retry(wait=fixed(), max_attempts=3, retry_if_result=lambda value: value is None, sleep=no_sleep)
    assert retried(lambda: next(results))() == "ready"
    (record,) = capture.records
    assert (record.retry_reason, record.retry_error) == ("returned", "None")
    assert "attempt 1 failed (returned: None); retrying in 0.250 s" in record.getMessage()


def test_an_open_breaker_ends_the_retries_with_an_error(capture, fake_clock):
    breaker = lb.CircuitBreaker(failure_threshold=1, open_duration=60, clock=fake_clock)
    retried = lb.retry(wait=fixed(), max_attempts=5, breaker=breaker, clock=fake_clock)(fetch)
    with pytest.raises(lb.CircuitOpenError):
        retried(lambda: 1 / 0)  # the first failure opens the breaker, which refuses the retry
    (record,) = capture.records
    assert (record.levelname, record.retry_attempt, record.retry_give_up) == ("ERROR", 1, "breaker")
    assert record.getMessage().endswith(
        "(ZeroDivisionError: division by zero); not retried: the circuit breaker is open"
    )


def test_the_for_attempt_loop_is_named_as_such(capture):
    failures = iter([True, False])
    for attempt in lb.Retrying(wait=fixed(), max_attempts=3, sleep=no_sleep):
        with attempt:
            if next(failures):
                raise TimeoutError("slow")
    (record,) = capture.records
    assert record.getMessage() == "<for attempt loop>: attempt 1 failed (TimeoutError: slow); retrying in 0.250 s"


@pytest.mark.anyio
async def test_async_retries_are_logged_the_same_way(capture, make_async_flaky):
    async def pull(flaky):
        return await flaky()

    retried = lb.retry(wait=fixed(), max_attempts=5, sleep=_async_no_sleep)(pull)
    assert await retried(make_async_flaky(1)) == "ok"
    (record,) = capture.records
    assert fields(record) == (f"{__name__}.{pull.__qualname__}", 1, 0.25, "ConnectionError", "failure 1", None)


async def _async_no_sleep(seconds: float) -> None:
    pass


def test_log_false_silences_the_object(capture, make_flaky):
    retried = lb.retry(wait=fixed(), max_attempts=2, sleep=no_sleep, log=False)(fetch)
    with pytest.raises(ConnectionError):
        retried(make_flaky(5))
    assert capture.records == []


def test_the_loggers_level_silences_every_object(capture, make_flaky):
    capture.set_level(logging.ERROR, logger="libbackoff")
    retried = lb.retry(wait=fixed(), max_attempts=2, sleep=no_sleep)(fetch)
    with pytest.raises(ConnectionError):
        retried(make_flaky(5))
    assert [record.levelname for record in capture.records] == ["ERROR"]


def test_a_logger_of_ones_own_takes_the_records(capture, make_flaky):
    retried = lb.retry(wait=fixed(), max_attempts=3, sleep=no_sleep, log=logging.getLogger("app.retries"))(fetch)
    retried(make_flaky(1))
    assert logged(capture) == []
    assert [record.name for record in capture.records] == ["app.retries"]


def test_a_bad_log_option_is_refused_by_name():
    with pytest.raises(TypeError, match=r"log: expected True, False or a logging.Logger \(got 'yes'\)"):
        lb.Retrying(log="yes")  # type: ignore[typeddict-item]


def test_without_logging_configured_the_warning_reaches_stderr():
    script = textwrap.dedent(
        """
        import libbackoff
        calls = []
        @libbackoff.retry(wait=libbackoff.constant(0.001, jitter="none"), max_attempts=3)
        def connect():
            calls.append(1)
            if len(calls) < 2:
                raise ConnectionError("refused")
        connect()
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stderr == "__main__.connect: attempt 1 failed (ConnectionError: refused); retrying in 0.001 s\n"


def test_before_sleep_log_writes_tenacitys_line(caplog, make_flaky):
    """The same line as tenacity's own before_sleep_log and as compat.tenacity's, for one failing call."""
    caplog.set_level(logging.INFO)
    ours, theirs = logging.getLogger("ours"), logging.getLogger("theirs")
    lb.retry(wait=fixed(), max_attempts=3, sleep=no_sleep, log=False, before_sleep=lb.before_sleep_log(ours, 20))(
        fetch
    )(make_flaky(1))
    for library, logger in ((tenacity, theirs), (compat_tenacity, logging.getLogger("compat"))):
        library.retry(
            wait=library.wait_fixed(0.25), sleep=no_sleep, before_sleep=library.before_sleep_log(logger, logging.INFO)
        )(fetch)(make_flaky(1))
    messages = {record.name: (record.levelname, record.getMessage()) for record in caplog.records}
    line = ("INFO", f"Retrying {__name__}.fetch in 0.25 seconds as it raised ConnectionError: failure 1.")
    assert messages == {"ours": line, "theirs": line, "compat": line}


def test_the_compat_shims_keep_their_peers_logging_only(capture, make_flaky):
    compat_tenacity.retry(wait=compat_tenacity.wait_none(), sleep=no_sleep)(fetch)(make_flaky(2))
    assert logged(capture) == []
