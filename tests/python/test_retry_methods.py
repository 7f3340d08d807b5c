"""@retry on methods: binding, retry_with on a bound method, coroutine detection, pickling, and the
static types that ``mypy --strict`` infers for them."""

from __future__ import annotations

import inspect
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

import libbackoff as lb

TYPING = Path(__file__).parent / "typing"


class Service:
    """Fails `failures` times per call sequence, recording which instance ran each attempt."""

    def __init__(self, name: str, failures: int = 1) -> None:
        self.name, self.failures, self.calls = name, failures, 0

    def _attempt(self, value: int) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError(f"{self.name} failure {self.calls}")
        return f"{self.name}:{value}"

    @lb.retry(wait=lb.constant(0), max_attempts=2)
    def fetch(self, value: int) -> str:
        return self._attempt(value)

    @lb.retry(wait=lb.constant(0), max_attempts=2)
    async def fetch_async(self, value: int) -> str:
        return self._attempt(value)


@lb.retry(wait=lb.constant(0), max_attempts=3)
def module_level(value: int) -> int:
    return value * 2


def test_a_retried_method_binds_its_instance() -> None:
    service = Service("a")
    assert service.fetch(1) == "a:1"
    assert service.calls == 2
    assert Service.fetch(Service("b"), 2) == "b:2"  # through the class, the instance is the first argument


def test_retry_with_on_a_bound_method_keeps_the_instance() -> None:
    service = Service("a", failures=3)
    again = service.fetch.retry_with(max_attempts=4)
    assert again(7) == "a:7"
    assert service.calls == 4
    assert again.retry.policy.max_attempts == 4 and service.fetch.retry.policy.max_attempts == 2


@pytest.mark.anyio
async def test_retry_with_on_a_bound_coroutine_method_keeps_the_instance() -> None:
    service = Service("b", failures=2)
    assert await service.fetch_async.retry_with(max_attempts=3)(5) == "b:5"
    assert service.calls == 3


def test_a_retried_coroutine_function_is_still_a_coroutine_function() -> None:
    # Frameworks and CircuitBreaker decide by this whether to await the wrapper.
    assert inspect.iscoroutinefunction(Service.fetch_async)
    assert inspect.iscoroutinefunction(Service("c").fetch_async)
    assert not inspect.iscoroutinefunction(Service.fetch)
    assert not inspect.iscoroutinefunction(module_level)


def test_the_wrapper_keeps_the_name_docs_and_statistics() -> None:
    service = Service("d")
    service.fetch(1)
    assert (Service.fetch.__name__, Service.fetch.__qualname__) == ("fetch", "Service.fetch")
    assert service.fetch.statistics is Service.fetch.statistics
    assert service.fetch.statistics.attempt_number == 2


def test_a_module_level_retried_function_pickles_by_name() -> None:
    # multiprocessing sends functions so.
    assert pickle.loads(pickle.dumps(module_level)) is module_level
    assert module_level(4) == 8


def _mypy(*files: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir=/dev/null", "--no-error-summary", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        cwd=TYPING,
    )
    assert result.stderr == "", result.stderr
    return [line for line in result.stdout.splitlines() if ": error:" in line]


def test_mypy_strict_accepts_retried_methods_and_reports_every_wrong_call() -> None:
    errors = _mypy(TYPING / "check_retry_types.py", TYPING / "wrong_retry_calls.py")
    assert [line for line in errors if "check_retry_types.py" in line] == []
    wrong = (TYPING / "wrong_retry_calls.py").read_text().splitlines()
    expected = {number for number, line in enumerate(wrong, 1) if re.search(r"  # error: ", line)}
    reported = {int(m.group(1)) for line in errors if (m := re.search(r"wrong_retry_calls\.py:(\d+):", line))}
    assert reported == expected, "\n".join(errors)
