"""Shared fixtures: async tests run on asyncio and on trio (anyio's pytest plugin); flaky operations."""

from __future__ import annotations

import anyio
import pytest

from libbackoff.testing import FakeClock


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


class Flaky:
    """Fails `failures` times with `error`, then returns `result`; `calls` counts the calls."""

    def __init__(self, failures: int, error: type[BaseException] = ConnectionError, result: object = "ok") -> None:
        self.failures = failures
        self.error = error
        self.result = result
        self.calls = 0

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.calls += 1
        return self._outcome()

    def _outcome(self) -> object:
        if self.calls <= self.failures:
            raise self.error(f"failure {self.calls}")
        return self.result


class AsyncFlaky(Flaky):
    """:class:`Flaky` as a coroutine function that yields to the event loop before each outcome."""

    async def __call__(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        self.calls += 1
        await anyio.sleep(0)
        return self._outcome()


@pytest.fixture
def make_flaky() -> type[Flaky]:
    return Flaky


@pytest.fixture
def make_async_flaky() -> type[AsyncFlaky]:
    return AsyncFlaky


@pytest.fixture
def spans():
    """libbackoff.tracing instrumented with a real OpenTelemetry SDK provider whose finished spans
    collect in memory (``spans.get_finished_spans()``); uninstrumented after the test."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    import libbackoff.tracing

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    libbackoff.tracing.instrument(tracer_provider=provider)
    yield exporter
    libbackoff.tracing.uninstrument()
    provider.shutdown()
