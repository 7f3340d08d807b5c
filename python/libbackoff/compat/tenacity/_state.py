"""The per-call state tenacity's strategies read: :class:`RetryCallState`, its :class:`Future` outcome,
the :class:`RetryAction` before a sleep, and the exceptions :class:`RetryError` and :class:`TryAgain`."""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

from ._utils import get_callback_name

if TYPE_CHECKING:
    from collections.abc import Callable


class RetryObject(Protocol):
    """The retrying object (a ``BaseRetrying``) as a call state sees it: its strategies, for hooks that read
    them, and its ``str()``, the call's name when no function is retried. A protocol rather than
    ``BaseRetrying`` itself keeps this module below ``_retrying``, which builds call states."""

    stop: Any
    wait: Any
    retry: Any
    reraise: bool


class TryAgain(Exception):
    """Raise it inside a retried call to retry, whatever the retry strategy says."""


class Future:
    """The outcome of one attempt: a value or an exception, and the attempt number it belongs to.

    tenacity's Future is a ``concurrent.futures.Future``; this one has the same reading methods
    (``result``, ``exception``, ``done``, ``failed``) without the lock and condition a real future
    carries, which an attempt that has already finished never needs.
    """

    __slots__ = ("attempt_number", "_value", "_exception")

    def __init__(self, attempt_number: int) -> None:
        self.attempt_number = attempt_number
        self._value: Any = None
        self._exception: BaseException | None = None

    @property
    def failed(self) -> bool:
        """Whether the attempt raised."""
        return self._exception is not None

    def done(self) -> bool:
        """Always true: an outcome exists only once the attempt finished."""
        return True

    def result(self, timeout: float | None = None) -> Any:
        """The attempt's return value, or its exception raised again."""
        if self._exception is not None:
            raise self._exception
        return self._value

    def exception(self, timeout: float | None = None) -> BaseException | None:
        """The attempt's exception, or None when it returned."""
        return self._exception

    def set_result(self, value: Any) -> None:
        self._value = value

    def set_exception(self, exception: BaseException) -> None:
        self._exception = exception

    def __repr__(self) -> str:
        if self._exception is not None:
            how = f"raised {type(self._exception).__name__}"
        else:
            how = f"returned {type(self._value).__name__}"
        return f"<{type(self).__name__} at {id(self):#x} state=finished {how}>"

    @classmethod
    def construct(cls, attempt_number: int, value: Any, has_exception: bool) -> Future:
        """An outcome of ``attempt_number``: ``value`` is the exception when ``has_exception``."""
        fut = cls(attempt_number)
        if has_exception:
            fut._exception = value
        else:
            fut._value = value
        return fut


class RetryAction:
    """What happens after a failed attempt that is retried: a sleep of ``sleep`` seconds."""

    __slots__ = ("sleep",)
    NAME = "retry"

    def __init__(self, sleep: float) -> None:
        self.sleep = float(sleep)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.NAME} {self.sleep}>"


class RetryCallState:
    """Everything one retried call has seen so far; every strategy and hook receives it.

    ``start_time`` and ``outcome_timestamp`` are ``time.monotonic()`` readings; ``idle_for`` sums the
    sleeps (the upcoming one included once it is scheduled); ``upcoming_sleep`` is the wait computed for
    the next attempt, set before the stop strategy runs.
    """

    def __init__(
        self, retry_object: RetryObject | None, fn: Callable[..., Any] | None, args: Any, kwargs: Any
    ) -> None:
        self.start_time = time.monotonic()
        self.retry_object = retry_object
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.attempt_number = 1
        self.outcome: Future | None = None
        self.outcome_timestamp: float | None = None
        self.idle_for = 0.0
        self.next_action: RetryAction | None = None
        self.upcoming_sleep = 0.0

    def get_fn_name(self) -> str:
        """The name logging hooks print: the retried function's dotted name, else the retrying object's
        ``name=`` (a ``for attempt in Retrying(name=...)`` loop has no function), else ``"<unknown>"``."""
        if self.fn is not None:
            return get_callback_name(self.fn)
        return "<unknown>" if self.retry_object is None else str(self.retry_object)

    @property
    def seconds_since_start(self) -> float | None:
        """Seconds from the start of the call to the latest outcome, or None before the first one."""
        if self.outcome_timestamp is None:
            return None
        return self.outcome_timestamp - self.start_time

    def prepare_for_next_attempt(self) -> None:
        self.outcome = None
        self.outcome_timestamp = None
        self.attempt_number += 1
        self.next_action = None

    def set_result(self, val: Any) -> None:
        fut = Future(self.attempt_number)
        fut._value = val
        self.outcome, self.outcome_timestamp = fut, time.monotonic()

    def set_exception(self, exc_info: tuple[type[BaseException], BaseException, TracebackType | None]) -> None:
        fut = Future(self.attempt_number)
        fut._exception = exc_info[1]
        self.outcome, self.outcome_timestamp = fut, time.monotonic()

    def __repr__(self) -> str:
        if self.outcome is None:
            result = "none yet"
        elif self.outcome.failed:
            exception = self.outcome.exception()
            result = f"failed ({type(exception).__name__} {exception})"
        else:
            result = f"returned {self.outcome.result()}"
        slept = float(round(self.idle_for, 2))
        where = f"{type(self).__name__} {id(self)}"
        return f"<{where}: attempt #{self.attempt_number}; slept for {slept}; last result: {result}>"


class RetryError(Exception):
    """Retrying stopped; ``last_attempt`` is the :class:`Future` of the final attempt."""

    def __init__(self, last_attempt: Future) -> None:
        self.last_attempt = last_attempt
        super().__init__(last_attempt)

    def reraise(self) -> NoReturn:
        """Raises the last attempt's exception, or this error when the last attempt returned. A
        :class:`TryAgain` raised while handling another exception raises that exception instead (the
        sentinel says nothing to the caller), as tenacity 9.2 does."""
        if self.last_attempt.failed:
            exception = self.last_attempt.exception()
            if isinstance(exception, TryAgain):
                cause = exception.__cause__ or exception.__context__
                if cause is not None:
                    raise cause.with_traceback(cause.__traceback__) from None
            raise self.last_attempt.result()
        raise self

    def __str__(self) -> str:
        return f"{type(self).__name__}[{self.last_attempt}]"


class AttemptManager:
    """The context manager of one attempt in ``for attempt in Retrying(): with attempt: ...``: it records
    the block's exception (swallowing it, so the loop can decide) or a ``None`` result."""

    def __init__(self, retry_state: RetryCallState) -> None:
        self.retry_state = retry_state

    def __enter__(self) -> None:
        pass

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_value: BaseException | None, traceback: TracebackType | None
    ) -> bool | None:
        if exc_type is not None and exc_value is not None:
            self.retry_state.set_exception((exc_type, exc_value, traceback))
            return True  # swallow: the retry strategy decides whether it propagates
        self.retry_state.set_result(None)
        return None

    async def __aenter__(self) -> None:
        pass

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc_value: BaseException | None, traceback: TracebackType | None
    ) -> bool | None:
        """``async with attempt:`` records the block's outcome as ``with attempt:`` does."""
        return self.__exit__(exc_type, exc_value, traceback)
