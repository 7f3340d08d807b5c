"""Checked by ``mypy --strict`` from test_retry_methods.py: every line must type-check, and each
``assert_type`` pins the type mypy infers. Not collected by pytest (no test_ prefix)."""

from __future__ import annotations

from typing_extensions import assert_type

import libbackoff as lb


@lb.retry
def plain(times: int, *, text: str = "x") -> str:
    return text * times


@lb.retry(max_attempts=3, retry=ConnectionError)
async def fetch(url: str) -> bytes:
    return url.encode()


class Client:
    def __init__(self, base: str) -> None:
        self.base = base

    @lb.retry
    def get(self, path: str, timeout: float = 1.0) -> int:
        return len(self.base + path)

    @lb.retry(max_attempts=2, wait=lb.constant(0))
    async def get_async(self, path: str) -> list[int]:
        return [len(self.base + path)]

    @staticmethod
    @lb.retry
    def helper(n: int) -> int:
        return n


def sync_calls() -> None:
    assert_type(plain(2, text="a"), str)
    client = Client("/api")
    assert_type(client.get("/x"), int)
    assert_type(client.get("/x", timeout=2.0), int)
    assert_type(client.get(path="/x"), int)
    assert_type(Client.get(client, "/x"), int)
    assert_type(client.get.retry_with(max_attempts=5)("/y"), int)
    assert_type(client.get.statistics, lb.Statistics)
    assert_type(client.get.retry, lb.Retrying)
    assert_type(Client.helper(3), int)
    assert_type(plain.retry_with(max_attempts=2)(1), str)


async def async_calls() -> None:
    assert_type(await fetch("u"), bytes)
    client = Client("/api")
    assert_type(await client.get_async("/p"), list[int])
    assert_type(await client.get_async.retry_with(max_attempts=1)("/p"), list[int])
