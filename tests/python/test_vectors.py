"""The shared vector file gives bit-identical delays here and in the C++ and C tests.

tests/vectors/delays.tsv: '#' comments; 5 TAB-separated fields per case: name; config as comma-separated
name=value pairs (the core's set_text syntax); form 'delay' (stateless: comma-separated attempt:ns pairs)
or 'next' (a fresh state, next at now = 0 and hint = 0, repeatedly: comma-separated ns); key (decimal,
'bytes:' and the key's bytes in hex, or '-'); -1 is STOP. The file is required: without it this test fails rather than skips.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

import libbackoff as lb

VECTORS = Path(os.environ.get("BACKOFF_VECTORS", Path(__file__).resolve().parents[1] / "vectors" / "delays.tsv"))
STOP = -1


@dataclass
class Case:
    name: str
    config: str
    form: str
    key: int | bytes
    expected: list[tuple[int, int]]  # (attempt or call index, ns)


def key_of(text: str) -> int | bytes:
    if text.startswith("bytes:"):
        return bytes.fromhex(text.removeprefix("bytes:"))
    return 0 if text == "-" else int(text)


def read_cases(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        assert len(fields) == 5, f"{path}:{number}: expected 5 TAB-separated fields, got {len(fields)}"
        name, config, form, key, values = fields
        assert form in ("delay", "next"), f"{path}:{number}: unknown form {form!r}"
        items = [item for item in values.split(",") if item]
        if form == "delay":
            expected = [(int(a), int(d)) for a, d in (item.split(":") for item in items)]
        else:
            expected = list(enumerate(int(item) for item in items))
        cases.append(Case(name, config, form, key_of(key), expected))
    return cases


def load_cases() -> list[Case]:
    return read_cases(VECTORS) if VECTORS.is_file() else []


def test_the_vector_file_exists_and_has_cases():
    assert VECTORS.is_file(), f"missing shared test vectors: {VECTORS}"
    cases = load_cases()
    assert {case.form for case in cases} == {"delay", "next"}
    assert len({case.name for case in cases}) == len(cases), "case names must be unique"


# Without the file, one failing case stands in, so that no test is silently skipped.
@pytest.mark.parametrize("case", load_cases() or [None], ids=lambda case: case.name if case else "vector-file-missing")
def test_delays_match_the_vectors(case: Case | None):
    assert case is not None, f"missing shared test vectors: {VECTORS}"
    policy = lb.Policy.from_text(case.config)
    if case.form == "delay":
        got = [(attempt, policy.delay_ns(attempt, case.key)) for attempt, _ in case.expected]
    else:
        state = lb.Backoff(policy, clock=lambda: 0.0)
        got = [(index, state.next_ns()) for index, _ in case.expected]
    assert [(i, STOP if ns is None else ns) for i, ns in got] == case.expected


@pytest.mark.parametrize(
    "case", [case for case in load_cases() if isinstance(case.key, bytes)] or [None], ids=lambda case: case and case.name
)
def test_a_str_key_hashes_as_its_utf8_bytes(case: Case | None):
    assert case is not None, "the vectors need rows with byte keys"
    assert isinstance(case.key, bytes)
    policy = lb.Policy.from_text(case.config)
    try:
        text = case.key.decode("utf-8")
    except UnicodeDecodeError:
        assert policy.delay_ns(0, bytearray(case.key)) == policy.delay_ns(0, case.key)
        return
    assert [policy.delay_ns(attempt, text) for attempt, _ in case.expected] == [
        policy.delay_ns(attempt, case.key) for attempt, _ in case.expected
    ]
