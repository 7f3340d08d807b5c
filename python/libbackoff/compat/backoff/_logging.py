"""The default event handlers of python-backoff: log "Backing off ..." and "Giving up ...", on the
``'backoff'`` logger unless told otherwise, with python-backoff's messages and levels."""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable, Iterable
from typing import Any

#: Handlers receive the event's details dict.
Handler = Callable[[dict[str, Any]], Any]
HandlerOption = Handler | Iterable[Handler] | None

# As python-backoff does at import: the 'backoff' logger says nothing unless the application configures
# logging, and it passes INFO records (backing off) once it does.
_logger = logging.getLogger("backoff")
_logger.addHandler(logging.NullHandler())
_logger.setLevel(logging.INFO)


def _cause(details: dict[str, Any]) -> Any:
    """What failed: the last line of the exception's text, or the value."""
    if "exception" in details:
        exception = details["exception"]
        return traceback.format_exception_only(type(exception), exception)[-1].rstrip("\n")
    return details["value"]


def log_backoff(details: dict[str, Any], logger: logging.Logger, log_level: int) -> None:
    logger.log(
        log_level, "Backing off %s(...) for %.1fs (%s)", details["target"].__name__, details["wait"], _cause(details)
    )


def log_giveup(details: dict[str, Any], logger: logging.Logger, log_level: int) -> None:
    logger.log(
        log_level,
        "Giving up %s(...) after %d tries (%s)",
        details["target"].__name__,
        details["tries"],
        _cause(details),
    )


def handlers(
    user: HandlerOption,
    default: Callable[..., None] | None = None,
    logger: str | logging.Logger | None = None,
    log_level: int = logging.INFO,
) -> tuple[Handler, ...]:
    """The handlers of one event: the default log handler first (unless ``logger`` is None), then the
    user's one handler or iterable of handlers."""
    chosen: list[Handler] = []
    if default is not None and logger is not None:
        if isinstance(logger, str):
            logger = logging.getLogger(logger)
        chosen.append(functools.partial(default, logger=logger, log_level=log_level))
    if user is not None:
        chosen.extend([user] if callable(user) else user)
    return tuple(chosen)
