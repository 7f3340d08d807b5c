"""The log lines of retries: one formatting for every retry loop of the package.

``Retrying``, ``AsyncRetrying`` and ``@retry`` (``_retried_call.py``) and the HTTP adapters
(``http/request_retry.py``) log a scheduled retry and a retry given up through :func:`retry_scheduled`
and :func:`gave_up`, in one shape::

    app.fetch: attempt 2 failed (ConnectionError: refused); retrying in 0.400 s
    app.fetch: attempt 5 failed (ConnectionError: refused); not retried: the policy's attempts or time are used up

Each record carries the same values as ``extra`` fields, flat and JSON-friendly, for structlog's
``ExtraAdder`` or a JSON formatter (docs/python.md, "Logging"):

=================  =========================================================================
``retry_callable`` what is retried: ``module.qualname`` of the function, or ``GET origin/path``
``retry_attempt``  the number of the attempt that failed (1 = the first)
``retry_wait``     seconds until the next attempt; None when the retry is given up
``retry_reason``   what failed: the exception class (``ConnectionError``), ``status 503``, or
                   ``returned`` for a result ``retry_if_result`` rejected
``retry_error``    the exception's text or the rejected result's repr; None when not logged
``retry_give_up``  why there is no retry (a key of :data:`GIVE_UP_TEXT`); None for a retry
=================  =========================================================================

Nothing is logged on success, and nothing is formatted when the logger would drop the record.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import _core

if TYPE_CHECKING:
    from .call_state import RetryCallState

#: The logger of ``Retrying``, ``AsyncRetrying`` and ``@retry``; the HTTP adapters log to its children.
LOGGER = logging.getLogger("libbackoff")

#: Why a failure was not retried, as ``retry_give_up`` names it, and the words the log line uses.
GIVE_UP_TEXT = {
    "policy": "the policy's attempts or time are used up",
    "permanent": "the error is not retried",
    "deadline": "the next wait would end past the deadline",
    "budget": "the retry budget is spent",
    "breaker": "the circuit breaker is open",
    "method": "the method is not idempotent (no Idempotency-Key)",
    "body": "the request body is a stream that cannot be sent again",
}

_DEADLINE_EXCEEDED = int(_core.RetryOutcome.deadline_exceeded)


def stopped_by(outcome: int) -> str:
    """The give-up reason of a call its policy ended (a core RetryOutcome): ``"deadline"`` when the next
    wait would have passed the deadline, else ``"policy"`` (its attempts or time are used up)."""
    return "deadline" if outcome == _DEADLINE_EXCEEDED else "policy"


#: What ``retry_callable`` says of a ``for attempt in Retrying()`` loop, which has no function.
LOOP_NAME = "<for attempt loop>"


def logger_option(value: object) -> logging.Logger | None:
    """The ``log`` option of a retrying object: True (the default) is the ``libbackoff`` logger,
    False none, a :class:`logging.Logger` itself; TypeError naming the option otherwise."""
    if value is True:
        return LOGGER
    if value is False:
        return None
    if isinstance(value, logging.Logger):
        return value
    raise TypeError(f"log: expected True, False or a logging.Logger (got {value!r})")


def callable_name(fn: Callable[..., Any] | None) -> str:
    """``module.qualname`` of ``fn`` (tenacity's and stamina's name for it), its ``repr`` when it has
    no name (a callable object), :data:`LOOP_NAME` for None."""
    if fn is None:
        return LOOP_NAME
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    if name is None:
        return repr(fn)
    module = getattr(fn, "__module__", None)
    return f"{module}.{name}" if module else name


def retry_scheduled(
    logger: logging.Logger,
    what: str,
    attempt: int,
    wait: float,
    reason: str,
    error: str | None,
    level: int = logging.WARNING,
) -> None:
    """Logs that attempt ``attempt`` of ``what`` failed with ``reason`` (and ``error``) and that the
    next one runs in ``wait`` seconds."""
    if logger.isEnabledFor(level):
        _log(logger, level, what, attempt, wait, reason, error, None)


def gave_up(
    logger: logging.Logger,
    what: str,
    attempt: int,
    reason: str,
    error: str | None,
    give_up: str,
    level: int = logging.ERROR,
) -> None:
    """Logs that attempt ``attempt`` of ``what`` failed and is not retried, for ``give_up`` (a key of
    :data:`GIVE_UP_TEXT`)."""
    if logger.isEnabledFor(level):
        _log(logger, level, what, attempt, None, reason, error, give_up)


def call_retried(
    logger: logging.Logger, fn: Callable[..., Any] | None, attempt: int, wait: float, outcome: Any, raised: bool
) -> None:
    """:func:`retry_scheduled` at WARNING for a call of ``fn`` whose attempt raised ``outcome`` (or
    returned it, a result to retry); the name and the texts are made only for a record that is kept."""
    if logger.isEnabledFor(logging.WARNING):
        _log(logger, logging.WARNING, callable_name(fn), attempt, wait, *_failure_of(outcome, raised), None)


def call_gave_up(
    logger: logging.Logger, fn: Callable[..., Any] | None, attempt: int, outcome: Any, raised: bool, give_up: str
) -> None:
    """:func:`gave_up` at ERROR for a call of ``fn``, as :func:`call_retried`."""
    if logger.isEnabledFor(logging.ERROR):
        _log(logger, logging.ERROR, callable_name(fn), attempt, None, *_failure_of(outcome, raised), give_up)


def _failure_of(outcome: Any, raised: bool) -> tuple[str, str]:
    """``retry_reason`` and ``retry_error`` of an attempt that raised ``outcome`` or returned it."""
    if raised:
        return type(outcome).__name__, str(outcome)
    return "returned", repr(outcome)


def _log(
    logger: logging.Logger,
    level: int,
    what: str,
    attempt: int,
    wait: float | None,
    reason: str,
    error: str | None,
    give_up: str | None,
) -> None:
    failure = reason if error is None else f"{reason}: {error}"
    next_step = f"retrying in {wait:.3f} s" if give_up is None else f"not retried: {GIVE_UP_TEXT[give_up]}"
    extra = {
        "retry_callable": what,
        "retry_attempt": attempt,
        "retry_wait": wait,
        "retry_reason": reason,
        "retry_error": error,
        "retry_give_up": give_up,
    }
    # %-style arguments, not one formatted string: handlers that group records by their template can.
    arguments = (what, attempt, failure, next_step)
    if not _made_as_logging_does(logger):
        logger.log(level, _MESSAGE, *arguments, extra=extra)
        return
    # What Logger.log does, less its walk up the stack (findCaller) and its check of the extra names
    # (ours are fixed): half of a record's cost. The record points here, where findCaller would; the line
    # is looked up once (a frame's f_lineno decodes the line table each time).
    global _here
    if _here is None:
        frame = sys._getframe()
        _here = (frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)
    path, line, function = _here
    record = logging.getLogRecordFactory()(logger.name, level, path, line, _MESSAGE, arguments, None, function, None)
    record.__dict__.update(extra)
    logger.handle(record)


#: The template of every record: handlers that group records by their template can.
_MESSAGE = "%s: attempt %d failed (%s); %s"

#: Where :func:`_log`'s records are made (path, line, function), found at the first.
_here: tuple[str, int, str] | None = None


def _made_as_logging_does(logger: logging.Logger) -> bool:
    """Whether ``logger``'s class makes a record as :class:`logging.Logger` does, so that :func:`_log`
    may make it so itself."""
    kind = type(logger)
    return (
        kind._log is logging.Logger._log
        and kind.findCaller is logging.Logger.findCaller
        and kind.makeRecord is logging.Logger.makeRecord
    )


def log_before_sleep(
    logger: logging.Logger,
    level: int,
    fn: Callable[..., Any] | None,
    seconds: float,
    outcome: Any,
    raised: bool,
    exc_info: bool,
    sec_format: str,
) -> None:
    """tenacity's ``before_sleep_log`` line, for :func:`libbackoff.before_sleep_log` and
    ``libbackoff.compat.tenacity``'s: "Retrying <fn> in <s> seconds as it raised <Error>: <text>."
    (or "returned <value>."); with ``exc_info``, the exception's traceback too."""
    if raised:
        verb, value = "raised", f"{type(outcome).__name__}: {outcome}"
    else:
        verb, value = "returned", outcome
    name = "<unknown>" if fn is None else callable_name(fn)
    message = f"Retrying {name} in {sec_format % seconds} seconds as it {verb} {value}."
    if raised and exc_info:
        # In the message rather than as logging's exc_info=, as tenacity 9.2 does, so loggers whose
        # log() takes no keywords (structlog, loguru) work too.
        lines = traceback.format_exception(type(outcome), outcome, outcome.__traceback__)
        message = f"{message}\n{''.join(lines).rstrip()}"
    logger.log(level, message)


def before_sleep_log(
    logger: logging.Logger, log_level: int, exc_info: bool = False, sec_format: str = "%.3g"
) -> Callable[[RetryCallState], None]:
    """A ``before_sleep`` hook that logs each retry at ``log_level`` to ``logger`` in tenacity's words:
    "Retrying app.fetch in 0.4 seconds as it raised ConnectionError: refused." (or "returned <value>."),
    with the traceback when ``exc_info``. For code moving from tenacity; the default log line
    (``log=True``) carries more (module docstring)."""

    def log_it(state: RetryCallState) -> None:
        log_before_sleep(
            logger, log_level, state.fn, state.upcoming_sleep, state._outcome, state._raised, exc_info, sec_format
        )

    return log_it
