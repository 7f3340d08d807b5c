"""python-backoff's decorators: limits, handlers and their details, give-up rules, logging and async
targets, against the peer and our drop-in (time.sleep and asyncio.sleep patched by ``no_sleep``)."""

from __future__ import annotations

import asyncio
import logging
import types
from typing import Any

import pytest

import libbackoff.compat.backoff as ours


def failing_then(result: Any, failures: int, error: type[Exception] = ValueError) -> Any:
    """A function that raises ``error`` ``failures`` times, then returns ``result``; ``.calls`` counts."""

    def target(*args: Any, **kwargs: Any) -> Any:
        target.calls += 1  # type: ignore[attr-defined]
        if target.calls <= failures:  # type: ignore[attr-defined]
            raise error(f"failure {target.calls}")  # type: ignore[attr-defined]
        return result

    target.calls = 0  # type: ignore[attr-defined]
    return target


def test_on_exception_retries_until_success(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    target = failing_then("done", 3)
    assert backoff.on_exception(backoff.expo, ValueError, jitter=None)(target)() == "done"
    assert target.calls == 4
    assert no_sleep == [1, 2, 4]


def test_on_exception_does_not_catch_other_exceptions(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    target = failing_then("done", 3, KeyError)
    with pytest.raises(KeyError):
        backoff.on_exception(backoff.expo, (ValueError, TypeError))(target)()
    assert target.calls == 1 and no_sleep == []


def test_max_tries_counts_every_try_and_reraises(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    target = failing_then("done", 10)
    with pytest.raises(ValueError, match="failure 3"):
        backoff.on_exception(backoff.constant, ValueError, max_tries=3, interval=0.5, jitter=None)(target)()
    assert target.calls == 3
    assert no_sleep == [0.5, 0.5]


def test_callable_max_tries_is_read_on_every_failing_call(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    reads: list[int] = []

    def max_tries() -> int:
        reads.append(2)
        return 2

    decorated = backoff.on_exception(backoff.constant, ValueError, max_tries=max_tries)(failing_then(0, 10))
    for _ in range(2):
        with pytest.raises(ValueError):
            decorated()
    assert reads == [2, 2]


def test_wait_gen_keywords_may_be_callables(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    decorated = backoff.on_exception(backoff.constant, ValueError, jitter=None, max_tries=3, interval=lambda: 0.25)
    with pytest.raises(ValueError):
        decorated(failing_then(0, 10))()
    assert no_sleep == [0.25, 0.25]


def test_handlers_receive_python_backoffs_details(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    events: dict[str, list[dict[str, Any]]] = {"success": [], "backoff": [], "giveup": []}
    target = failing_then("done", 2)
    decorated = backoff.on_exception(
        backoff.constant,
        ValueError,
        interval=0,
        jitter=None,
        on_success=events["success"].append,
        on_backoff=events["backoff"].append,
        on_giveup=events["giveup"].append,
    )(target)
    assert decorated(1, 2, key="k") == "done"
    assert [event["tries"] for event in events["backoff"]] == [1, 2]
    for event in events["backoff"]:
        assert set(event) == {"target", "args", "kwargs", "tries", "elapsed", "wait", "exception"}
        assert event["target"] is target and event["args"] == (1, 2) and event["kwargs"] == {"key": "k"}
        assert event["wait"] == 0 and isinstance(event["exception"], ValueError)
    [success] = events["success"]
    assert set(success) == {"target", "args", "kwargs", "tries", "elapsed"}
    assert success["tries"] == 3 and success["elapsed"] >= 0
    assert events["giveup"] == []


def test_handlers_may_be_an_iterable(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    first: list[dict[str, Any]] = []
    second: list[dict[str, Any]] = []
    decorated = backoff.on_predicate(backoff.constant, interval=0, max_tries=3, on_giveup=[first.append, second.append])
    assert decorated(lambda: 0)() == 0
    assert first == second and len(first) == 1
    assert first[0]["tries"] == 3 and first[0]["value"] == 0


def test_giveup_predicate_stops_at_once(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    target = failing_then("done", 5)
    with pytest.raises(ValueError, match="failure 1"):
        backoff.on_exception(backoff.expo, ValueError, giveup=lambda e: "failure" in str(e))(target)()
    assert target.calls == 1


def test_raise_on_giveup_false_returns_none(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    decorated = backoff.on_exception(backoff.expo, ValueError, max_tries=2, raise_on_giveup=False)
    assert decorated(failing_then("done", 5))() is None


def test_an_exhausted_wait_generator_reraises(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    giveups: list[dict[str, Any]] = []
    target = failing_then("done", 5)
    decorated = backoff.on_exception(
        backoff.constant, ValueError, interval=[0.1, 0.2], jitter=None, raise_on_giveup=False, on_giveup=giveups.append
    )
    with pytest.raises(ValueError, match="failure 3"):
        decorated(target)()
    assert no_sleep == [0.1, 0.2] and len(giveups) == 1


def test_on_predicate_retries_falsy_values_and_returns_the_last(
    backoff: types.ModuleType, no_sleep: list[float]
) -> None:
    values = iter([None, 0, "", "ready"])
    assert backoff.on_predicate(backoff.fibo, jitter=None)(lambda: next(values))() == "ready"
    assert no_sleep == [1, 1, 2]
    assert backoff.on_predicate(backoff.constant, lambda v: v < 3, max_tries=2)(lambda: 1)() == 1


def test_runtime_waits_for_what_the_returned_value_asks(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    responses = iter([{"retry_after": 7}, {"retry_after": 2}, {"ok": True}])
    decorated = backoff.on_predicate(
        backoff.runtime, lambda r: "retry_after" in r, value=lambda r: r["retry_after"], jitter=None
    )
    assert decorated(lambda: next(responses))() == {"ok": True}
    assert no_sleep == [7, 2]


def test_default_logger_says_backing_off_and_giving_up(
    backoff: types.ModuleType, no_sleep: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    def flaky() -> None:
        raise ValueError("boom")

    caplog.set_level(logging.DEBUG, logger="backoff")
    with pytest.raises(ValueError):
        backoff.on_exception(backoff.constant, ValueError, max_tries=2, jitter=None, interval=1.5)(flaky)()
    assert caplog.record_tuples == [
        ("backoff", logging.INFO, "Backing off flaky(...) for 1.5s (ValueError: boom)"),
        ("backoff", logging.ERROR, "Giving up flaky(...) after 2 tries (ValueError: boom)"),
    ]


def test_logger_none_is_silent_and_a_name_picks_the_logger(
    backoff: types.ModuleType, no_sleep: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    backoff.on_predicate(backoff.expo, max_tries=2, logger=None)(lambda: False)()
    assert caplog.records == []
    backoff.on_predicate(backoff.expo, max_tries=2, logger="mine", backoff_log_level=logging.WARNING)(lambda: False)()
    assert [(r.name, r.levelno) for r in caplog.records] == [("mine", logging.WARNING), ("mine", logging.ERROR)]


def test_async_targets_and_handlers_are_awaited(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    backoffs: list[int] = []

    async def on_backoff(details: dict[str, Any]) -> None:
        backoffs.append(details["tries"])

    calls = 0

    @backoff.on_exception(backoff.expo, ValueError, jitter=None, on_backoff=on_backoff)
    async def flaky() -> str:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise ValueError
        return "done"

    assert asyncio.iscoroutinefunction(flaky)
    assert asyncio.run(flaky()) == "done"
    assert backoffs == [1, 2] and no_sleep == [1, 2]


def test_async_on_predicate_gives_up_with_the_last_value(backoff: types.ModuleType, no_sleep: list[float]) -> None:
    @backoff.on_predicate(backoff.constant, max_tries=4, interval=0.5, jitter=None)
    async def never_ready() -> bool:
        return False

    assert asyncio.run(never_ready()) is False
    assert no_sleep == [0.5, 0.5, 0.5]


def test_max_time_is_measured_after_each_try_and_clips_the_last_wait(
    monkeypatch: pytest.MonkeyPatch, no_sleep: list[float]
) -> None:
    """python-backoff 2.4's rule (the released 2.2.1 reads the wall clock before each try): our drop-in only."""
    readings = iter([100.0, 101.0, 107.5, 110.2])  # call start, then after each of three tries
    monkeypatch.setattr("time.monotonic", lambda: next(readings))
    giveups: list[dict[str, Any]] = []
    decorated = ours.on_exception(ours.expo, ValueError, max_time=10, jitter=None, factor=4, on_giveup=giveups.append)
    with pytest.raises(ValueError, match="failure 3"):
        decorated(failing_then("done", 5))()
    assert no_sleep == [4, 2.5]  # 4, then 8 clipped to the 2.5 s left at 7.5 s
    assert giveups[0]["tries"] == 3 and giveups[0]["elapsed"] == pytest.approx(10.2)
