"""The functions the Python retry benchmarks decorate, shared so that every benchmark times the same work."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from timing import call_once, swallow

#: Attempts in the failure case: four failures, then give up.
ATTEMPTS = 5


class Flaky(Exception):
    pass


def plain(x: int) -> int:
    return x


def failing(x: int) -> int:
    raise Flaky("boom")


def hand_loop(x: int) -> int:
    """The floor for the failure case: five attempts and a re-raise, no library."""
    for _ in range(ATTEMPTS):
        try:
            return failing(x)
        except Flaky as exc:
            last = exc
    raise last


Decorator = Callable[[Callable[[int], int]], Callable[[int], int]]


def tenacity_decorator(tenacity: types.ModuleType, **extra: Any) -> Decorator:
    """tenacity's (or a drop-in's) retry on Flaky, up to ATTEMPTS attempts, no wait, re-raising."""
    return tenacity.retry(  # type: ignore[no-any-return]
        stop=tenacity.stop_after_attempt(ATTEMPTS),
        wait=tenacity.wait_none(),
        retry=tenacity.retry_if_exception_type(Flaky),
        reraise=True,
        **extra,
    )


def backoff_decorator(backoff: types.ModuleType) -> Decorator:
    """python-backoff's (or a drop-in's) on_exception on Flaky, up to ATTEMPTS tries, zero waits, no logging."""
    return backoff.on_exception(  # type: ignore[no-any-return]
        backoff.constant, Flaky, max_tries=ATTEMPTS, interval=0, jitter=None, logger=None
    )


def success_cases(wrap: dict[str, Decorator]) -> dict[str, Callable[[], object]]:
    """The success case: the plain call, then a call through each decorator."""
    return {"plain call": call_once(plain), **{name: call_once(d(plain)) for name, d in wrap.items()}}


def failure_cases(wrap: dict[str, Decorator]) -> dict[str, Callable[[], object]]:
    """The failure case: the hand-written loop, then a failing call through each decorator."""
    return {
        "hand-written loop": swallow(hand_loop, Flaky),
        **{name: swallow(d(failing), Flaky) for name, d in wrap.items()},
    }
