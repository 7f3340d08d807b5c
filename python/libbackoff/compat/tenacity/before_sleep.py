"""Hooks run before each sleep between attempts (``tenacity.before_sleep``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from ._utils import get_callback_name

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
        traceback: BaseException | bool = False
        if outcome.failed:
            exception = outcome.exception()
            verb, value = "raised", f"{type(exception).__name__}: {exception}"
            if exc_info and exception is not None:
                traceback = exception
        else:
            verb, value = "returned", outcome.result()
        fn_name = "<unknown>" if retry_state.fn is None else get_callback_name(retry_state.fn)
        logger.log(
            log_level,
            f"Retrying {fn_name} in {sec_format % action.sleep} seconds as it {verb} {value}.",
            exc_info=traceback,
        )

    return log_it
