"""``on_exception`` and ``on_predicate``: python-backoff's decorators, for plain and ``async def``
targets, on the rules of ``_rules`` and the engine's wait generators."""

from __future__ import annotations

import asyncio
import functools
import inspect
import operator
import time
from collections.abc import Callable, Generator
from typing import Any

from .._drive import adrive, drive
from ._rules import EXHAUSTED, GIVE_UP, Call, Rules

#: A try's result: (failed, the exception or value).
Tried = tuple[bool, Any]
WaitGen = Callable[..., Generator[float, Any, None]]


def on_exception(
    wait_gen: WaitGen,
    exception: type[BaseException] | tuple[type[BaseException], ...],
    *,
    giveup: Callable[[BaseException], Any] | None = None,
    raise_on_giveup: bool = True,
    **options: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Retries the decorated function while it raises ``exception``: waits from ``wait_gen``
    (``expo``, ``fibo``, ``constant``, ``runtime``, ``decay``), jittered; gives up after ``max_tries`` tries,
    ``max_time`` seconds or when ``giveup(exception)`` is true, then raises the last exception (or returns
    None with ``raise_on_giveup=False``). Handlers receive a details dict (target, args, kwargs, tries,
    elapsed, and wait / exception).

    ``options``: python-backoff's ``max_tries``, ``max_time``, ``jitter`` (default ``full_jitter``),
    ``on_success``, ``on_backoff``, ``on_giveup``, ``logger`` (default ``'backoff'``), ``backoff_log_level``
    and ``giveup_log_level``; every other keyword goes to ``wait_gen``.
    """
    rules = Rules.of("exception", wait_gen, options, giveup, raise_on_giveup)

    def decorate(target: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(target):

            async def try_async(call: Call) -> Tried:
                try:
                    return False, await target(*call.args, **call.kwargs)
                except exception as error:
                    return True, error

            return _retried_async(rules, target, try_async)

        def try_once(call: Call) -> Tried:
            try:
                return False, target(*call.args, **call.kwargs)
            except exception as error:
                return True, error

        @functools.wraps(target)
        def retry(*args: Any, **kwargs: Any) -> Any:
            start = time.monotonic()
            try:  # the first try inline: a call that succeeds builds nothing
                value = target(*args, **kwargs)
            except exception as error:
                return _keep_trying(rules, Call(target, args, kwargs, start), try_once, error)
            return _succeeded(rules, Call(target, args, kwargs, start), value) if rules.on_success else value

        return retry

    return decorate


def on_predicate(
    wait_gen: WaitGen, predicate: Callable[[Any], Any] = operator.not_, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Calls the decorated function again while ``predicate(value)`` is true for its return value (by
    default: while it is falsy), with ``on_exception``'s waits, limits, handlers and ``options``; giving up
    returns the last value. Handlers' details carry the ``value``."""
    rules = Rules.of("value", wait_gen, options, None, False)

    def decorate(target: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(target):

            async def try_async(call: Call) -> Tried:
                value = await target(*call.args, **call.kwargs)
                return bool(predicate(value)), value

            return _retried_async(rules, target, try_async)

        def try_once(call: Call) -> Tried:
            value = target(*call.args, **call.kwargs)
            return bool(predicate(value)), value

        @functools.wraps(target)
        def retry(*args: Any, **kwargs: Any) -> Any:
            start = time.monotonic()
            value = target(*args, **kwargs)  # the first try inline: a call that succeeds builds nothing
            if predicate(value):
                return _keep_trying(rules, Call(target, args, kwargs, start), try_once, value)
            return _succeeded(rules, Call(target, args, kwargs, start), value) if rules.on_success else value

        return retry

    return decorate


def _keep_trying(rules: Rules, call: Call, try_once: Callable[[Call], Tried], failure: Any) -> Any:
    """The tries after a first one that failed with ``failure``, until success or give-up."""
    failed, outcome = True, failure
    while failed:
        decision = drive(rules.failed(call, outcome))
        if decision is GIVE_UP or decision is EXHAUSTED:
            return rules.gave_up(decision, outcome)
        time.sleep(decision)
        failed, outcome = try_once(call)
    return _succeeded(rules, call, outcome) if rules.on_success else outcome


def _succeeded(rules: Rules, call: Call, value: Any) -> Any:
    """Runs the ``on_success`` handlers for ``call``, which returned ``value``; returns ``value``."""
    drive(rules.succeeded(call, value))
    return value


def _retried_async(rules: Rules, target: Callable[..., Any], try_async: Callable[[Call], Any]) -> Callable[..., Any]:
    @functools.wraps(target)
    async def retry(*args: Any, **kwargs: Any) -> Any:
        call = Call(target, args, kwargs, time.monotonic())
        failed, outcome = await try_async(call)
        while failed:
            decision = await adrive(rules.failed(call, outcome))
            if decision is GIVE_UP or decision is EXHAUSTED:
                return rules.gave_up(decision, outcome)
            await asyncio.sleep(decision)
            failed, outcome = await try_async(call)
        if rules.on_success:
            await adrive(rules.succeeded(call, outcome))
        return outcome

    return retry
