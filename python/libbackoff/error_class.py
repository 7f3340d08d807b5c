"""ErrorClass: the kind of failure a retry follows, which a retry budget may charge differently.

Its own module because both the budget and the retry loop (``budget_cost=``) translate it for the core.
"""

from __future__ import annotations

import enum

from . import _convert, _core


class ErrorClass(str, enum.Enum):
    """The kind of failure a retry follows; only the AWS calibration charges them differently."""

    ORDINARY = "ordinary"  #: ``retry_cost``
    TIMEOUT = "timeout"  #: timeouts and transient errors: ``timeout_cost``
    THROTTLING = "throttling"  #: the server asked to slow down: ``throttling_cost``


# The core's enum values as ints, which the core types take (pybind11's enum costs a call to read).
_CORE_CLASSES = {ErrorClass(name): int(value) for name, value in _core.ErrorClass.__members__.items()}


def error_class_of(value: ErrorClass | str, param: str) -> tuple[ErrorClass, int]:
    """``value`` as an :class:`ErrorClass` and as the core's enum value; TypeError or ValueError naming
    ``param``."""
    kind = _convert.member(value, ErrorClass, "error_class", param)
    return kind, _CORE_CLASSES[kind]
