"""The core Retrier through the binding: counting, limits and hints, as the retry loops rely on them."""

from __future__ import annotations

import pytest

import libbackoff as lb
from libbackoff import _core


def core_policy(**kwargs: object) -> _core.Policy:
    return lb.constant(1, jitter="none", **kwargs)._policy  # type: ignore[arg-type]


def test_counts_failures_and_waiting_time():
    retrier = _core.Retrier(core_policy(max_attempts=3), 0)
    assert retrier.on_failure_at_seconds(0, 0) == 1.0
    assert retrier.on_failure_at_seconds(0, 2_500_000_000) == 2.5  # a hint above the delay
    assert retrier.on_failure_at_seconds(0, 0) is None  # the third failure is the last attempt
    assert (retrier.failures(), retrier.attempts(), retrier.succeeded(), retrier.idle_ns()) == (
        3,
        3,
        False,
        3_500_000_000,
    )


def test_success_and_permanent_failure_end_the_call():
    retrier = _core.Retrier(core_policy())
    retrier.on_failure_seconds(0)
    retrier.on_success()
    assert (retrier.failures(), retrier.attempts(), retrier.succeeded()) == (1, 2, True)
    permanent = _core.Retrier(core_policy())
    permanent.on_permanent_failure()
    assert (permanent.failures(), permanent.attempts(), permanent.idle_ns()) == (1, 1, 0)


def test_elapsed_counts_from_construction():
    retrier = _core.Retrier(core_policy(max_elapsed=10), 5_000_000_000)
    assert retrier.elapsed_at(12_000_000_000) == 7_000_000_000
    assert retrier.on_failure_at_seconds(14_000_000_000, 0) == 1.0  # 9 s elapsed + 1 s = 10 s: allowed
    assert retrier.on_failure_at_seconds(14_500_000_000, 0) is None  # 9.5 + 1 > 10
    assert retrier.elapsed() >= 0


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((), TypeError, "takes one, two, four or five positional arguments"),
        (("policy",), TypeError, "Retrier: policy must be a _core.Policy (got 'policy')"),
        ((None, 1, 2), TypeError, "takes one, two, four or five positional arguments"),
    ],
)
def test_construction_checks_its_arguments(args, error, message):
    with pytest.raises(error) as raised:
        _core.Retrier(*args)
    assert message in str(raised.value)


def test_methods_check_their_arguments():
    retrier = _core.Retrier(core_policy(), None)
    with pytest.raises(TypeError, match=r"on_failure_seconds\(\) takes 1 positional arguments \(0 given\)"):
        retrier.on_failure_seconds()  # type: ignore[call-arg]
    with pytest.raises(OverflowError):
        retrier.on_failure_seconds(2**63)
    with pytest.raises(TypeError):
        retrier.elapsed_at("now")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        _core.Retrier(core_policy(), policy=None)  # type: ignore[call-arg]


def test_retrier_is_final():
    with pytest.raises(TypeError):
        type("Sub", (_core.Retrier,), {})


def test_a_negative_hint_is_rejected_by_the_core_and_records_no_failure():
    retrier = _core.Retrier(core_policy(max_attempts=3), 0)
    with pytest.raises(ValueError, match=r"hint_ns: must not be negative \(got -5 ns\)"):
        retrier.on_failure_at_seconds(0, -5)
    with pytest.raises(ValueError, match="hint_ns"):
        retrier.on_failure_seconds(-1)
    with pytest.raises(ValueError, match="hint_ns"):
        retrier.decide_retry_at(0, -1, 0)
    assert retrier.failures() == 0


class Throttled(Exception):
    def __init__(self, retry_after: object = None) -> None:
        super().__init__("throttled")
        self.retry_after = retry_after


def plain_retrier(**kwargs: object) -> _core.Retrier:
    return _core.Retrier(core_policy(**kwargs), None, (ConnectionError, Throttled), lb.server_hints.hint_ns)


def test_the_plain_step_waits_at_least_an_exceptions_retry_after():
    retrier = plain_retrier(max_attempts=4)
    assert retrier.raised(ConnectionError()) == 1.0  # no retry_after attribute
    assert retrier.raised(Throttled(None)) == 1.0  # an attribute set to None
    assert retrier.raised(Throttled(2.5)) == 2.5  # the hint, through the Python layer's converter
    assert (retrier.failures(), retrier.idle_ns()) == (3, 4_500_000_000)


def test_the_plain_step_raises_a_permanent_or_last_failure_again():
    permanent = plain_retrier(max_attempts=4)
    error = KeyError("not retryable")
    with pytest.raises(KeyError) as raised:
        permanent.raised(error)
    assert raised.value is error and permanent.outcome() == int(_core.RetryOutcome.permanent)
    last = plain_retrier(max_attempts=2)
    assert last.raised(ConnectionError("first")) == 1.0
    with pytest.raises(ConnectionError, match="second"):
        last.raised(ConnectionError("second"))
    assert last.outcome() == int(_core.RetryOutcome.exhausted)


def test_the_plain_step_names_a_bad_hint_and_counts_nothing():
    retrier = plain_retrier()
    with pytest.raises(ValueError, match="retry_after"):
        retrier.raised(Throttled(-1))
    assert retrier.failures() == 0


def test_the_plain_step_needs_its_classes_and_converter():
    with pytest.raises(TypeError, match="raised: this Retrier was made without retryable and hint_ns"):
        _core.Retrier(core_policy()).raised(ConnectionError())
    with pytest.raises(TypeError, match="hint_ns must be callable"):
        _core.Retrier(core_policy(), None, ConnectionError, 5)
    retrier = plain_retrier()
    assert retrier.returned("value") is None and retrier.succeeded()
    with pytest.raises(TypeError, match="raised: exc must be an exception"):
        retrier.raised("not an exception")  # type: ignore[arg-type]
