"""The retry decisions of one HTTP request, from its first attempt to its end, whatever the client library.

Every transport (sync or async, of any library) drives one :class:`RequestRetry` per request and
differs only in how it sends, closes and sleeps, and in how it tells this class about the request and
its failures (plain values: method, origin, status, Retry-After, "retryable", "a timeout", "sent"). The
waiting itself is decided by the core ``Retrier`` (the policy's delays and limits, with the
server's Retry-After as a floor under the policy's cap); this class adds what is particular to HTTP:
which failures are transient and which requests may be sent again, the breaker's permits, the budget's
tickets, the hooks and the log.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from .. import _call_events, _core, _logging
from ..budget import RetryBudgetExhausted
from ..circuit_state import CircuitOpenError
from ..error_class import ErrorClass
from .events import GiveUp, RetryEvent
from .rules import HttpRules


class RequestRetry:
    """Call :meth:`admit` before every attempt, then :meth:`after_response` or :meth:`after_exception`
    with the outcome: a float is the seconds to wait before the next attempt, None means "deliver this
    outcome". If the attempt or the wait is interrupted, call :meth:`abandon_attempt` or
    :meth:`abandon_wait`.

    ``request`` is the library's request object, handed to the hooks in :class:`RetryEvent`; ``origin``
    (``"https://api.example.com"``, no user info) keys the per-host breakers and budgets; ``path`` is
    logged (never the query string: it may hold a secret); ``idempotency_key`` and ``replayable`` (the
    body is held in memory, not a stream) decide with the method whether a sent request may be retried;
    ``log`` is the adapter's logger (retries at INFO, a retry given up at WARNING).
    """

    __slots__ = (
        "_options",
        "_log",
        "_request",
        "_method",
        "origin",
        "_path",
        "_breaker",
        "_budget",
        "_refusal",
        "_retrier",
        "_ticket",
        "_attempt",
        "_started",
        "_last_retry",
        "_attempt_trace",
        "_started_ns",
    )

    def __init__(
        self,
        options: HttpRules,
        request: Any,
        *,
        method: str,
        origin: str,
        path: str,
        idempotency_key: bool,
        replayable: bool,
        log: logging.Logger,
    ) -> None:
        self._options = options
        self._log = log
        self._request = request
        self._method, self.origin, self._path = method, origin, path
        self._breaker = options.breaker_for(origin)
        self._budget = options.budget_for(origin)
        self._refusal = options.refusal(method, idempotency_key, replayable)
        self._retrier: _core.Retrier | None = None  # created at the first failure, as Retrying does
        self._ticket = 0  # the budget's ticket for the retry under way; 0 for the first attempt
        self._attempt = 0
        self._started = 0.0
        self._last_retry: RetryEvent | None = None
        self._attempt_trace: _call_events.AttemptTrace | None = None  # the attempt's span, when tracing is on
        # The request starts now, before its first attempt: its deadline counts from here.
        self._started_ns = options.clock.now_ns() if options.has_deadline else 0
        if self._budget is not None:
            self._budget.record_request()

    def admit(self) -> int:
        """The breaker's permit for the next attempt (0 without a breaker).

        Raises:
            CircuitOpenError: the breaker's refusal; a retry is given up (``on_giveup`` with
                :attr:`GiveUp.BREAKER`), and the refusal is chained to the last attempt's exception.
        """
        self._attempt += 1
        self._started = self._options.monotonic()
        if self._breaker is None:
            return self._sending(0)
        try:
            return self._sending(self._breaker.acquire())
        except CircuitOpenError as refused:
            last = self._last_retry
            if last is not None:
                self._refund()
                self._give_up(replace(last, delay=0.0, give_up=GiveUp.BREAKER))
            raise refused from (None if last is None else last.exception)

    def after_response(self, permit: int, status: int, retry_after: str | None, response: Any) -> float | None:
        """An attempt answered with ``status`` and a ``Retry-After`` header value (or None)."""
        trace, self._attempt_trace = self._attempt_trace, None  # ended once, whatever the adapter calls next
        if trace is not None:
            trace.answered(status)
        if status not in self._options.retry_statuses:
            self._record(permit, "success", 0)
            if self._budget is not None:
                self._budget.record_success(self._ticket)
            return None
        hint_ns = self._options.hint_ns(retry_after)
        self._record(permit, "failure", hint_ns)
        error_class = ErrorClass.THROTTLING if status == 429 else ErrorClass.ORDINARY
        return self._after_failure(f"status {status}", response, None, hint_ns, error_class, True)

    def after_exception(
        self, permit: int, exception: Exception, *, retryable: bool, timeout: bool, sent: bool
    ) -> float | None:
        """An attempt raised ``exception``: ``retryable`` (transient, as the adapter's library
        defines it), a ``timeout`` (the budget charges its timeout cost), ``sent`` (False when the
        request certainly never reached the server: then any method may be retried)."""
        trace, self._attempt_trace = self._attempt_trace, None  # ended once, whatever the adapter calls next
        if trace is not None:
            trace.raised(exception)
        if not retryable:
            self._record(permit, "ignored", 0)  # a client-side error says nothing about the server
            return None
        self._record(permit, "failure", 0)
        error_class = ErrorClass.TIMEOUT if timeout else ErrorClass.ORDINARY
        return self._after_failure(type(exception).__name__, None, exception, 0, error_class, sent)

    def abandon_attempt(self, permit: int) -> None:
        """The attempt was interrupted (cancelled, KeyboardInterrupt): its permit goes back unused."""
        trace, self._attempt_trace = self._attempt_trace, None  # ended once, whatever the adapter calls next
        if trace is not None:
            trace.raised(None)
        if permit:
            assert self._breaker is not None
            self._breaker.release(permit)

    def abandon_wait(self) -> None:
        """The wait before a retry was interrupted: the retry will not run."""
        self._refund()

    def _after_failure(
        self,
        reason: str,
        response: Any,
        exception: Exception | None,
        hint_ns: int,
        error_class: ErrorClass,
        sent: bool,
    ) -> float | None:
        self._ticket = 0  # the retry that held it has run
        budget = self._budget
        if budget is not None:
            budget.record_failure()
        event = RetryEvent(self._request, self._attempt, reason, 0.0, response, exception, None)
        refusal = self._refusal
        if refusal is GiveUp.METHOD and not sent:
            refusal = None
        if refusal is not None:
            self._give_up(replace(event, give_up=refusal))
            return None
        if self._retrier is None:
            self._retrier = self._options.new_retrier()
            if self._options.has_deadline:
                self._retrier.set_call_start(self._started_ns)
        delay = self._options.decide(self._retrier, hint_ns)
        if delay is None:
            self._give_up(replace(event, give_up=GiveUp(_logging.stopped_by(self._retrier.outcome()))))
            return None
        if budget is not None:
            try:
                self._ticket = budget.withdraw(error_class)
            except RetryBudgetExhausted:
                self._give_up(replace(event, give_up=GiveUp.BUDGET))
                return None
        self._last_retry = event = replace(event, delay=delay)
        if self._log.isEnabledFor(logging.INFO):
            _logging.retry_scheduled(self._log, self._describe(), event.attempt, delay, reason, None, logging.INFO)
        if self._options.on_retry is not None:
            try:
                self._options.on_retry(event)
            except BaseException:
                self._refund()
                raise
        return delay

    def _give_up(self, event: RetryEvent) -> None:
        # Requests that are never retried are routine; a retry given up is worth a warning.
        level = logging.DEBUG if event.give_up in (GiveUp.METHOD, GiveUp.BODY) else logging.WARNING
        if self._log.isEnabledFor(level):
            assert event.give_up is not None
            _logging.gave_up(self._log, self._describe(), event.attempt, event.reason, None, event.give_up.value, level)
        if self._options.on_giveup is not None:
            self._options.on_giveup(event)

    def _sending(self, permit: int) -> int:
        """The attempt is admitted and about to be sent: its trace begins (when tracing is on)."""
        self._attempt_trace = _call_events.attempt_trace(self._method, self.origin, self._path, self._attempt)
        return permit

    def _record(self, permit: int, outcome: str, hint_ns: int) -> None:
        if self._breaker is not None:
            duration = max(0.0, self._options.monotonic() - self._started)
            self._breaker.record(permit, outcome, duration=duration, retry_after=hint_ns / 1e9)

    def _refund(self) -> None:
        if self._ticket:
            assert self._budget is not None
            self._budget.refund(self._ticket)
            self._ticket = 0

    def _describe(self) -> str:
        return f"{self._method} {self.origin}{self._path}"

