"""Which event loop runs the current task: asyncio's or trio's. The async retry loop sleeps and times its
attempts in whichever it is, without depending on trio (it is looked up only once imported)."""

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
