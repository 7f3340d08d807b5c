"""A retry loop given no stop takes the core's (BACKOFF_FIELD_RETRY_DEFAULT: 5 attempts); one given any stop,
or a wait policy with a limit, runs exactly what it was given."""

from __future__ import annotations

import ctypes

import pytest

import libbackoff as lb

BACKOFF_ENUM_PARAM, BACKOFF_PARAM_MAX_ATTEMPTS, BACKOFF_FIELD_RETRY_DEFAULT = 4, 7, 6


@pytest.fixture(autouse=True)
def no_waiting():
    with lb.set_testing():
        yield


def library_default_attempts() -> int:
    """The C library's own answer, asked through its ABI as the CLI and the FFI packages ask it."""
    library = ctypes.CDLL(lb.get_library_path())
    library.backoff_param_info.restype = ctypes.c_char_p
    library.backoff_param_info.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    return int(library.backoff_param_info(BACKOFF_ENUM_PARAM, BACKOFF_PARAM_MAX_ATTEMPTS, BACKOFF_FIELD_RETRY_DEFAULT))


def test_the_default_is_the_c_library_s_5_attempts():
    assert library_default_attempts() == 5
    assert lb.Retrying().policy.max_attempts == 5
    assert (lb.Retrying().policy.max_elapsed, lb.Retrying().policy.deadline) == (0, 0)


def test_a_bare_retry_on_an_always_failing_function_gives_up_after_5_attempts(make_flaky):
    always = make_flaky(10**6)
    wrapped = lb.retry(always)
    with pytest.raises(ConnectionError, match="failure 5"):
        wrapped()
    assert always.calls == 5
    assert wrapped.statistics["attempt_number"] == 5


def test_a_retrying_loop_given_nothing_gives_up_after_5_attempts():
    attempts = 0
    with pytest.raises(ConnectionError):
        for attempt in lb.Retrying():
            with attempt:
                attempts += 1
                raise ConnectionError("down")
    assert attempts == 5


@pytest.mark.anyio
async def test_async_retrying_and_a_bare_async_retry_give_up_after_5_attempts(make_async_flaky):
    always = make_async_flaky(10**6)

    async def call() -> object:
        return await always()

    with pytest.raises(ConnectionError, match="failure 5"):
        await lb.AsyncRetrying()(call)
    assert always.calls == 5
    always.calls = 0
    with pytest.raises(ConnectionError, match="failure 5"):
        await lb.retry(call)()
    assert always.calls == 5


def test_a_shape_without_limits_gets_the_default_too(make_flaky):
    always = make_flaky(10**6)
    wrapped = lb.retry(wait=lb.constant(0.01, jitter="none"))(always)
    with pytest.raises(ConnectionError):
        wrapped()
    assert always.calls == 5
    assert wrapped.retry.policy.initial == 0.01  # the shape given, with the default stop added


def test_max_attempts_0_retries_without_limit(make_flaky):
    flaky = make_flaky(7)  # fails 7 times: past the default only because unlimited was asked for
    assert lb.retry(max_attempts=0)(flaky)() == "ok"
    assert flaky.calls == 8
    assert lb.Retrying(max_tries=0).policy.max_attempts == 0


@pytest.mark.parametrize(
    "options",
    [
        {"max_elapsed": 100},
        {"max_time": 100},
        {"deadline": 100},
        {"stop": lb.stop_after_delay(100)},
        {"wait": lb.constant(1, jitter="none", max_elapsed=100)},
        {"wait": lb.constant(1, jitter="none", deadline=100)},
    ],
    ids=["max_elapsed", "max_time", "deadline", "stop_after_delay", "policy_max_elapsed", "policy_deadline"],
)
def test_a_time_limit_alone_leaves_the_attempts_unlimited(make_flaky, fake_clock, options):
    flaky = make_flaky(7)
    assert lb.retry(clock=fake_clock, **options)(flaky)() == "ok"
    assert flaky.calls == 8


@pytest.mark.parametrize(
    "options", [{"max_attempts": 3}, {"stop": lb.stop_after_attempt(3)}, {"wait": lb.exponential(max_attempts=3)}]
)
def test_a_limit_given_is_the_one_applied(make_flaky, options):
    always = make_flaky(10**6)
    with pytest.raises(ConnectionError):
        lb.retry(**options)(always)()
    assert always.calls == 3
