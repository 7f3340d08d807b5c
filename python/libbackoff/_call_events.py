"""The one place where an instrumentation (``libbackoff.tracing``) hears about retried calls and HTTP
attempts. Nothing here imports it: ``instrument()`` sets :data:`observer`, ``uninstrument()`` clears it,
and the retry loop (``_retried_call.py``) and the HTTP adapters (``http/request_retry.py``) ask for a
trace only while it is set, so that without an instrumentation a failure costs one global read and a
success nothing at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .call_state import RetryCallState


class CallTrace(Protocol):
    """What is traced of one retried call, from its first failure to its end."""

    def retry(self, call: RetryCallState, wait: float) -> None:
        """The latest attempt failed and the next one runs in ``wait`` seconds."""

    def gave_up(self, call: RetryCallState, give_up: str) -> None:
        """The latest attempt failed and is not retried, for ``give_up`` (``_logging.GIVE_UP_TEXT``)."""

    def succeeded(self, call: RetryCallState) -> None:
        """The latest attempt succeeded: the call is over."""

    def cancelled(self) -> None:
        """The driver left before the call ended (an interrupt, a loop left early); a no-op after an end."""


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
