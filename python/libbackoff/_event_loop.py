"""Sleeping in whichever event loop runs the current task, for every ``async`` part of the package (the
retry loop, the adaptive limiter, the httpx transport), which must not import one another to share it."""

from __future__ import annotations

import asyncio
import sys


async def event_loop_sleep(seconds: float) -> None:
    """Sleeps in whichever event loop runs this task: asyncio's, else trio's."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        trio = sys.modules.get("trio")
        if trio is None:
            raise RuntimeError("libbackoff: no running asyncio loop or trio run to sleep in") from None
        await trio.sleep(seconds)
    else:
        await asyncio.sleep(seconds)
