"""The attempt loop of a retrying HTTP client, written once for blocking code and once for ``async``.

An adapter (``libbackoff.requests``, ``libbackoff.aiohttp``) subclasses :class:`Exchange` to say what
its library's responses and exceptions mean, and hands the loop its library's send and close. The loop
asks the request's :class:`RequestRetry` before each attempt and after each outcome, closes a failed
response before the retry, waits, and gives the budget's ticket back when the wait is interrupted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, NamedTuple, TypeVar

from ..circuit_state import CircuitOpenError
from .client_rules import ClientRules
from .request_retry import RequestRetry
from .retry_wait import wait_before_retry, wait_before_retry_async

R = TypeVar("R")


class Failure(NamedTuple):
    """What an exception of the library says about an attempt (see :meth:`RequestRetry.after_exception`)."""

    retryable: bool
    timeout: bool
    sent: bool


class Exchange(Generic[R]):
    """One request's retries, in the terms of one client library: subclasses define :meth:`answer`,
    :meth:`failure` and, to raise the library's own error for a breaker's refusal, :meth:`refused`."""

    __slots__ = ("call", "rules")

    def __init__(self, rules: ClientRules, call: RequestRetry) -> None:
        self.rules = rules
        self.call = call

    def answer(self, response: R) -> tuple[int, str | None]:
        """The response's status and its ``Retry-After`` header value (None without one)."""
        raise NotImplementedError

    def failure(self, exception: Exception) -> Failure:
        """What the library's ``exception`` says about the attempt."""
        raise NotImplementedError

    def refused(self, error: CircuitOpenError) -> Exception:
        """The exception raised when the breaker refuses an attempt (by default ``error`` itself)."""
        return error

    def admit(self) -> int:
        """The breaker's permit for the next attempt (0 without a breaker); raises :meth:`refused`."""
        try:
            return self.call.admit()
        except CircuitOpenError as error:
            wrapped = self.refused(error)
            if wrapped is error:
                raise
            raise wrapped from error.__cause__

    def raised(self, permit: int, exception: BaseException) -> float:
        """An attempt raised ``exception``: the seconds to wait before the next attempt; re-raises
        ``exception`` when it is final (not transient, or not retried), or not an ``Exception`` at all
        (cancelled, interrupted: the permit goes back unused)."""
        if not isinstance(exception, Exception):
            self.call.abandon_attempt(permit)
            raise exception
        if isinstance(exception, self.rules.retry_exceptions):
            delay = self.call.after_exception(permit, exception, **self.failure(exception)._asdict())
        else:
            delay = self.call.after_exception(permit, exception, retryable=False, timeout=False, sent=True)
        if delay is None:
            raise exception
        return delay

    def answered(self, permit: int, response: R, close: Callable[[R], Any]) -> float | None:
        """An attempt answered: the seconds to wait before the next attempt (``response`` is then
        closed), or None when ``response`` is final."""
        status, retry_after = self.answer(response)
        try:
            delay = self.call.after_response(permit, status, retry_after, response)
        except BaseException:
            close(response)  # a hook raised: no one else will close the response
            raise
        if delay is not None:
            close(response)
        return delay


def send_with_retries(exchange: Exchange[R], send: Callable[[], R], close: Callable[[R], Any]) -> R:
    """Sends until a response or an exception is final; returns that response or raises that exception."""
    delay: float | None
    while True:
        permit = exchange.admit()
        try:
            response = send()
        except BaseException as exc:
            delay = exchange.raised(permit, exc)
        else:
            if (delay := exchange.answered(permit, response, close)) is None:
                return response
        wait_before_retry(exchange.call, exchange.rules.sleep, delay)


async def send_with_retries_async(
    exchange: Exchange[R], send: Callable[[], Awaitable[R]], close: Callable[[R], Any]
) -> R:
    """:func:`send_with_retries` on asyncio: ``send`` is awaited, and so is ``sleep`` if given; cancelling
    the task ends the wait at once and gives back the budget's ticket for the retry that will not run."""
    delay: float | None
    while True:
        permit = exchange.admit()
        try:
            response = await send()
        except BaseException as exc:
            delay = exchange.raised(permit, exc)
        else:
            if (delay := exchange.answered(permit, response, close)) is None:
                return response
        await wait_before_retry_async(exchange.call, exchange.rules.sleep, delay)
