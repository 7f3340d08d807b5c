"""Fixtures of the compatibility tests: one test body runs against the peer library and against our
drop-in where their documented behaviour is the same (as re2's tests run against ``re`` and ``re2``)."""

from __future__ import annotations

import importlib
import types

import pytest


@pytest.fixture(params=["backoff", "libbackoff.compat.backoff"])
def backoff(request: pytest.FixtureRequest) -> types.ModuleType:
    """python-backoff as released, then our drop-in."""
    return importlib.import_module(request.param)


@pytest.fixture(params=["tenacity", "libbackoff.compat.tenacity"])
def tenacity(request: pytest.FixtureRequest) -> types.ModuleType:
    """tenacity as released, then our drop-in."""
    return importlib.import_module(request.param)


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Makes ``time.sleep`` and ``asyncio.sleep`` instant; returns the list of requested sleeps."""
    slept: list[float] = []

    async def asleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr("time.sleep", slept.append)
    monkeypatch.setattr("asyncio.sleep", asleep)
    return slept
