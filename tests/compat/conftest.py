"""Fixtures of the compatibility tests: one test body runs against the peer library and against our
drop-in where their documented behaviour is the same (as re2's tests run against ``re`` and ``re2``)."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path

import pytest


def _httpx_transport_fixtures() -> types.ModuleType:
    """The scripted HTTP server on 127.0.0.1 that the httpx transport tests use, for the requests adapter."""
    path = Path(__file__).resolve().parents[1] / "python" / "httpx_transport" / "conftest.py"
    spec = importlib.util.spec_from_file_location("httpx_transport_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_server = _httpx_transport_fixtures()
servers, free_port, sleep = _server.servers, _server.free_port, _server.sleep


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
