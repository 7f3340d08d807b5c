"""What ``@retry`` returns for a plain function, the ``_core.Retried`` type (bindings/bind_retried.cpp):
a wrapper that looks like the function, binds as a method, raises what the function raised, lets
interrupts through at once, honours testing mode, and is freed with the cycles it is part of."""

from __future__ import annotations

import gc
import inspect
import logging
import traceback
import weakref

import pytest

import libbackoff as lb

NO_WAIT = lb.constant(0)


class Service:
    """Greets with a prefix; `fail_with` raised by each attempt until it is empty."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.fail_with: list[BaseException] = []

    @lb.retry(wait=NO_WAIT, max_attempts=3)
    def greet(self, name: str, *, punctuation: str = "!") -> str:
        """Says hello."""
        if self.fail_with:
            raise self.fail_with.pop(0)
        return f"{self.prefix} {name}{punctuation}"


def test_the_wrapper_has_the_functions_signature_and_the_bound_one_drops_self() -> None:
    assert inspect.signature(Service.greet) == inspect.signature(Service.greet.__wrapped__)
    assert str(inspect.signature(Service("hi").greet)) == "(name: 'str', *, punctuation: 'str' = '!') -> 'str'"


def test_a_bound_retried_method_reads_as_the_method() -> None:
    service = Service("hi")
    bound = service.greet
    assert (bound.__name__, bound.__qualname__, bound.__doc__) == ("greet", "Service.greet", "Says hello.")
    assert bound.__module__ == __name__ and bound.__wrapped__ is Service.greet.__wrapped__
    assert bound.__self__ is service and bound.__func__ is Service.greet
    assert repr(bound).startswith("<bound retried <function Service.greet at ") and repr(service) in repr(bound)
    assert Service.__dict__["greet"].__get__(None, Service) is Service.greet


def test_positional_and_keyword_arguments_reach_every_attempt() -> None:
    service = Service("hi")
    service.fail_with = [ConnectionError("down")]
    assert service.greet("bo", punctuation="?") == "hi bo?"
    assert Service.greet(service, "al") == "hi al!"
    # Through the Python driver too: a deadline makes the call begin before its first attempt.
    with_deadline = Service.greet.retry_with(deadline=60)
    service.fail_with = [ConnectionError("down")]
    assert with_deadline(service, "cy", punctuation=".") == "hi cy."


def test_the_last_attempts_exception_is_raised_unchained_with_its_own_traceback() -> None:
    service = Service("hi")
    first, last = ConnectionError("first"), ConnectionError("last")
    service.fail_with = [first, ConnectionError("second"), last]
    with pytest.raises(ConnectionError) as raised:
        service.greet("bo")
    assert raised.value is last
    assert last.__context__ is None and last.__cause__ is None  # not chained to the earlier attempts
    frames = [frame.name for frame in traceback.extract_tb(last.__traceback__)]
    assert frames[-1] == "greet" and frames[0] == "test_the_last_attempts_exception_is_raised_unchained_with_its_own_traceback"


def test_an_interrupt_in_a_retry_ends_the_call_at_once() -> None:
    service = Service("hi")
    service.fail_with = [ConnectionError("down"), KeyboardInterrupt(), ConnectionError("never raised")]
    with pytest.raises(KeyboardInterrupt):
        service.greet("bo")
    assert len(service.fail_with) == 1
    assert Service.greet.statistics.attempt_number == 1  # the interrupted attempt has no outcome


def test_a_permanent_error_after_a_retry_is_logged_as_such(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="libbackoff")
    errors = iter([ConnectionError("down"), KeyError("gone")])

    @lb.retry(wait=NO_WAIT, max_attempts=5, retry=ConnectionError)
    def fetch() -> None:
        raise next(errors)

    with lb.set_testing(), pytest.raises(KeyError):
        fetch()
    assert [(record.levelname, record.retry_attempt, record.retry_give_up) for record in caplog.records] == [
        ("WARNING", 1, None),
        ("ERROR", 2, "permanent"),
    ]


def test_testing_mode_caps_the_attempts_of_a_plain_call() -> None:
    calls = []

    @lb.retry(wait=NO_WAIT, max_attempts=10)
    def fetch() -> None:
        calls.append(1)
        raise ConnectionError("down")

    with lb.set_testing(True, attempts=2), pytest.raises(ConnectionError):
        fetch()
    assert len(calls) == 2 and fetch.statistics.attempt_number == 2
    with lb.set_testing(True), pytest.raises(ConnectionError):
        fetch()
    assert len(calls) == 12 and fetch.statistics.attempt_number == 10


def test_a_retried_function_in_a_reference_cycle_is_freed() -> None:
    def make() -> weakref.ref[object]:
        @lb.retry(wait=NO_WAIT, max_attempts=2)
        def recursive(n: int) -> int:
            return 0 if n == 0 else recursive(n - 1)  # the function's closure holds its wrapper

        assert recursive(3) == 0
        return weakref.ref(recursive)

    dead = make()
    gc.collect()
    assert dead() is None


def test_retry_with_makes_a_new_wrapper_of_the_same_function() -> None:
    again = Service.greet.retry_with(max_attempts=5)
    assert again.__wrapped__ is Service.greet.__wrapped__ and again.retry.policy.max_attempts == 5
    assert Service.greet.retry.policy.max_attempts == 3
    with pytest.raises(TypeError, match="keyword"):
        Service.greet.retry_with(5)  # type: ignore[arg-type]
