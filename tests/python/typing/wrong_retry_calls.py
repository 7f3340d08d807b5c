"""Checked by ``mypy --strict`` from test_retry_methods.py: every line marked ``# error`` must be
reported, so that the check of check_retry_types.py can fail."""

from __future__ import annotations

import libbackoff as lb


class Client:
    @lb.retry
    def get(self, path: str) -> int:
        return len(path)

    @lb.retry(max_attempts=2)
    async def get_async(self, path: str) -> int:
        return len(path)


async def wrong_calls() -> None:
    client = Client()
    client.get(5)  # error: an int for a str
    client.get()  # error: path missing
    client.get("/x", "/y")  # error: one argument too many
    text: str = client.get("/x")  # error: the result is an int
    client.get.retry_with(max_attempts="3")  # error: max_attempts is an int
    client.get.retry_with(max_attempts=3)(b"/x")  # error: bytes for a str
    number: int = client.get_async("/x")  # error: a coroutine, not its result
    wrong: str = await client.get_async("/x")  # error: the awaited result is an int
    print(text, number, wrong)
