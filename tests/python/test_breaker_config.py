"""CircuitBreaker's keywords: every unit of time works, and bad values are refused naming the parameter."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import libbackoff
from libbackoff import (
    CircuitBreaker,
    CircuitCounts,
    CircuitOpenError,
    CircuitState,
    StateChangeCause,
    _core,
    exponential,
)


@pytest.mark.parametrize(
    ("open_duration", "seconds"), [(90, 90.0), (90.0, 90.0), (timedelta(minutes=1.5), 90.0), ("1500ms", 1.5)]
)
def test_durations_take_seconds_timedelta_and_text(fake_clock, open_duration, seconds):
    breaker = CircuitBreaker(failure_threshold=1, open_duration=open_duration, clock=fake_clock)
    breaker.record(breaker.acquire(), "failure")
    with pytest.raises(CircuitOpenError) as info:
        breaker.acquire()
    assert info.value.remaining == seconds


def test_choices_take_their_names():
    breaker = CircuitBreaker(trip="count", window="count", window_size=3, failure_threshold=3)
    for _ in range(3):
        breaker.record(breaker.acquire(), "failure")
    assert breaker.state.value == "open"


def test_counts_are_the_c_headers_counts_in_order():
    header = Path(libbackoff.get_include(), "backoff.h").read_text(encoding="utf-8")
    numbered = re.findall(r"BACKOFF_BREAKER_COUNT_(\w+) = (\d+)", header)
    assert CircuitCounts._fields == tuple(name.lower() for name, _ in sorted(numbered, key=lambda item: int(item[1])))


def test_states_and_causes_are_the_cores():
    assert [state.value for state in CircuitState] == list(_core.BreakerState.__members__)
    assert [cause.value for cause in StateChangeCause] == list(_core.BreakerCause.__members__)


BAD: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"failure_threshold": 0}, ValueError, "failure_threshold"),
    ({"failure_threshold": "5"}, TypeError, "failure_threshold"),
    ({"failure_threshold": True}, TypeError, "failure_threshold"),
    ({"failure_threshold": 2**70}, ValueError, "failure_threshold"),
    ({"failure_ratio": 1.5}, ValueError, "failure_ratio"),
    ({"failure_ratio": float("nan")}, ValueError, "failure_ratio"),
    ({"failure_ratio": "half"}, TypeError, "failure_ratio"),
    ({"trip": "sometimes"}, ValueError, "trip"),
    ({"trip": 2}, TypeError, "trip"),
    ({"window": "sliding"}, ValueError, "window"),
    ({"window_size": 0}, ValueError, "window_size"),
    ({"window_duration": -1}, ValueError, "window_duration"),
    ({"window_duration": "10"}, ValueError, "window_duration"),
    ({"window_duration": [10]}, TypeError, "window_duration"),
    ({"window_buckets": 5000}, ValueError, "window_buckets"),
    ({"min_calls": 0}, ValueError, "min_calls"),
    ({"slow_call_duration": float("inf")}, ValueError, "slow_call_duration"),
    ({"slow_call_ratio": 0}, ValueError, "slow_call_ratio"),
    ({"open_duration": -5}, ValueError, "open_duration"),
    ({"open_policy": exponential(max_attempts=3)}, ValueError, "open_policy"),
    ({"open_policy": 30}, TypeError, "open_policy"),
    ({"open_policy": exponential(), "open_duration": 30}, TypeError, "open_duration and open_policy"),
    ({"half_open_probes": 0}, ValueError, "half_open_probes"),
    ({"half_open_probes": 1025}, ValueError, "half_open_probes"),
    ({"half_open_successes": 0}, ValueError, "half_open_successes"),
    ({"half_open_max_duration": -1}, ValueError, "half_open_max_duration"),
    ({"permit_lease": 0}, ValueError, "permit_lease"),
    ({"trip": "ratio", "window": "count", "window_size": 5, "min_calls": 10}, ValueError, "min_calls"),
    ({"trip": "count", "window": "count", "window_size": 5, "failure_threshold": 6}, ValueError, "failure_threshold"),
    ({"is_failure": KeyboardInterrupt}, TypeError, "is_failure"),
    ({"is_failure": "ValueError"}, TypeError, "is_failure"),
    ({"exclude": 5}, TypeError, "exclude"),
    ({"retry_after": 5}, TypeError, "retry_after"),
    ({"on_state_change": 5}, TypeError, "on_state_change"),
    ({"on_state_change": [print, 5]}, TypeError, "on_state_change"),
    ({"clock": 5}, TypeError, "clock"),
    ({"name": 5}, TypeError, "name"),
]


@pytest.mark.parametrize(("options", "error", "param"), BAD, ids=[str(options) for options, _, _ in BAD])
def test_bad_configuration_is_refused_naming_the_parameter(options, error, param):
    with pytest.raises(error, match=f"^{param}"):
        CircuitBreaker(**options)


def test_unknown_keywords_are_refused():
    with pytest.raises(TypeError, match="fail_max"):
        CircuitBreaker(fail_max=5)  # type: ignore[call-arg]
