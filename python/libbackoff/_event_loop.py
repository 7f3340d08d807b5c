"""Which event loop runs the current task, asyncio's or trio's, and sleeping in it: for every ``async`` part
of the package (the retry loop and its attempt timeouts, the adaptive limiter, the httpx transport), which
must not import one another to share it. trio is looked up only once imported, never imported here."""

from __future__ import annotations

import asyncio
import sys
from types import ModuleType


def running_trio(error: str) -> ModuleType | None:
    """None inside a running asyncio loop, the ``trio`` module inside a trio run; RuntimeError(``error``)
    in neither."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        trio = sys.modules.get("trio")
        if trio is None:
            raise RuntimeError(error) from None
        return trio
    return None


async def event_loop_sleep(seconds: float) -> None:
    """Sleeps in whichever event loop runs this task: asyncio's, else trio's."""
    trio = running_trio("libbackoff: no running asyncio loop or trio run to sleep in")
    await (asyncio.sleep(seconds) if trio is None else trio.sleep(seconds))
