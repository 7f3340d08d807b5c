"""A :class:`libbackoff.Policy` handed to libbackoff_jobs as ``(name, text)`` pairs.

The job store takes a C policy handle; a Python policy holds the core's C++ object. Between the two, every
parameter travels as the text ``backoff_config_set_text()`` reads, its type and name from the core's own
parameter table, so no parameter is listed here and an unseeded policy stays unseeded (the store then
draws and keeps a seed, as for any C caller).
"""

from __future__ import annotations

import enum

from .. import _core, _params
from ..policy import Policy

_KINDS = _params.kinds_of("param")


def policy_text(policy: Policy) -> list[tuple[str, str]]:
    core = policy._policy
    pairs = []
    for name, kind in _KINDS.items():
        param = _core.param_from_name(name)
        if kind == "duration":
            text = f"{core.get_i64(param)}ns"
        elif kind == "real":
            text = repr(core.get_f64(param))
        elif kind == "count":
            text = str(core.get_i64(param))
        elif kind == "seed":
            if not core.seeded():
                continue
            text = str(core.get_u64(param))
        else:  # a choice: the Policy's property of the same name is the core's value as a named enum
            value = getattr(policy, name)
            text = value.value if isinstance(value, enum.Enum) else str(value)
        pairs.append((name, text))
    return pairs
