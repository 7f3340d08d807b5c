"""Policies: constructors, read-back, the stateless form, and bad input named by the core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import libbackoff as lb
from libbackoff import _core


def test_constructors_set_the_kind_and_parameters():
    p = lb.exponential(0.25, 3, cap=10, jitter="none", max_attempts=4, max_elapsed=30, seed=9)
    assert (p.kind, p.initial, p.multiplier, p.cap, p.jitter) == (lb.Kind.EXPONENTIAL, 0.25, 3.0, 10.0, lb.Jitter.NONE)
    assert (p.max_attempts, p.max_elapsed, p.seed) == (4, 30.0, 9)
    assert lb.constant(2).kind is lb.Kind.CONSTANT
    assert lb.linear(1, 0.5, cap=4).increment == 0.5
    assert lb.decorrelated(0.1, 3, cap=20).kind is lb.Kind.DECORRELATED


def test_omitted_parameters_keep_the_core_defaults():
    p = lb.Policy()
    assert (p.kind, p.initial, p.multiplier, p.cap, p.jitter) == (lb.Kind.EXPONENTIAL, 0.1, 2.0, 60.0, lb.Jitter.FULL)
    assert (p.max_attempts, p.max_elapsed, p.seed) == (0, 0.0, None)


def test_durations_accept_seconds_timedelta_and_text():
    a = lb.constant(1.5, jitter="none")
    b = lb.constant(timedelta(seconds=1, milliseconds=500), jitter="none")
    c = lb.constant("1500ms", jitter=lb.Jitter.NONE)
    assert a.delay_ns(0) == b.delay_ns(0) == c.delay_ns(0) == 1_500_000_000


def test_unseeded_policy_reports_no_seed_and_seeded_policies_repeat():
    assert lb.exponential().seed is None
    assert [lb.exponential(seed=5).delay_ns(n, key=3) for n in range(8)] == [
        lb.exponential(seed=5).delay_ns(n, key=3) for n in range(8)
    ]


def test_keys_give_unrelated_jitter():
    p = lb.exponential(1, cap=100, seed=1)
    assert [p.delay_ns(n, key=1) for n in range(8)] != [p.delay_ns(n, key=2) for n in range(8)]


def test_unjittered_exponential_doubles_then_saturates_at_the_cap():
    p = lb.exponential(0.1, 2, cap=1, jitter="none")
    assert [p.delay(n) for n in range(6)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    assert p.delay(2**64 - 1) == 1.0
    assert p.base_delay(3) == 0.8


def test_max_attempts_counts_the_first_attempt():
    p = lb.constant(1, jitter="none", max_attempts=3)
    assert [p.delay(n) for n in range(4)] == [1.0, 1.0, None, None]


def test_from_text_reads_the_command_line_syntax():
    p = lb.Policy.from_text("kind=linear, initial=100ms, increment=50ms, cap=1s, jitter=none, seed=42")
    assert (p.kind, p.initial, p.increment, p.cap, p.seed) == (lb.Kind.LINEAR, 0.1, 0.05, 1.0, 42)


def test_replace_changes_only_what_it_names():
    p = lb.exponential(0.5, cap=8, jitter="equal", seed=3).replace(max_attempts=2, cap=4)
    assert (p.initial, p.cap, p.jitter, p.max_attempts, p.seed) == (0.5, 4.0, lb.Jitter.EQUAL, 2, 3)


def test_replace_rejects_unknown_keywords():
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        lb.exponential().replace(colour=3)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: lb.constant(1, multiplier=3), "constant() got an unexpected keyword argument 'multiplier'"),
        (lambda: lb.linear(1, 1, kind="exponential"), "linear() got an unexpected keyword argument 'kind'"),
        (lambda: lb.exponential(increment=1), "exponential() got an unexpected keyword argument 'increment'"),
    ],
)
def test_a_jittered_constructor_rejects_the_parameters_of_another_kind(make, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        make()


def test_repr_shows_the_effective_parameters():
    text = repr(lb.exponential(0.5, cap=8, max_attempts=3, seed=1))
    assert (
        text
        == "Policy(kind='exponential', initial=0.5, multiplier=2.0, cap=8.0, jitter='full', max_attempts=3, seed=1)"
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"multiplier": 0.5}, ValueError, "multiplier: must be at least 1 (got 0.5)"),
        ({"multiplier": float("nan")}, ValueError, "multiplier: must be finite (got NaN)"),
        ({"initial": -1.0}, ValueError, "initial: must not be negative (got -1 s)"),
        ({"initial": float("nan")}, ValueError, "initial: must be a number (got NaN)"),
        ({"cap": float("inf")}, ValueError, "cap: is longer than INT64_MAX nanoseconds"),
        ({"initial": 2.0, "cap": 1.0}, ValueError, "cap: must be at least initial"),
        ({"randomization_factor": 1.5}, ValueError, "randomization_factor: must be in [0, 1] (got 1.5)"),
        ({"jitter": "fulll"}, ValueError, "jitter: unknown value 'fulll' (known: none, full, "),
        ({"kind": "cubic"}, ValueError, "kind: unknown value 'cubic'"),
        ({"max_attempts": -1}, ValueError, "max_attempts: is not a non-negative integer (got '-1')"),
        ({"max_attempts": 2**63}, ValueError, "max_attempts: is larger than INT64_MAX"),
        ({"seed": 2**64}, ValueError, "seed: is not a non-negative integer"),
        ({"initial": "5"}, ValueError, "initial: needs a unit (ns, us, ms, s, m, h) (got '5')"),
        ({"initial": [1]}, TypeError, "initial: expected seconds (float or int), a datetime.timedelta"),
        ({"initial": True}, TypeError, "initial: expected seconds"),
        ({"multiplier": "2"}, TypeError, "multiplier: expected a number (got '2')"),
        ({"max_attempts": 2.0}, TypeError, "max_attempts: expected an int (got 2.0)"),
        ({"jitter": 1}, TypeError, "jitter: expected a name such as 'full' (got 1)"),
    ],
)
def test_bad_input_names_the_parameter_and_the_value(kwargs, error, message):
    with pytest.raises(error) as raised:
        lb.Policy(**kwargs)
    assert message in str(raised.value)


def test_exponential_with_zero_initial_is_rejected_by_the_core():
    with pytest.raises(ValueError, match="initial: must be positive for exponential policies"):
        lb.exponential(0)


def test_malformed_policy_text_is_rejected():
    with pytest.raises(ValueError, match="policy text: expected name=value"):
        lb.Policy.from_text("kind=constant,oops")
    with pytest.raises(ValueError, match="param: unknown parameter name 'colour'"):
        lb.Policy.from_text("colour=blue")


@pytest.mark.parametrize(("attempt", "error"), [(-1, ValueError), (2**64, ValueError), (1.0, TypeError)])
def test_attempt_outside_uint64_is_rejected(attempt, error):
    with pytest.raises(error, match="attempt: "):
        lb.exponential().delay(attempt)


durations_ns = st.integers(min_value=1, max_value=2**63 - 1)


@st.composite
def valid_policies(draw: st.DrawFn) -> lb.Policy:
    kind = draw(st.sampled_from(list(lb.Kind)))
    initial = draw(durations_ns)
    cap = draw(st.integers(min_value=initial, max_value=2**63 - 1))
    return lb.Policy(
        kind,
        initial=f"{initial}ns",
        cap=f"{cap}ns",
        multiplier=draw(st.floats(min_value=1.0, max_value=1e300)),
        increment=f"{draw(st.integers(min_value=0, max_value=2**63 - 1))}ns",
        jitter=draw(st.sampled_from(list(lb.Jitter))),
        randomization_factor=draw(st.floats(min_value=0.0, max_value=1.0)),
        seed=draw(st.integers(min_value=0, max_value=2**64 - 1)),
    )


@given(valid_policies(), st.integers(min_value=0, max_value=2**64 - 1), st.integers(min_value=0, max_value=2**64 - 1))
def test_any_valid_policy_gives_a_delay_between_zero_and_the_cap(policy, attempt, key):
    delay = policy.delay_ns(attempt, key)
    cap_ns = policy._policy.get_i64(lb._core.Param.cap)
    assert delay is not None
    assert 0 <= delay <= cap_ns


@given(valid_policies(), st.lists(st.integers(min_value=0, max_value=2**63 - 1), max_size=20))
def test_any_valid_policy_keeps_stateful_delays_and_hints_under_the_cap(policy, hints):
    state = lb.Backoff(policy, clock=lambda: 0.0)
    cap_ns = policy._policy.get_i64(lb._core.Param.cap)
    for hint in hints:
        delay = state.next_ns(hint)
        assert delay is not None
        assert min(hint, cap_ns) <= delay <= cap_ns


def test_stateless_delay_stops_once_elapsed_time_plus_the_delay_passes_max_elapsed():
    p = lb.constant(4, jitter="none", max_elapsed=10)
    assert p.delay(2, elapsed=6) == 4.0  # 6 + 4 = 10: still allowed
    assert p.delay(2, elapsed=6.5) is None
    assert p.delay_ns(0, elapsed="6s") == 4_000_000_000
    with pytest.raises(ValueError, match="elapsed: must not be negative"):
        p.delay(0, elapsed=-1)


def test_a_text_key_gives_the_same_delay_as_its_utf8_bytes_and_the_core_hash():
    policy = lb.exponential(0.1, cap=10, seed=42)
    job = "job-42"
    by_text = [policy.delay_ns(attempt, job) for attempt in range(8)]
    assert by_text == [policy.delay_ns(attempt, job.encode()) for attempt in range(8)]
    assert by_text == [policy.delay_ns(attempt, key=_core.key_hash(b"job-42")) for attempt in range(8)]
    assert _core.key_hash(b"job-42") == 0x43244671FF95EB28  # tools/gen_vectors.py's independent model
    assert by_text != [policy.delay_ns(attempt, "job-43") for attempt in range(8)]
    assert policy.delay(3, key="ジョブ") == policy.delay(3, key="ジョブ".encode())


@pytest.mark.parametrize(
    ("key", "error", "message"),
    [
        ("\ud800", ValueError, r"key: a str key must encode as UTF-8 .*surrogate"),
        (1.5, TypeError, r"key: expected an int \(got 1.5\)"),
        (None, TypeError, r"key: expected an int \(got None\)"),
        (-1, ValueError, r"key: is not a non-negative integer \(got '-1'\)"),
    ],
)
def test_a_bad_key_names_the_key(key: object, error: type[Exception], message: str):
    with pytest.raises(error, match=message):
        lb.constant(1).delay(0, key)  # type: ignore[arg-type]
