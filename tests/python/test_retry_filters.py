"""What ``retry=`` (and ``permanent=``, ``retry_if_result=``) accept, checked at decoration time: objects
made for tenacity or backoff are refused with a TypeError, not silently called with an exception.

Uses the real tenacity and backoff packages (scripts/test installs them)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import backoff
import pytest
import tenacity

import libbackoff as lb


def _fails_once() -> Callable[[], str]:
    calls = []

    def fn() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("first")
        return "ok"

    return fn


FOREIGN: dict[str, object] = {
    "tenacity.retry_if_exception_type": tenacity.retry_if_exception_type(ConnectionError),
    "tenacity.retry_if_exception_message": tenacity.retry_if_exception_message(match="boom"),
    "tenacity.retry_any": tenacity.retry_any(tenacity.retry_if_exception_type(IOError)),
    "tenacity.retry_always": tenacity.retry_always,
    "tenacity.retry_if_exception_type (the class)": tenacity.retry_if_exception_type,
    "tenacity.stop_after_attempt": tenacity.stop_after_attempt(3),
    "tenacity.wait_exponential": tenacity.wait_exponential(),
    "backoff.expo": backoff.expo,
    "backoff.constant": backoff.constant,
    "backoff.on_exception": backoff.on_exception,
}


@pytest.mark.parametrize("value", FOREIGN.values(), ids=FOREIGN.keys())
@pytest.mark.parametrize("param", ["retry", "permanent"])
def test_an_object_of_another_retry_library_is_refused_at_decoration(param: str, value: object) -> None:
    with pytest.raises(TypeError, match=rf"^{param}: .*(tenacity|backoff) library, not libbackoff"):
        lb.retry(**{param: value})(_fails_once())  # type: ignore[call-overload]


@pytest.mark.parametrize("value", FOREIGN.values(), ids=FOREIGN.keys())
def test_a_foreign_object_is_refused_inside_a_tuple_too(value: object) -> None:
    with pytest.raises(TypeError, match=r"^retry: .*library, not libbackoff"):
        lb.Retrying(retry=(ConnectionError, value))  # type: ignore[arg-type]


def test_a_tenacity_result_predicate_is_refused_for_retry_if_result() -> None:
    with pytest.raises(TypeError, match=r"^retry_if_result: .*tenacity library"):
        lb.retry(retry_if_result=tenacity.retry_if_result(lambda r: r is None))(_fails_once())  # type: ignore[call-overload]


def test_a_callable_written_for_tenacity_is_refused_by_its_argument_name() -> None:
    def my_retry(retry_state: Any) -> bool:
        return True

    with pytest.raises(TypeError, match=r"^retry: .*takes tenacity's retry_state"):
        lb.retry(retry=my_retry)(_fails_once())


def test_a_generator_or_coroutine_function_is_refused_as_a_predicate() -> None:
    def generator(exc: Exception) -> Iterator[bool]:
        yield False

    async def coroutine(exc: Exception) -> bool:
        return False

    for predicate in (generator, coroutine):
        with pytest.raises(TypeError, match=r"^retry: .*always true"):
            lb.Retrying(retry=predicate)  # type: ignore[arg-type]


def test_a_predicate_that_cannot_take_one_argument_is_refused() -> None:
    with pytest.raises(TypeError, match=r"^retry: .*cannot be called with one argument"):
        lb.Retrying(retry=lambda: True)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^retry: .*cannot be called with one argument"):
        lb.Retrying(retry=lambda exc, other: True)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", [int, (ConnectionError, "x"), (), 3, "ConnectionError", KeyboardInterrupt, backoff.expo()]
)
def test_anything_else_that_is_no_filter_is_refused(value: object) -> None:
    if value == ():
        # An empty tuple is a filter: it matches no exception, so nothing is retried.
        assert lb.Retrying(retry=())  # type: ignore[arg-type]
        return
    with pytest.raises(TypeError, match=r"^retry: "):
        lb.Retrying(retry=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [ConnectionError, (ConnectionError, TimeoutError), lambda exc: isinstance(exc, OSError), lambda *args: True],
    ids=["class", "tuple", "predicate", "varargs predicate"],
)
def test_the_filters_libbackoff_takes_are_accepted_and_retry(value: Any) -> None:
    wrapped = lb.retry(retry=value, wait=lb.constant(0), max_attempts=2)(_fails_once())
    assert wrapped() == "ok"
