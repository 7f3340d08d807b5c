"""@retry and Retrying on plain functions: every option, hook and outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest

import libbackoff as lb


def fixed(seconds: float = 1.0, **kwargs: object) -> lb.Policy:
    return lb.constant(seconds, jitter="none", **kwargs)  # type: ignore[arg-type]


def test_bare_decorator_retries_until_success(fake_clock, make_flaky):
    flaky = make_flaky(2)
    wrapped = lb.retry(flaky)
    with lb.set_testing():
        assert wrapped() == "ok"
    assert flaky.calls == 3


def test_decorator_with_options_passes_arguments_through(fake_clock):
    seen = []

    @lb.retry(wait=fixed(), max_attempts=3, sleep=fake_clock.sleep)
    def add(a: int, b: int = 0) -> int:
        seen.append((a, b))
        if len(seen) < 2:
            raise ValueError("once")
        return a + b

    assert add(2, b=3) == 5
    assert seen == [(2, 3), (2, 3)]
    assert fake_clock.sleeps == [1.0]
    assert add.__name__ == "add"


def test_waits_follow_the_policy(fake_clock, make_flaky):
    flaky = make_flaky(4)
    wrapped = lb.retry(wait=lb.exponential(0.5, cap=3, jitter="none"), sleep=fake_clock.sleep)(flaky)
    assert wrapped() == "ok"
    assert fake_clock.sleeps == [0.5, 1.0, 2.0, 3.0]


def test_giving_up_reraises_the_last_exception_by_default(fake_clock, make_flaky):
    flaky = make_flaky(10)
    wrapped = lb.retry(wait=fixed(), max_attempts=3, sleep=fake_clock.sleep)(flaky)
    with pytest.raises(ConnectionError, match="failure 3"):
        wrapped()
    assert flaky.calls == 3
    assert fake_clock.sleeps == [1.0, 1.0]


def test_reraise_false_raises_retry_error_carrying_the_last_attempt(fake_clock, make_flaky):
    wrapped = lb.retry(wait=fixed(), max_attempts=2, reraise=False, sleep=fake_clock.sleep)(make_flaky(10))
    with pytest.raises(lb.RetryError) as raised:
        wrapped()
    error = raised.value
    assert isinstance(error.__cause__, ConnectionError)
    assert error.last_attempt.attempt_number == 2
    assert str(error.last_attempt.exception()) == "failure 2"
    assert str(error) == "gave up after 2 attempts; last exception: ConnectionError('failure 2')"
    with pytest.raises(ConnectionError, match="failure 2"):
        error.reraise()
    with pytest.raises(ConnectionError):
        error.last_attempt.result()


def test_only_the_listed_exception_types_are_retried(fake_clock, make_flaky):
    flaky = make_flaky(1, error=KeyError)
    wrapped = lb.retry(retry=(ConnectionError, TimeoutError), sleep=fake_clock.sleep)(flaky)
    with pytest.raises(KeyError):
        wrapped()
    assert flaky.calls == 1


def test_a_predicate_chooses_which_exceptions_are_retried(fake_clock, make_flaky):
    flaky = make_flaky(2, error=OSError)
    wrapped = lb.retry(retry=lambda exc: "failure 1" in str(exc), sleep=fake_clock.sleep)(flaky)
    with pytest.raises(OSError, match="failure 2"):
        wrapped()
    assert flaky.calls == 2


def test_permanent_errors_are_raised_at_once_even_when_retry_matches(fake_clock, make_flaky):
    flaky = make_flaky(3, error=PermissionError)  # a subclass of OSError
    gave_up = []
    wrapped = lb.retry(retry=OSError, permanent=PermissionError, on_giveup=gave_up.append, sleep=fake_clock.sleep)(
        flaky
    )
    with pytest.raises(PermissionError):
        wrapped()
    assert flaky.calls == 1
    assert [state.attempt_number for state in gave_up] == [1]


def test_permanent_predicate(fake_clock, make_flaky):
    wrapped = lb.retry(permanent=lambda exc: "failure 2" in str(exc), sleep=fake_clock.sleep)(make_flaky(5))
    with pytest.raises(ConnectionError, match="failure 2"):
        wrapped()


def test_results_matching_the_predicate_are_retried(fake_clock):
    results = iter([None, None, 42])
    wrapped = lb.retry(retry_if_result=lambda value: value is None, sleep=fake_clock.sleep)(lambda: next(results))
    assert wrapped() == 42
    assert len(fake_clock.sleeps) == 2


def test_a_result_still_rejected_at_the_end_raises_retry_error(fake_clock):
    wrapped = lb.retry(retry_if_result=lambda value: value is None, max_attempts=3, sleep=fake_clock.sleep)(
        lambda: None
    )
    with pytest.raises(lb.RetryError) as raised:
        wrapped()
    assert raised.value.__cause__ is None
    assert raised.value.last_attempt.result() is None
    assert raised.value.last_attempt.attempt_number == 3
    with pytest.raises(lb.RetryError):
        raised.value.reraise()


def test_hooks_see_the_call_state(fake_clock, make_flaky):
    events = []
    wrapped = lb.retry(
        wait=fixed(2),
        max_attempts=4,
        sleep=fake_clock.sleep,
        before_sleep=lambda s: events.append(("sleep", s.attempt_number, s.upcoming_sleep, str(s.exception()))),
        on_success=lambda s: events.append(("success", s.attempt_number, s.idle_for, s.result())),
    )(make_flaky(2))
    assert wrapped("arg") == "ok"
    assert events == [
        ("sleep", 1, 2.0, "failure 1"),
        ("sleep", 2, 2.0, "failure 2"),
        ("success", 3, 4.0, "ok"),
    ]


def test_on_success_runs_for_a_first_try_success_too():
    states = []
    assert lb.retry(on_success=states.append)(lambda: 5)() == 5
    assert [(s.attempt_number, s.idle_for, s.result(), s.failed) for s in states] == [(1, 1 - 1.0, 5, False)]


def test_on_giveup_runs_before_the_exception_is_raised(fake_clock, make_flaky):
    seen = []
    wrapped = lb.retry(wait=fixed(), max_attempts=2, sleep=fake_clock.sleep, on_giveup=seen.append)(make_flaky(5))
    with pytest.raises(ConnectionError):
        wrapped()
    assert [(s.attempt_number, s.idle_for, str(s.exception())) for s in seen] == [(2, 1.0, "failure 2")]


def test_backoff_style_handlers_read_the_details_keys(fake_clock, make_flaky):
    details = []
    wrapped = lb.retry(wait=fixed(0.5), max_tries=2, on_backoff=details.append, sleep=fake_clock.sleep)(make_flaky(1))
    assert wrapped(1, x=2) == "ok"
    (state,) = details
    assert (state["tries"], state["wait"], state["args"], state["kwargs"]) == (1, 0.5, (1,), {"x": 2})
    assert str(state["exception"]) == "failure 1"
    assert state["value"] is None
    assert state["target"] is wrapped.__wrapped__


def test_statistics_describe_the_latest_call(fake_clock, make_flaky):
    flaky = make_flaky(2)
    wrapped = lb.retry(wait=fixed(1.5), sleep=fake_clock.sleep)(flaky)
    assert dict(wrapped.statistics) == {"attempt_number": 0, "idle_for": 0.0}
    wrapped()
    assert dict(wrapped.statistics) == {"attempt_number": 3, "idle_for": 3.0}
    wrapped()
    assert wrapped.statistics["attempt_number"] == 1
    assert wrapped.statistics.idle_for == 0.0
    assert wrapped.retry.statistics is wrapped.statistics


def test_statistics_after_giving_up(fake_clock, make_flaky):
    wrapped = lb.retry(wait=fixed(), max_attempts=3, sleep=fake_clock.sleep)(make_flaky(9))
    with pytest.raises(ConnectionError):
        wrapped()
    assert dict(wrapped.statistics) == {"attempt_number": 3, "idle_for": 2.0}


def test_an_exception_retry_after_hint_is_honoured_and_capped(fake_clock):
    class Throttled(Exception):
        def __init__(self, retry_after: object) -> None:
            super().__init__("throttled")
            self.retry_after = retry_after

    hints = iter([7.0, timedelta(seconds=2), 3600.0])

    def call() -> str:
        hint = next(hints, None)
        if hint is None:
            return "ok"
        raise Throttled(hint)

    wrapped = lb.retry(wait=lb.constant(1, jitter="none", cap=30), sleep=fake_clock.sleep)(call)
    assert wrapped() == "ok"
    assert fake_clock.sleeps == [7.0, 2.0, 30.0]


def test_a_custom_retry_after_reads_the_hint(fake_clock, make_flaky):
    wrapped = lb.retry(wait=fixed(), retry_after=lambda exc: 4.0, sleep=fake_clock.sleep)(make_flaky(1))
    wrapped()
    assert fake_clock.sleeps == [4.0]


def test_a_malformed_hint_names_retry_after(fake_clock, make_flaky):
    wrapped = lb.retry(retry_after=lambda exc: -3.0, sleep=fake_clock.sleep)(make_flaky(1))
    with pytest.raises(ValueError, match=r"retry_after: must not be negative \(got -3 s\)"):
        wrapped()


def test_max_elapsed_counts_from_the_first_failure(fake_clock):
    def slow_then_failing() -> None:
        fake_clock.now += 100  # every attempt takes 100 s, the first one included
        raise ConnectionError("down")

    calls = []

    def counting() -> None:
        calls.append(1)
        slow_then_failing()

    wrapped = lb.retry(wait=fixed(10), max_elapsed=250, clock=fake_clock, sleep=fake_clock.sleep)(counting)
    with pytest.raises(ConnectionError):
        wrapped()
    # The window opens at the first failure (t = 100 after the call began). Elapsed at each decision:
    # 0, 110, 220 (220 + 10 <= 250: wait), 330 (stop). Counted from the call's start, the third decision
    # would see 320 and stop one attempt earlier.
    assert len(calls) == 4
    assert fake_clock.sleeps == [10.0, 10.0, 10.0]


def test_stop_conditions_set_policy_limits():
    r = lb.Retrying(stop=lb.stop_after_attempt(4) | lb.stop_after_delay(9))
    assert (r.policy.max_attempts, r.policy.max_elapsed) == (4, 9.0)
    assert lb.Retrying(max_time=timedelta(minutes=1)).policy.max_elapsed == 60.0
    assert lb.Retrying(max_tries=2).policy.max_attempts == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_attempts": 2, "max_tries": 3}, "max_attempts and max_tries both set the same limit"),
        ({"max_elapsed": 2, "stop": lb.stop_after_delay(3)}, "max_elapsed and stop both set the same limit"),
        ({"before_sleep": print, "on_backoff": print}, "before_sleep and on_backoff both set the same limit"),
        ({"wait": 5}, "wait: expected a libbackoff Policy"),
        ({"stop": 3}, "stop: expected stop_after_attempt()"),
        ({"retry": KeyboardInterrupt}, "retry: KeyboardInterrupt is not an Exception subclass"),
        ({"retry": "ValueError"}, "retry: expected an Exception subclass, a tuple of them or a predicate"),
        ({"permanent": (ValueError, 3)}, "permanent: expected an Exception subclass"),
        ({"before_sleep": 3}, "before_sleep: expected a callable (got 3)"),
        ({"colour": "blue"}, "unexpected keyword argument 'colour'"),
    ],
)
def test_bad_options_are_named(options, message):
    with pytest.raises(TypeError) as raised:
        lb.Retrying(**options)
    assert message in str(raised.value)


def test_a_bad_limit_value_names_the_limit():
    with pytest.raises(ValueError, match="max_elapsed: must not be negative"):
        lb.retry(max_elapsed=-1)(print)


def test_stop_conditions_reject_the_same_limit_twice():
    with pytest.raises(TypeError, match=r"stop: cannot combine .* max_attempts is on both sides"):
        lb.stop_after_attempt(2) | lb.stop_after_attempt(3)


def test_keyboard_interrupt_from_the_call_is_never_retried(fake_clock, make_flaky):
    flaky = make_flaky(3, error=KeyboardInterrupt)  # type: ignore[arg-type]
    wrapped = lb.retry(sleep=fake_clock.sleep)(flaky)
    with pytest.raises(KeyboardInterrupt):
        wrapped()
    assert flaky.calls == 1


def test_retry_with_changes_options_of_a_copy(fake_clock, make_flaky):
    flaky = make_flaky(5)
    wrapped = lb.retry(wait=fixed(), max_attempts=2, sleep=fake_clock.sleep)(flaky)
    assert wrapped.retry_with(max_attempts=10)() == "ok"
    assert wrapped.retry.policy.max_attempts == 2


def test_retrying_calls_a_function_with_retries(fake_clock, make_flaky):
    retrying = lb.Retrying(wait=fixed(), sleep=fake_clock.sleep)
    assert retrying(make_flaky(2), "arg") == "ok"
    assert repr(retrying).startswith("Retrying(policy=Policy(kind='constant'")


def test_retrying_refuses_coroutine_functions():
    async def coroutine() -> None:
        return None

    with pytest.raises(TypeError, match="is a coroutine function: use AsyncRetrying or @retry"):
        lb.Retrying().wraps(coroutine)


def test_attempt_loop_retries_the_block(fake_clock, make_flaky):
    flaky = make_flaky(2)
    numbers = []
    for attempt in lb.Retrying(wait=fixed(), sleep=fake_clock.sleep):
        with attempt:
            numbers.append(attempt.retry_state.attempt_number)
            flaky()
    assert numbers == [1, 2, 3]
    assert fake_clock.sleeps == [1.0, 1.0]


def test_attempt_loop_gives_up_with_the_last_exception(fake_clock):
    retrying = lb.Retrying(wait=fixed(), max_attempts=3, sleep=fake_clock.sleep)
    with pytest.raises(ConnectionError, match="failure 3"):
        for attempt in retrying:
            with attempt:
                raise ConnectionError(f"failure {attempt.retry_state.attempt_number}")
    assert dict(retrying.statistics) == {"attempt_number": 3, "idle_for": 2.0}


def test_attempt_loop_with_retry_error(fake_clock):
    with pytest.raises(lb.RetryError):
        for attempt in lb.Retrying(max_attempts=2, reraise=False, sleep=fake_clock.sleep):
            with attempt:
                raise ValueError("no")


def test_attempt_loop_lets_permanent_errors_and_interrupts_through(fake_clock):
    with pytest.raises(KeyError):
        for attempt in lb.Retrying(retry=ValueError, sleep=fake_clock.sleep):
            with attempt:
                raise KeyError("permanent")
    with pytest.raises(KeyboardInterrupt):
        for attempt in lb.Retrying(sleep=fake_clock.sleep):
            with attempt:
                raise KeyboardInterrupt


def test_attempt_loop_honours_hints_and_hooks(fake_clock):
    class Throttled(Exception):
        retry_after = 6.0

    seen = []
    for attempt in lb.Retrying(
        wait=fixed(), before_sleep=lambda s: seen.append(s.upcoming_sleep), sleep=fake_clock.sleep
    ):
        with attempt:
            if attempt.retry_state.attempt_number == 1:
                raise Throttled()
    assert seen == [6.0]
    assert fake_clock.sleeps == [6.0]


def test_clock_injection_drives_elapsed_in_hooks(fake_clock, make_flaky):
    elapsed = []
    wrapped = lb.retry(
        wait=fixed(5), clock=fake_clock, sleep=fake_clock.sleep, before_sleep=lambda s: elapsed.append(s.elapsed)
    )(make_flaky(3))
    wrapped()
    assert elapsed == [0.0, 5.0, 10.0]


@pytest.mark.parametrize("clock", [None, "fake"], ids=["plain loop", "fake clock"])
def test_the_last_exception_is_not_chained_to_earlier_failures(clock, fake_clock, make_flaky):
    # Every attempt runs outside the handler of the one before: nothing is chained implicitly.
    options = {} if clock is None else {"clock": fake_clock}
    with lb.set_testing(), pytest.raises(ConnectionError, match="failure 3") as raised:
        lb.retry(max_attempts=3, **options)(make_flaky(5))()
    assert raised.value.__context__ is None and raised.value.__cause__ is None


def test_the_plain_loop_honours_a_retry_after_attribute():
    class Throttled(Exception):
        retry_after = timedelta(seconds=7)

    @lb.retry(wait=fixed(0.5, cap=30), max_attempts=2, retry=Throttled)
    def throttled() -> None:
        raise Throttled

    with lb.set_testing(), pytest.raises(Throttled):
        throttled()
    assert dict(throttled.statistics) == {"attempt_number": 2, "idle_for": 7.0}
