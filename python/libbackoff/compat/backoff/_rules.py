"""What python-backoff decides after each try of a decorated call, written once for sync and async
targets (a decision generator, run by libbackoff.compat._drive).

After a failure (an exception, or a value the predicate rejects): give up when ``giveup(exception)``
says so, when ``max_tries`` tries were made, or when ``max_time`` seconds passed since the call began
(measured after the try); else the wait generator's next value, jittered, clipped to the time left, is
announced to ``on_backoff`` and slept. A call that succeeds at once reads the clock once and builds
nothing else: the wait generator and callable ``max_tries``/``max_time`` are evaluated at the first
failure.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable, Generator
from typing import Any

from ._jitter import full_jitter
from ._logging import Handler, handlers, log_backoff, log_giveup

#: Decisions besides a float wait: stop and give up, or stop because the wait generator ran out.
GIVE_UP: Any = object()
EXHAUSTED: Any = object()

Decision = Generator[Any, Any, Any]

#: python-backoff's keywords shared by on_exception and on_predicate, with its defaults.
_DEFAULTS: dict[str, Any] = {
    "max_tries": None,
    "max_time": None,
    "jitter": full_jitter,
    "on_success": None,
    "on_backoff": None,
    "on_giveup": None,
    "logger": "backoff",
    "backoff_log_level": logging.INFO,
    "giveup_log_level": logging.ERROR,
}


def _value_of(option: Any) -> Any:
    """python-backoff's callable options (``max_tries=lambda: 3``) are read once per call; a callable that
    needs arguments is the option itself (``runtime``'s ``value=``)."""
    if not callable(option):
        return option
    try:
        return option()
    except TypeError:
        return option


class Rules:
    """A decorator's configuration, shared by every call of the decorated function."""

    __slots__ = (
        "wait_gen",
        "wait_gen_kwargs",
        "max_tries",
        "max_time",
        "jitter",
        "giveup",
        "on_success",
        "on_backoff",
        "on_giveup",
        "failure_key",
        "raise_on_giveup",
    )

    def __init__(
        self,
        wait_gen: Callable[..., Generator[float, Any, None]],
        wait_gen_kwargs: dict[str, Any],
        max_tries: Any,
        max_time: Any,
        jitter: Callable[..., float] | None,
        giveup: Callable[[BaseException], Any] | None,
        on_success: tuple[Handler, ...],
        on_backoff: tuple[Handler, ...],
        on_giveup: tuple[Handler, ...],
        failure_key: str,
        raise_on_giveup: bool = True,
    ) -> None:
        self.wait_gen, self.wait_gen_kwargs = wait_gen, wait_gen_kwargs
        self.max_tries, self.max_time = max_tries, max_time
        self.jitter, self.giveup = jitter, giveup
        self.on_success, self.on_backoff, self.on_giveup = on_success, on_backoff, on_giveup
        self.failure_key = failure_key  # "exception" (on_exception) or "value" (on_predicate)
        self.raise_on_giveup = raise_on_giveup

    @classmethod
    def of(
        cls,
        failure_key: str,
        wait_gen: Callable[..., Generator[float, Any, None]],
        options: dict[str, Any],
        giveup: Callable[[BaseException], Any] | None,
        raise_on_giveup: bool,
    ) -> Rules:
        """The rules of a decorator: python-backoff's shared keywords are taken out of ``options`` (with
        python-backoff's defaults); the keywords left are the wait generator's."""
        shared = {name: options.pop(name, default) for name, default in _DEFAULTS.items()}
        logger = shared["logger"]
        return cls(
            wait_gen,
            options,
            shared["max_tries"],
            shared["max_time"],
            shared["jitter"],
            giveup,
            handlers(shared["on_success"]),
            handlers(shared["on_backoff"], log_backoff, logger, shared["backoff_log_level"]),
            handlers(shared["on_giveup"], log_giveup, logger, shared["giveup_log_level"]),
            failure_key,
            raise_on_giveup,
        )

    def gave_up(self, decision: Any, failure: Any) -> Any:
        """The result of a call that gave up: on_predicate returns the last value; on_exception raises
        the last exception (always when the wait generator ran out), or returns None when told not to."""
        if self.failure_key == "value":
            return failure
        if decision is EXHAUSTED or self.raise_on_giveup:
            raise failure
        return None

    def failed(self, call: Call, failure: Any) -> Decision:
        """After a failed try: GIVE_UP, EXHAUSTED or the seconds to sleep; every handler runs here."""
        if call.wait is None:
            call.begin_retrying(self)
        elapsed = time.monotonic() - call.start
        details = call.details(elapsed)
        details[self.failure_key] = failure
        gave_up = bool((yield self.giveup(failure))) if self.giveup is not None else False
        if gave_up or call.tries == call.max_tries or (call.max_time is not None and elapsed >= call.max_time):
            yield from _announce(self.on_giveup, details)
            return GIVE_UP
        try:
            value = call.wait.send(failure)  # type: ignore[union-attr]
        except StopIteration:
            yield from _announce(self.on_giveup, details)
            return EXHAUSTED
        seconds = self._jittered(value)
        if call.max_time is not None:
            seconds = min(seconds, call.max_time - elapsed)
        details["wait"] = seconds
        yield from _announce(self.on_backoff, details)
        call.tries += 1
        return seconds

    def succeeded(self, call: Call, value: Any) -> Decision:
        """After the try that succeeded: the success handlers."""
        details = call.details(time.monotonic() - call.start)
        if self.failure_key == "value":
            details["value"] = value
        yield from _announce(self.on_success, details)

    def _jittered(self, value: float) -> float:
        if self.jitter is None:
            return value
        try:
            return self.jitter(value)
        except TypeError:  # python-backoff's old jitter signature takes no argument and is added
            warnings.warn(
                "Nullary jitter function signature is deprecated. Use unary signature accepting a wait "
                "value in seconds and returning a jittered version of it.",
                DeprecationWarning,
                stacklevel=2,
            )
            return value + self.jitter()


def _announce(handlers: tuple[Handler, ...], details: dict[str, Any]) -> Decision:
    for handler in handlers:
        yield handler(details)


class Call:
    """One call of a decorated function: its arguments, clock start, tries and wait generator."""

    __slots__ = ("target", "args", "kwargs", "start", "tries", "wait", "max_tries", "max_time")

    def __init__(self, target: Callable[..., Any], args: Any, kwargs: Any, start: float) -> None:
        self.target, self.args, self.kwargs, self.start = target, args, kwargs, start
        self.tries = 1
        self.wait: Generator[float, Any, None] | None = None
        self.max_tries: int | None = None
        self.max_time: float | None = None

    def begin_retrying(self, rules: Rules) -> None:
        self.max_tries = _value_of(rules.max_tries)
        self.max_time = _value_of(rules.max_time)
        kwargs = {name: _value_of(option) for name, option in rules.wait_gen_kwargs.items()}
        self.wait = rules.wait_gen(**kwargs)
        self.wait.send(None)

    def details(self, elapsed: float) -> dict[str, Any]:
        return {
            "target": self.target,
            "args": self.args,
            "kwargs": self.kwargs,
            "tries": self.tries,
            "elapsed": elapsed,
        }
