"""libbackoff through ctypes: no compiler, no extension module, only libbackoff.so.

The library decides every delay; this module only translates. Durations are int nanoseconds, as in the
C API, so nothing is rounded; ``None`` in place of a delay means "stop retrying" (BACKOFF_STOP).

Which libbackoff.so is loaded (first match wins):
  1. the path in the environment variable ``BACKOFF_LIBRARY``;
  2. the copy shipped in the ``libbackoff`` wheel, through ``libbackoff.get_library_path()``;
  3. the system loader: ``libbackoff.so.0`` on ``LD_LIBRARY_PATH`` or in the linker cache.
"""
from __future__ import annotations

import ctypes
import functools
import os
import sys
import weakref
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_int64, c_uint64, c_void_p

__all__ = ["BackoffError", "Policy", "State", "find_library", "key_hash", "load_library", "monotonic_now_ns"]

if sys.platform == "darwin":
    SYSTEM_NAME = "libbackoff.0.dylib"
elif sys.platform == "win32":
    SYSTEM_NAME = "backoff.dll"
else:
    SYSTEM_NAME = "libbackoff.so.0"

_STOP = -1
# backoff_value_type: how a parameter's value is passed, and so which setter takes it.
_TYPE_REAL, _TYPE_SEED = 3, 4


class BackoffError(ValueError):
    """A failed call: ``code`` is the negative status, ``message`` is backoff_last_error()'s text."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def find_library() -> str:
    """Returns what to load: a path, or the file name for the system loader."""
    path = os.environ.get("BACKOFF_LIBRARY")
    if path:
        return path
    try:
        import libbackoff  # the wheel's copy, if the Python package is installed

        path = libbackoff.get_library_path()
    except (ImportError, AttributeError):
        path = None
    return os.fspath(path) if path else SYSTEM_NAME


_PROTOTYPES = {
    # name: (restype, argtypes)
    "backoff_version_number": (ctypes.c_uint, []),
    "backoff_version_string": (c_char_p, []),
    "backoff_strerror": (c_char_p, [c_int]),
    "backoff_last_error": (c_char_p, []),
    "backoff_monotonic_now_ns": (c_int64, []),
    "backoff_param_from_name": (c_int, [POINTER(c_int), c_char_p]),
    "backoff_param_type": (c_int, [c_int]),
    "backoff_config_new": (c_int, [POINTER(c_void_p)]),
    "backoff_config_free": (None, [c_void_p]),
    "backoff_config_set_i64": (c_int, [c_void_p, c_int, c_int64]),
    "backoff_config_set_f64": (c_int, [c_void_p, c_int, c_double]),
    "backoff_config_set_u64": (c_int, [c_void_p, c_int, c_uint64]),
    "backoff_config_set_text": (c_int, [c_void_p, c_char_p, c_char_p]),
    "backoff_policy_new": (c_int, [POINTER(c_void_p), c_void_p]),
    "backoff_policy_free": (None, [c_void_p]),
    "backoff_policy_delay": (c_int, [POINTER(c_int64), c_void_p, c_uint64, c_uint64]),
    "backoff_key_hash": (c_int, [POINTER(c_uint64), c_char_p, c_uint64]),
    "backoff_state_new": (c_int, [POINTER(c_void_p), c_void_p]),
    "backoff_state_free": (None, [c_void_p]),
    "backoff_state_next": (c_int, [POINTER(c_int64), c_void_p, c_int64]),
    "backoff_state_next_at": (c_int, [POINTER(c_int64), c_void_p, c_int64, c_int64]),
    "backoff_state_reset": (c_int, [c_void_p]),
    "backoff_state_reset_at": (c_int, [c_void_p, c_int64]),
    "backoff_state_elapsed_at": (c_int, [POINTER(c_int64), c_void_p, c_int64]),
    "backoff_state_attempt": (c_int, [POINTER(c_uint64), c_void_p]),
}


@functools.lru_cache(maxsize=None)
def load_library() -> ctypes.CDLL:
    """Loads libbackoff once (see the module docstring for where from) and declares its prototypes."""
    name = find_library()
    try:
        lib = ctypes.CDLL(name)
    except OSError as error:
        raise OSError(
            f"cannot load libbackoff from {name!r}: set BACKOFF_LIBRARY to the path of libbackoff.so, "
            f"install the libbackoff wheel, or add its directory to LD_LIBRARY_PATH ({error})"
        ) from error
    for function, (restype, argtypes) in _PROTOTYPES.items():
        prototype = getattr(lib, function)
        prototype.restype, prototype.argtypes = restype, argtypes
    return lib


def _check(status: int) -> None:
    """Raises the library's error for a failed status. The message is thread-local in C, and ctypes runs
    both calls on the calling thread, so it is this call's message."""
    if status != 0:
        message = load_library().backoff_last_error().decode()
        raise BackoffError(status, message)


_INT64_MIN, _INT64_END, _UINT64_END = -(2**63), 2**63, 2**64


def _int64(value: int, name: str) -> int:
    """ctypes wraps an out-of-range int silently; refuse it instead."""
    if not _INT64_MIN <= value < _INT64_END:
        raise OverflowError(f"{name}: {value} does not fit in int64")
    return value


def _uint64(value: int, name: str) -> int:
    if not 0 <= value < _UINT64_END:
        raise OverflowError(f"{name}: {value} does not fit in uint64")
    return value


def monotonic_now_ns() -> int:
    """The library's monotonic clock: the time scale of State.next_at and State.reset_at."""
    return load_library().backoff_monotonic_now_ns()


def key_hash(key: bytes | str) -> int:
    """The uint64 key of Policy.delay for a job id given as bytes, or as str (hashed as UTF-8): the
    library's backoff_key_hash, so the same id gives the same key in every language."""
    data = key.encode() if isinstance(key, str) else bytes(key)
    out = c_uint64()
    _check(load_library().backoff_key_hash(byref(out), data, len(data)))
    return out.value


class Policy:
    """An immutable, validated schedule; share it freely between threads.

    Keyword arguments are backoff.h's parameter names, applied in order. A string goes through the text
    setter (``cap="30s"``, ``jitter="none"``); a number through the typed setter the parameter's type
    names (``multiplier=1.5``, ``max_attempts=5``, ``initial=100_000_000`` nanoseconds, ``seed=42``).
    """

    __slots__ = ("_handle", "_free", "__weakref__")

    def __init__(self, **params: str | int | float) -> None:
        lib = load_library()
        config = c_void_p()
        _check(lib.backoff_config_new(byref(config)))
        try:
            for name, value in params.items():
                _set(lib, config, name, value)
            handle = c_void_p()
            _check(lib.backoff_policy_new(byref(handle), config))
        finally:
            lib.backoff_config_free(config)
        self._handle = handle
        self._free = weakref.finalize(self, lib.backoff_policy_free, handle)

    def delay(self, attempt: int, key: int = 0) -> int | None:
        """The wait in ns before retry number ``attempt`` (0 after the first failure), or None once
        max_attempts attempts have been made. A pure function of (policy, attempt, key), for any attempt
        up to 2**64 - 1: pass a job id as ``key`` so that different jobs draw different jitter."""
        out = c_int64()
        _check(load_library().backoff_policy_delay(byref(out), self._live(), _uint64(attempt, "attempt"),
                                                   _uint64(key, "key")))
        return None if out.value == _STOP else out.value

    def close(self) -> None:
        """Frees the policy now rather than when it is collected. States made from it stay valid."""
        self._free()
        self._handle = None

    def _live(self) -> c_void_p:
        if self._handle is None:
            raise ValueError("Policy used after close()")
        return self._handle


def _set(lib: ctypes.CDLL, config: c_void_p, name: str, value: str | int | float) -> None:
    if isinstance(value, str):
        _check(lib.backoff_config_set_text(config, name.encode(), value.encode()))
        return
    param = c_int()
    _check(lib.backoff_param_from_name(byref(param), name.encode()))
    kind = lib.backoff_param_type(param)
    if kind == _TYPE_REAL:
        _check(lib.backoff_config_set_f64(config, param, float(value)))
    elif kind == _TYPE_SEED:
        _check(lib.backoff_config_set_u64(config, param, _uint64(value, name)))
    else:
        _check(lib.backoff_config_set_i64(config, param, _int64(value, name)))


class State:
    """The stateful form of a policy: counts attempts and measures elapsed time. One thread at a time.

    ``next()`` and ``reset()`` read the library's monotonic clock; the ``_at`` methods take the time in ns
    on any scale the caller keeps, for simulated time without a clock callback.
    """

    __slots__ = ("_handle", "_free", "__weakref__")

    def __init__(self, policy: Policy) -> None:
        lib = load_library()
        handle = c_void_p()
        _check(lib.backoff_state_new(byref(handle), policy._live()))
        self._handle = handle
        self._free = weakref.finalize(self, lib.backoff_state_free, handle)

    def next(self, hint_ns: int = 0) -> int | None:
        """The wait in ns before the next retry, or None to stop; counts the attempt. ``hint_ns`` is a
        server's Retry-After: the delay is at least the hint and still at most the cap."""
        out = c_int64()
        _check(load_library().backoff_state_next(byref(out), self._live(), _int64(hint_ns, "hint_ns")))
        return None if out.value == _STOP else out.value

    def next_at(self, now_ns: int, hint_ns: int = 0) -> int | None:
        """As next(), at the time ``now_ns``."""
        out = c_int64()
        _check(load_library().backoff_state_next_at(byref(out), self._live(), _int64(now_ns, "now_ns"),
                                                    _int64(hint_ns, "hint_ns")))
        return None if out.value == _STOP else out.value

    def reset(self) -> None:
        """Starts over: attempt 0, elapsed time from now. A seeded state replays its delays."""
        _check(load_library().backoff_state_reset(self._live()))

    def reset_at(self, now_ns: int) -> None:
        _check(load_library().backoff_state_reset_at(self._live(), _int64(now_ns, "now_ns")))

    def elapsed_at(self, now_ns: int) -> int:
        """Time in ns from the start or the last reset until ``now_ns``; 0 if ``now_ns`` is earlier."""
        out = c_int64()
        _check(load_library().backoff_state_elapsed_at(byref(out), self._live(), _int64(now_ns, "now_ns")))
        return out.value

    @property
    def attempt(self) -> int:
        """How many delays the state has handed out since the start or the last reset."""
        out = c_uint64()
        _check(load_library().backoff_state_attempt(byref(out), self._live()))
        return out.value

    def close(self) -> None:
        self._free()
        self._handle = None

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _live(self) -> c_void_p:
        if self._handle is None:
            raise ValueError("State used after close()")
        return self._handle
