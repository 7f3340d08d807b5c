"""python-backoff's jitter functions, drawn by the engine's full jitter."""

from __future__ import annotations

from .. import _engine


def full_jitter(value: float) -> float:
    """A uniform draw from [0, value] (AWS's "full jitter"): the default jitter."""
    return _engine.full_jitter(value)


def random_jitter(value: float) -> float:
    """``value`` plus a uniform draw from [0, 1] second."""
    return value + _engine.full_jitter(1.0)
