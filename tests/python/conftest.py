"""Shared fixtures: async tests run on asyncio and on trio (anyio's pytest plugin)."""

from __future__ import annotations

import pytest

from libbackoff.testing import FakeClock


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()
