"""Every public entry point, given a bad value, raises TypeError (wrong type) or ValueError (right type,
bad value) whose message starts with the parameter's name and quotes the value: never pybind11's
signature table, a nameless OverflowError or a UnicodeEncodeError."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

import libbackoff as lb
from libbackoff.server_hints import parse_retry_after

# name -> (value, a pattern its quoted form matches in the message)
BAD_VALUES: dict[str, tuple[object, str]] = {
    "lone surrogate": ("\ud800", r"\\ud800"),
    "2**64": (2**64, r"1\.?8446744"),
    "-2**64": (-(2**64), r"-1\.?8446744"),
    "2**200": (2**200, r"1\.?6069380"),
    "NaN": (math.nan, r"(?i)nan"),
    "object": (object(), r"<object object"),
    "list": ([1], r"\[1\]"),
    "bytes": (b"1", r"b'1'"),
    "bool": (True, r"True"),
}

# The types each kind of parameter takes: another type is a TypeError, a bad value of one a ValueError.
ACCEPTS: dict[str, tuple[type, ...]] = {
    "duration": (float, int, str, timedelta),
    "int": (int,),
    "real": (float, int),
    "name": (str,),
    "callable": (),
    "bool": (bool,),
}


def _function() -> None:
    return None


def _pool() -> lb.RetryBudgetPool:
    return lb.RetryBudgetPool(lb.RetryBudget(), max_keys=4)


def _breaker() -> lb.CircuitBreaker:
    return lb.CircuitBreaker()


def _set_testing(value: Any) -> None:
    with lb.set_testing(value):
        pass


# entry point -> (parameter named in the message, kind, call with the bad value, values it accepts)
ENTRY_POINTS: dict[str, tuple[str, str, Callable[[Any], object], frozenset[str]]] = {
    "Policy(kind)": ("kind", "name", lambda v: lb.Policy(v), frozenset()),
    "Policy(initial=)": ("initial", "duration", lambda v: lb.Policy(initial=v), frozenset()),
    "Policy(multiplier=)": ("multiplier", "real", lambda v: lb.Policy(multiplier=v), frozenset({"2**64", "2**200"})),
    "Policy(increment=)": ("increment", "duration", lambda v: lb.Policy("linear", increment=v), frozenset()),
    "Policy(cap=)": ("cap", "duration", lambda v: lb.Policy(cap=v), frozenset()),
    "Policy(jitter=)": ("jitter", "name", lambda v: lb.Policy(jitter=v), frozenset()),
    "Policy(randomization_factor=)": (
        "randomization_factor",
        "real",
        lambda v: lb.Policy(jitter="randomization", randomization_factor=v),
        frozenset(),
    ),
    "Policy(max_attempts=)": ("max_attempts", "int", lambda v: lb.Policy(max_attempts=v), frozenset()),
    "Policy(max_elapsed=)": ("max_elapsed", "duration", lambda v: lb.Policy(max_elapsed=v), frozenset()),
    "Policy(seed=)": ("seed", "int", lambda v: lb.Policy(seed=v), frozenset()),
    "Policy.replace(cap=)": ("cap", "duration", lambda v: lb.Policy().replace(cap=v), frozenset()),
    "exponential(initial)": ("initial", "duration", lambda v: lb.exponential(v), frozenset()),
    "Policy.delay(attempt)": ("attempt", "int", lambda v: lb.Policy().delay(v), frozenset()),
    "Policy.delay(elapsed=)": ("elapsed", "duration", lambda v: lb.Policy().delay(0, elapsed=v), frozenset()),
    "Policy.base_delay(attempt)": ("attempt", "int", lambda v: lb.Policy().base_delay(v), frozenset()),
    "Backoff.next(hint)": ("hint", "duration", lambda v: lb.Backoff(lb.Policy()).next(v), frozenset()),
    "Backoff(clock=)": ("clock", "duration", lambda v: lb.Backoff(lb.Policy(), clock=lambda: v), frozenset()),
    "CircuitBreaker(trip=)": ("trip", "name", lambda v: lb.CircuitBreaker(trip=v), frozenset()),
    "CircuitBreaker(failure_threshold=)": (
        "failure_threshold",
        "int",
        lambda v: lb.CircuitBreaker(failure_threshold=v),
        frozenset(),
    ),
    "CircuitBreaker(failure_ratio=)": (
        "failure_ratio",
        "real",
        lambda v: lb.CircuitBreaker(failure_ratio=v),
        frozenset(),
    ),
    "CircuitBreaker(open_duration=)": (
        "open_duration",
        "duration",
        lambda v: lb.CircuitBreaker(open_duration=v),
        frozenset(),
    ),
    "CircuitBreaker.record(permit)": ("permit", "int", lambda v: _breaker().record(v, "success"), frozenset()),
    "CircuitBreaker.record(outcome)": (
        "outcome",
        "name",
        lambda v: (b := _breaker()).record(b.acquire(), v),
        frozenset(),
    ),
    "CircuitBreaker.record(duration=)": (
        "duration",
        "duration",
        lambda v: (b := _breaker()).record(b.acquire(), "success", duration=v),
        frozenset(),
    ),
    "RetryBudget(calibration)": ("calibration", "name", lambda v: lb.RetryBudget(v), frozenset()),
    "RetryBudget(capacity=)": ("capacity", "real", lambda v: lb.RetryBudget(capacity=v), frozenset()),
    "RetryBudget(min_retries_per_second=)": (
        "min_retries_per_second",
        "int",
        lambda v: lb.RetryBudget("finagle", min_retries_per_second=v),
        frozenset(),
    ),
    "RetryBudget(ttl=)": ("ttl", "duration", lambda v: lb.RetryBudget("finagle", ttl=v), frozenset()),
    "RetryBudget.withdraw(error_class)": ("error_class", "name", lambda v: lb.RetryBudget().withdraw(v), frozenset()),
    "RetryBudget.refund(ticket)": ("ticket", "int", lambda v: lb.RetryBudget().refund(v), frozenset()),
    "RetryBudgetPool(max_keys=)": (
        "max_keys",
        "int",
        lambda v: lb.RetryBudgetPool(lb.RetryBudget(), max_keys=v),
        frozenset(),
    ),
    "RetryBudgetPool.get(key)": ("key", "name", lambda v: _pool().get(v), frozenset()),
    "@retry(max_attempts=)": ("max_attempts", "int", lambda v: lb.retry(max_attempts=v)(_function), frozenset()),
    "@retry(max_elapsed=)": ("max_elapsed", "duration", lambda v: lb.retry(max_elapsed=v)(_function), frozenset()),
    "@retry(retry=)": ("retry", "callable", lambda v: lb.retry(retry=v)(_function), frozenset()),
    "@retry(permanent=)": ("permanent", "callable", lambda v: lb.retry(permanent=v)(_function), frozenset()),
    "@retry(retry_if_result=)": (
        "retry_if_result",
        "callable",
        lambda v: lb.retry(retry_if_result=v)(_function),
        frozenset(),
    ),
    "@retry(wait=)": ("wait", "callable", lambda v: lb.retry(wait=v)(_function), frozenset()),
    "@retry(before_sleep=)": ("before_sleep", "callable", lambda v: lb.retry(before_sleep=v)(_function), frozenset()),
    "Retrying(retry_after=)": ("retry_after", "callable", lambda v: lb.Retrying(retry_after=v), frozenset()),
    "stop_after_attempt(attempts)": (
        "max_attempts",
        "int",
        lambda v: lb.Retrying(stop=lb.stop_after_attempt(v)),
        frozenset(),
    ),
    "parse_retry_after(value)": (
        "value",
        "name",
        parse_retry_after,
        frozenset({"lone surrogate", "bytes"}),  # header text: malformed gives None, never raises
    ),
    "parse_retry_after(now=)": (
        "now",
        "real",
        lambda v: parse_retry_after("5", now=v),
        frozenset({"2**64", "-2**64", "2**200"}),  # any finite instant saturates
    ),
    "set_testing(testing)": ("testing", "bool", _set_testing, frozenset({"bool"})),
}

CASES = [
    pytest.param(entry, value_name, id=f"{entry}-{value_name}")
    for entry, (_, _, _, accepted) in ENTRY_POINTS.items()
    for value_name in BAD_VALUES
    if value_name not in accepted
]


@pytest.mark.parametrize(("entry", "value_name"), CASES)
def test_bad_value_raises_an_error_naming_the_parameter_and_the_value(entry: str, value_name: str) -> None:
    param, kind, call, _ = ENTRY_POINTS[entry]
    value, shown = BAD_VALUES[value_name]
    expected = ValueError if type(value) in ACCEPTS[kind] else TypeError
    with pytest.raises((TypeError, ValueError, OverflowError)) as caught:
        call(value)
    message = str(caught.value)
    assert type(caught.value) is expected, message
    assert message.startswith(f"{param}: "), message
    assert re.search(shown, message), message
    assert len(message) < 400, message


@pytest.mark.parametrize("value_name", [name for name in BAD_VALUES if name != "bytes"])
def test_accepted_values_of_the_matrix_really_are_accepted(value_name: str) -> None:
    # The exemptions above are behaviour too: these calls succeed.
    for _, _, call, accepted in ENTRY_POINTS.values():
        if value_name in accepted:
            call(BAD_VALUES[value_name][0])


def test_policy_text_with_a_lone_surrogate_names_its_parameter() -> None:
    with pytest.raises(ValueError, match=r"^jitter: is not valid text, it holds a lone surrogate"):
        lb.Policy.from_text("kind=exponential,jitter=\ud800")


def test_an_int_too_long_to_print_is_described_by_its_size() -> None:
    huge = 10**5000  # past Python's int-to-str limit: str(huge) itself raises ValueError
    with pytest.raises(ValueError, match=r"^max_attempts: .*<int of 16610 bits>"):
        lb.Policy(max_attempts=huge)
    with pytest.raises(ValueError, match=r"^initial: "):
        lb.Policy(initial=huge)
    with pytest.raises(ValueError, match=r"^multiplier: must be finite \(got inf\)"):
        lb.Policy(multiplier=huge)
    with pytest.raises(ValueError, match=r"^max_keys: .*<int of 16610 bits>"):
        lb.RetryBudgetPool(lb.RetryBudget(), max_keys=huge)


def test_a_huge_bad_value_is_quoted_by_a_short_prefix_and_its_length() -> None:
    text = "9" * (1 << 20) + "y"
    with pytest.raises(ValueError) as caught:
        lb.Policy(initial=text)
    message = str(caught.value)
    assert message.startswith("initial: ") and message.endswith("...' (1048577 bytes))"), message[:300]
    assert len(message) < 200
    with pytest.raises(TypeError) as caught_type:
        lb.Policy(max_attempts="x" * (1 << 20))
    assert len(str(caught_type.value)) < 200


def test_a_rejected_value_changes_nothing() -> None:
    policy = lb.Policy(initial=1, seed=7)
    with pytest.raises(ValueError):
        policy.replace(initial=2**64)
    assert policy.initial == 1.0 and policy.seed == 7
