"""`|` and `&` on stops: the core policy's stop_when, any or all, driven by real retried calls on a fake
clock; and the combinations the core cannot say, refused by name."""

from __future__ import annotations

import pytest

import libbackoff as lb
from libbackoff.testing import FakeClock


def always_fails(calls: list[float], clock: FakeClock):
    def operation() -> None:
        calls.append(clock())
        raise ConnectionError("down")

    return operation


def attempts_until_giving_up(stop: lb.Stop, fake_clock: FakeClock) -> int:
    calls: list[float] = []
    wrapped = lb.retry(wait=lb.constant(1, jitter="none"), stop=stop, clock=fake_clock)(always_fails(calls, fake_clock))
    with pytest.raises(ConnectionError):
        wrapped()
    return len(calls)


def test_or_stops_at_the_first_limit_reached(fake_clock):
    assert attempts_until_giving_up(lb.stop_after_attempt(3) | lb.stop_after_delay(10), fake_clock) == 3


def test_and_stops_once_every_limit_is_reached(fake_clock):
    # Three attempts are not enough: the waits go on until the 10 s since the first failure are used up.
    assert attempts_until_giving_up(lb.stop_after_attempt(3) & lb.stop_after_delay(10), fake_clock) == 11
    # And 2 s are not enough: the attempts must be made too.
    assert attempts_until_giving_up(lb.stop_after_delay(2) & lb.stop_after_attempt(6), fake_clock) == 6


def test_and_sets_stop_when_all_on_the_policy():
    stop = lb.stop_after_attempt(3) & lb.stop_after_delay(10)
    assert stop.stop_when is lb.StopWhen.ALL
    retrying = lb.Retrying(wait=lb.constant(1), stop=stop)
    assert retrying.policy.stop_when is lb.StopWhen.ALL
    assert (retrying.policy.max_attempts, retrying.policy.max_elapsed) == (3, 10.0)
    assert "stop_when='all'" in repr(retrying.policy)


def test_a_side_without_limits_keeps_the_other_side_s_rule():
    both = lb.stop_after_attempt(3) & lb.stop_after_delay(10)
    assert (both | lb.Stop()).stop_when is lb.StopWhen.ALL
    assert (lb.Stop() & (lb.stop_after_attempt(3) | lb.stop_after_delay(10))).stop_when is lb.StopWhen.ANY
    assert lb.stop_after_attempt(3).stop_when is None  # one limit: the policy's own rule stands


@pytest.mark.parametrize(
    ("combine", "operator"),
    [
        (lambda: (lb.stop_after_attempt(3) | lb.stop_after_delay(10)) & lb.stop_after_attempt(5), "&"),
        (lambda: (lb.stop_after_attempt(3) & lb.stop_after_delay(10)) | lb.stop_after_delay(60), "|"),
        (lambda: lb.stop_after_attempt(2) & lb.stop_after_attempt(3), "&"),
    ],
)
def test_a_combination_the_core_cannot_say_is_a_type_error_naming_the_operands(combine, operator):
    with pytest.raises(TypeError) as raised:
        combine()
    message = str(raised.value)
    assert message.startswith("stop: cannot combine Stop(max_attempts=")
    assert f") {operator} Stop(" in message
    assert "is on both sides" in message


def test_policy_takes_stop_when_by_name_or_member_and_refuses_others():
    assert lb.Policy(stop_when="all").stop_when is lb.StopWhen.ALL
    assert lb.Policy(stop_when=lb.StopWhen.ANY).stop_when is lb.StopWhen.ANY
    assert lb.Policy().stop_when is lb.StopWhen.ANY
    assert lb.Policy.from_text("max_attempts=3,stop_when=all").stop_when is lb.StopWhen.ALL
    with pytest.raises(ValueError, match=r"stop_when: unknown value 'both' \(known: any, all\)"):
        lb.Policy(stop_when="both")


def test_the_stateless_delay_applies_all_with_the_elapsed_time_given():
    policy = lb.constant(1, jitter="none", max_attempts=3, max_elapsed=10, stop_when="all")
    assert policy.delay(2, elapsed=0) == 1.0  # attempts used up, time not
    assert policy.delay(2, elapsed=9.5) is None  # both
    assert policy.delay(1, elapsed=9.5) == 1.0  # time used up, attempts not


def test_the_deadline_ends_the_call_under_and_too(fake_clock):
    calls: list[float] = []
    stop = lb.stop_after_attempt(3) & lb.stop_after_delay(100)
    wrapped = lb.retry(wait=lb.constant(1, jitter="none"), stop=stop, deadline=5, clock=fake_clock)(
        always_fails(calls, fake_clock)
    )
    with pytest.raises(ConnectionError):
        wrapped()
    assert len(calls) == 5
