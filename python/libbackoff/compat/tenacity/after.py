"""Hooks run after each attempt that is retried (``tenacity.after``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from ._utils import to_ordinal

if TYPE_CHECKING:
    from ._state import RetryCallState


def after_nothing(retry_state: RetryCallState) -> None:
    """The default: nothing."""


def after_log(logger: logging.Logger, log_level: int, sec_format: str = "%.3g") -> Callable[[RetryCallState], None]:
    """Logs "Finished call to '<fn>' after <s>(s), this was the <n>th time calling it." at ``log_level``."""

    def log_it(retry_state: RetryCallState) -> None:
        fn_name, seconds = retry_state.get_fn_name(), retry_state.seconds_since_start
        logger.log(
            log_level,
            f"Finished call to '{fn_name}' after {'?' if seconds is None else sec_format % seconds}(s), "
            f"this was the {to_ordinal(retry_state.attempt_number)} time calling it.",
        )

    return log_it
