"""Server hints: the HTTP ``Retry-After`` header, read by the core's one parser.

For any HTTP client, not only httpx (``libbackoff.httpx`` uses it internally)::

    from libbackoff import Retrying
    from libbackoff.server_hints import parse_retry_after

    Retrying(retry_after=lambda exc: parse_retry_after(exc.response.headers.get("Retry-After", "")))
"""

from __future__ import annotations

import math
import time
from datetime import timedelta
from fractions import Fraction

from . import _convert, _core
from ._convert import Duration, duration_ns


def parse_retry_after(value: str | bytes, *, now: float | None = None) -> float | None:
    """The wait a ``Retry-After`` value asks for, in seconds, or ``None`` when it is no valid hint.

    Reads delta-seconds (``"120"``) and the three HTTP-date forms of RFC 9110 (``"Sun, 06 Nov 1994
    08:49:37 GMT"``, the obsolete RFC 850 and asctime forms). A date is measured from ``now``
    (seconds since the epoch, default ``time.time()``); a date in the past gives ``0.0``. Huge values
    saturate rather than fail, and a retry loop caps the wait at its policy's ``cap`` anyway.
    Malformed text (``"-5"``, ``"1.5"``, ``"soon"``, 30 February) gives ``None``: no text makes it raise.
    """
    if not isinstance(value, (str, bytes)):
        raise TypeError(f"value: expected str or bytes (got {_convert.shown(value)})")
    if now is None:
        now_ns = time.time_ns()
    elif not isinstance(now, (int, float)) or isinstance(now, bool):
        raise TypeError(f"now: expected seconds since the epoch, a float or int (got {_convert.shown(now)})")
    elif math.isfinite(now):
        # Exact: a float such as 4611686019.0 times 1e9 would round to a neighbouring nanosecond.
        now_ns = min(max(round(Fraction(now) * 1_000_000_000), -(2**63)), 2**63 - 1)
    else:
        raise ValueError(f"now: expected finite seconds since the epoch (got {_convert.shown(now)})")
    wait_ns = retry_after_ns(value, now_ns)
    return None if wait_ns is None else wait_ns / 1e9


def retry_after_ns(value: str | bytes, now_ns: int) -> int | None:
    """:func:`parse_retry_after` in the core's units: int64 nanoseconds, ``now_ns`` since the epoch."""
    if isinstance(value, str):
        # Header values are octets; a character outside Latin-1 cannot be part of a valid value.
        value = value.encode("latin-1", "replace")
    return _core.parse_retry_after(value, now_ns)


def hint_ns(value: Duration, param: str = "retry_after") -> int:
    """A server's hint (seconds, a ``timedelta`` or text such as ``"2s"``) in nanoseconds.

    Unlike a setting, a hint saturates: ``1e12``, ``inf`` or :func:`parse_retry_after`'s own largest
    value mean "as long as you may", and the policy's cap (or a breaker's ``max_hint_open``) bounds
    it. NaN and negative hints are a caller's bug and raise ``ValueError`` naming ``param``.
    """
    if isinstance(value, timedelta):
        value = value.total_seconds()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            seconds = float(value)
        except OverflowError:  # an int past float's range: as saturated as inf
            seconds = math.inf
        return _core.hint_ns_from_seconds(seconds, param)
    return duration_ns(value, param)  # text, and the TypeError that names the parameter
