"""The shared test vectors (tests/vectors/delays.tsv): every delay bit-identical to the C library's."""
from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import pytest

import backoff_ctypes

STOP = -1
VECTORS = Path(
    os.environ.get("BACKOFF_VECTORS")
    or Path(__file__).resolve().parents[2] / "tests" / "vectors" / "delays.tsv"
)


class Row(NamedTuple):
    name: str
    config: str
    form: str
    key: str
    expected: str


def read_rows() -> list[Row]:
    rows = []
    for number, line in enumerate(VECTORS.read_text().splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        assert len(fields) == 5, f"{VECTORS}:{number}: want 5 tab-separated fields, got {len(fields)}"
        rows.append(Row(*fields))
    assert rows, f"{VECTORS} holds no vectors"
    return rows


def row_params() -> list:
    """One test per row; a missing or malformed file becomes one failing test, never a skip."""
    try:
        return [pytest.param(row, id=row.name) for row in read_rows()]
    except (OSError, AssertionError) as error:
        return [pytest.param(error, id="vector-file-unreadable")]


def policy_of(config: str) -> backoff_ctypes.Policy:
    return backoff_ctypes.Policy(**dict(pair.split("=", 1) for pair in config.split(",")))


def key_of(text: str) -> int:
    """A decimal key, or 'bytes:' and hex digits hashed by the library; '-' (a 'next' row) is 0."""
    if text.startswith("bytes:"):
        return backoff_ctypes.key_hash(bytes.fromhex(text.removeprefix("bytes:")))
    return 0 if text == "-" else int(text)


def ns(delay: int | None) -> int:
    return STOP if delay is None else delay


@pytest.mark.parametrize("row", row_params())
def test_vector_row_gives_bit_identical_delays(row: Row | Exception) -> None:
    if isinstance(row, Exception):
        pytest.fail(f"the shared test vectors are required: {row}")
    policy = policy_of(row.config)
    key = key_of(row.key)
    if row.form == "delay":
        pairs = [item.split(":") for item in row.expected.split(",")]
        got = [f"{attempt}:{ns(policy.delay(int(attempt), key))}" for attempt, _ in pairs]
        assert got == row.expected.split(",")
    elif row.form == "next":
        with backoff_ctypes.State(policy) as state:
            got = [str(ns(state.next_at(0, 0))) for _ in row.expected.split(",")]
        assert got == row.expected.split(",")
    else:
        pytest.fail(f"unknown form {row.form!r}")
