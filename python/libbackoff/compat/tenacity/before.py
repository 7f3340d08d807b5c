"""Hooks run before each attempt (``tenacity.before``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from ._utils import to_ordinal

if TYPE_CHECKING:
    from ._state import RetryCallState


def before_nothing(retry_state: RetryCallState) -> None:
    """The default: nothing (a retried call with it skips the hook entirely)."""


def before_log(logger: logging.Logger, log_level: int) -> Callable[[RetryCallState], None]:
    """Logs "Starting call to '<fn>', this is the <n>th time calling it." at ``log_level``."""

    def log_it(retry_state: RetryCallState) -> None:
        fn_name = retry_state.get_fn_name()
        logger.log(
            log_level,
            f"Starting call to '{fn_name}', this is the {to_ordinal(retry_state.attempt_number)} time calling it.",
        )

    return log_it
