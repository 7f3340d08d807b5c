"""Hooks run before each sleep between attempts (``tenacity.before_sleep``)."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

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
        exception = outcome.exception()
        if outcome.failed:
            verb, value = "raised", f"{type(exception).__name__}: {exception}"
        else:
            verb, value = "returned", outcome.result()
        message = f"Retrying {retry_state.get_fn_name()} in {sec_format % action.sleep} seconds as it {verb} {value}."
        if exc_info and exception is not None:
            # In the message rather than as logging's exc_info=, as tenacity 9.2 does, so loggers whose
            # log() takes no keywords (structlog, loguru) work too.
            lines = traceback.format_exception(type(exception), exception, exception.__traceback__)
            message = f"{message}\n{''.join(lines).rstrip()}"
        logger.log(log_level, message)

    return log_it
