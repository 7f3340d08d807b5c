"""The package names what the core names: its enums and parameter types are the core's vocabulary, and a
bad value gets the same message from Python as from the C API."""

from __future__ import annotations

import ctypes
import enum

import pytest

import libbackoff as lb
from libbackoff import _core, breaker, budget, policy
from libbackoff.circuit_state import CircuitState, Outcome, StateChangeCause

ENUMS: list[tuple[type[enum.Enum], str]] = [
    (lb.Kind, "kind"),
    (lb.Jitter, "jitter"),
    (lb.StopWhen, "stop_when"),
    (lb.Calibration, "calibration"),
    (lb.ErrorClass, "error_class"),
    (CircuitState, "breaker_state"),
    (StateChangeCause, "breaker_cause"),
    (Outcome, "outcome"),
]


@pytest.mark.parametrize(("python_enum", "family"), ENUMS, ids=[family for _, family in ENUMS])
def test_every_python_enum_has_exactly_the_core_s_names_in_its_order(python_enum, family):
    assert [member.value for member in python_enum] == [name for _, name in _core.enum_names(family)]


@pytest.mark.parametrize(
    ("kinds", "family"),
    [(policy._KINDS, "param"), (breaker._KINDS, "breaker_param"), (budget._KINDS, "budget_param")],
)
def test_parameter_types_are_the_core_s_table(kinds, family):
    assert kinds == {row[0]: row[1] for row in _core.param_table(family)}


def test_the_core_s_defaults_are_the_python_defaults():
    defaults = {row[0]: row[3] for row in _core.param_table("param")}
    default_policy = lb.Policy()
    assert default_policy.kind == lb.Kind(defaults["kind"])
    assert default_policy.jitter == lb.Jitter(defaults["jitter"])
    assert default_policy.stop_when == lb.StopWhen(defaults["stop_when"])
    assert lb.Policy(initial=defaults["initial"]).initial == default_policy.initial
    assert lb.Policy(cap=defaults["cap"]).cap == default_policy.cap


def test_an_unknown_family_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match=r"^family: unknown value 'jiter' \(known: family, status, "):
        _core.enum_names("jiter")


# The C API through ctypes, as any FFI sees it.
_c = ctypes.CDLL(lb.get_library_path())
_c.backoff_last_error.restype = ctypes.c_char_p


def _c_policy_error(name: str, text: str) -> str:
    config = ctypes.c_void_p()
    assert _c.backoff_config_new(ctypes.byref(config)) == 0
    try:
        assert _c.backoff_config_set_text(config, name.encode(), text.encode()) != 0
        return _c.backoff_last_error().decode()
    finally:
        _c.backoff_config_free(config)


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("multiplier", "0.5", 0.5),
        ("randomization_factor", "2", 2.0),
        ("jitter", "ful", "ful"),
        ("kind", "exp", "exp"),
        ("max_attempts", "-3", -3),
        ("max_attempts", str(2**64), 2**64),
        ("seed", str(2**64), 2**64),
    ],
)
def test_a_bad_policy_value_gets_the_same_message_from_python_and_c(name, text, value):
    with pytest.raises((ValueError, TypeError)) as raised:
        lb.Policy(**{name: value})
    assert str(raised.value) == _c_policy_error(name, text)


@pytest.mark.parametrize("max_keys", [0, -5, 2**20 + 1, 2**63, -(2**63) - 1, 2**70])
def test_a_bad_max_keys_is_the_core_s_error(max_keys):
    with pytest.raises(ValueError, match=r"^max_keys: ") as raised:
        lb.RetryBudgetPool(lb.RetryBudget(), max_keys=max_keys)
    if -(2**63) <= max_keys < 2**63:  # what the C API, whose argument is an int64, says too
        pool, config = ctypes.c_void_p(), ctypes.c_void_p()
        assert _c.backoff_budget_config_new(ctypes.byref(config)) == 0
        _c.backoff_budget_pool_new.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
        try:
            assert _c.backoff_budget_pool_new(ctypes.byref(pool), config, max_keys) != 0
            assert str(raised.value) == _c.backoff_last_error().decode()
        finally:
            _c.backoff_budget_config_free(config)
    else:
        assert str(raised.value) == f"max_keys: is not a 64-bit integer (got '{max_keys}')"


def _c_value_of_error(family: int, name: str) -> str:
    out = ctypes.c_int()
    assert _c.backoff_value_of(ctypes.byref(out), family, name.encode()) != 0
    return _c.backoff_last_error().decode()


def test_an_unknown_error_class_or_outcome_name_gets_the_c_api_s_message():
    with pytest.raises(ValueError) as raised:
        lb.RetryBudget().withdraw("timeoutt")
    assert str(raised.value) == _c_value_of_error(16, "timeoutt")  # BACKOFF_ENUM_ERROR_CLASS
    assert str(raised.value).startswith("error_class: unknown value 'timeoutt' (known: ordinary, timeout, ")
    cb = lb.CircuitBreaker()
    with pytest.raises(ValueError) as raised:
        cb.record(cb.acquire(), "succes")
    assert str(raised.value) == _c_value_of_error(11, "succes")  # BACKOFF_ENUM_OUTCOME
