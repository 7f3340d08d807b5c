"""The options of a retrying client of any library: the shared HTTP rules, plus the exceptions that
library raises for a transient failure, and the sleep that tests replace."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypedDict

from .._filters import optional_callable
from .._convert import Duration
from ..clock import ClockOption
from ..policy import Policy
from .rules import BreakerOption, BudgetOption, Hook, HttpRules

ExceptionClasses = type[Exception] | tuple[type[Exception], ...]


class ClientOptions(TypedDict, total=False):
    """The keyword arguments of every retrying client: ``libbackoff.requests.RetryAdapter``,
    ``libbackoff.aiohttp.RetryMiddleware`` and the httpx transports."""

    policy: Policy
    retry_statuses: Iterable[int]
    retry_methods: Iterable[str]
    retry_exceptions: ExceptionClasses
    respect_retry_after: bool
    budget: BudgetOption
    breaker: BreakerOption
    on_retry: Hook
    on_giveup: Hook
    sleep: Callable[[float], Any]
    clock: ClockOption
    deadline: Duration


class ClientRules(HttpRules):
    """:class:`ClientOptions`, checked: a wrong type or value raises here, naming the option.
    ``default_exceptions`` are the library's transient failures, used when ``retry_exceptions`` is not given."""

    __slots__ = ("retry_exceptions", "sleep")

    def __init__(
        self,
        default_exceptions: tuple[type[Exception], ...],
        *,
        retry_exceptions: ExceptionClasses | None = None,
        sleep: Callable[[float], Any] | None = None,
        **rules: Any,
    ) -> None:
        super().__init__(**rules)
        self.retry_exceptions = default_exceptions if retry_exceptions is None else _classes(retry_exceptions)
        self.sleep = optional_callable(sleep, "sleep")


def _classes(value: ExceptionClasses) -> tuple[type[Exception], ...]:
    classes = value if isinstance(value, tuple) else (value,)
    for cls in classes:
        if not (isinstance(cls, type) and issubclass(cls, Exception)):
            raise TypeError(f"retry_exceptions: expected Exception subclasses (got {cls!r})")
    return classes
