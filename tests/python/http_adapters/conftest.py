"""One test body for every adapter: ``adapter`` sends requests through requests' ``RetryAdapter`` or
aiohttp's ``RetryMiddleware`` to the httpx tests' scripted server on 127.0.0.1 (real sockets, no mocks),
with a sleep that records the waits instead of waiting."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import requests

from libbackoff.aiohttp import RetryMiddleware
from libbackoff.requests import RetryAdapter


def _load_server_fixtures() -> Any:
    path = Path(__file__).resolve().parent.parent / "httpx_transport" / "conftest.py"
    spec = importlib.util.spec_from_file_location("scripted_http_server", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_server = _load_server_fixtures()
servers, free_port, sleep = _server.servers, _server.free_port, _server.sleep


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


class RequestsClient:
    """A ``requests.Session`` with a ``RetryAdapter`` mounted for http://."""

    name = "requests"
    #: What the library raises for a connection that failed, and so for a breaker's refusal.
    connection_error: type[Exception] = requests.exceptions.ConnectionError
    timeout_error: type[Exception] = requests.exceptions.Timeout

    def __init__(self, **options: Any) -> None:
        self.adapter = RetryAdapter(**options)
        self.session = requests.Session()
        self.session.mount("http://", self.adapter)

    def send(self, method: str, url: str, *, timeout: float = 5.0, **kwargs: Any) -> Answer:
        response = self.session.request(method, url, timeout=timeout, **kwargs)
        return Answer(response.status_code, response.text)

    @staticmethod
    def stream(chunks: list[bytes]) -> Any:
        """A body that the first attempt consumes (sent chunked)."""
        return iter(chunks)

    def close(self) -> None:
        self.session.close()


class AiohttpClient:
    """An ``aiohttp.ClientSession`` with a ``RetryMiddleware``, one event loop a request."""

    name = "aiohttp"
    connection_error: type[Exception] = aiohttp.ClientConnectionError
    timeout_error: type[Exception] = aiohttp.ServerTimeoutError

    def __init__(self, *, sleep: Callable[[float], Any] | None = None, **options: Any) -> None:
        if sleep is not None:
            options["sleep"] = self._async(sleep)
        self.middleware = RetryMiddleware(**options)

    @staticmethod
    def _async(sleep: Callable[[float], Any]) -> Callable[[float], Any]:
        async def asleep(seconds: float) -> None:
            sleep(seconds)

        return asleep

    def send(self, method: str, url: str, *, timeout: float = 5.0, **kwargs: Any) -> Answer:
        async def exchange() -> Answer:
            limits = aiohttp.ClientTimeout(total=60, sock_read=timeout)
            async with aiohttp.ClientSession(middlewares=(self.middleware,), timeout=limits) as session:
                async with session.request(method, url, **kwargs) as response:
                    return Answer(response.status, await response.text())

        return asyncio.run(exchange())

    @staticmethod
    def stream(chunks: list[bytes]) -> Any:
        async def body() -> Any:
            for chunk in chunks:
                yield chunk

        return body()

    def close(self) -> None:
        pass


Client = RequestsClient | AiohttpClient


@pytest.fixture(params=[RequestsClient, AiohttpClient], ids=["requests", "aiohttp"])
def adapter(request: pytest.FixtureRequest) -> Iterator[Callable[..., Client]]:
    """Makes a client of the parametrized library with the given retry options; closes it at the end."""
    made: list[Client] = []

    def make(**options: Any) -> Client:
        client: Client = request.param(**options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
