"""Hooks run before each sleep between attempts (``tenacity.before_sleep``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..._logging import log_before_sleep

if TYPE_CHECKING:
    from ._state import RetryCallState


def before_sleep_nothing(retry_state: RetryCallState) -> None:
    """The default: nothing."""


def before_sleep_log(
    logger: logging.Logger, log_level: int, exc_info: bool = False, sec_format: str = "%.3g"
) -> Callable[[RetryCallState], None]:
    """Logs "Retrying <fn> in <s> seconds as it raised <Error>: <text>." (or "returned <value>.") at
    ``log_level``; with ``exc_info``, the exception's traceback too."""

    def log_it(retry_state: RetryCallState) -> None:
        outcome, action = retry_state.outcome, retry_state.next_action
        if outcome is None or action is None:
            raise RuntimeError("log_it() called before outcome and next_action were set")
        raised = outcome.failed
        value = outcome.exception() if raised else outcome.result()
        log_before_sleep(logger, log_level, retry_state.fn, action.sleep, value, raised, exc_info, sec_format)

    return log_it
