"""The one place where an instrumentation (``libbackoff.tracing``) hears about retried calls and HTTP
attempts. Nothing here imports it: ``instrument()`` sets :data:`observer`, ``uninstrument()`` clears it,
and the retry loop (``_retried_call.py``) and the HTTP adapters (``http/request_retry.py``) ask for a
trace only while it is set, so that without an instrumentation a failure costs one global read and a
success nothing at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .call_state import CallTrace, RetryCallState


class AttemptTrace(Protocol):
    """What is traced of one attempt of an HTTP request."""

    def answered(self, status: int) -> None:
        """The attempt got a response with ``status``."""

    def raised(self, exception: BaseException | None) -> None:
        """The attempt raised ``exception``, or was abandoned (None)."""


class Observer(Protocol):
    def call(self, call: RetryCallState) -> CallTrace:
        """The trace of ``call``, begun at its first failure."""

    def http_attempt(self, method: str, origin: str, path: str, attempt: int) -> AttemptTrace:
        """The trace of attempt ``attempt`` (1 = the first) of a request, begun as it is sent."""


#: The instrumentation, or None. Read at every failure (and every HTTP attempt), so that instrumenting
#: or not takes effect at once for every retrying object.
observer: Observer | None = None


def attempt_trace(method: str, origin: str, path: str, attempt: int) -> AttemptTrace | None:
    """The trace of an HTTP attempt about to be sent, or None without an instrumentation."""
    return None if observer is None else observer.http_attempt(method, origin, path, attempt)
