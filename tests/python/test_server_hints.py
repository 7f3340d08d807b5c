"""parse_retry_after from Python: the core's parser in float seconds, checked against the standard library."""

from __future__ import annotations

import calendar
import email.utils
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from libbackoff.server_hints import parse_retry_after

EXAMPLE = calendar.timegm((1994, 11, 6, 8, 49, 37))  # RFC 9110's Sun, 06 Nov 1994 08:49:37 GMT


def test_delta_seconds_and_each_date_form():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(b" 7 ") == 7.0
    for form in ("Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"):
        assert parse_retry_after(form, now=EXAMPLE - 2.5) == 2.5


def test_a_past_date_is_no_wait_and_a_huge_value_saturates():
    assert parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now=EXAMPLE + 1) == 0.0
    assert parse_retry_after("9" * 100) == pytest.approx((2**63 - 1) / 1e9)


@pytest.mark.parametrize("value", ["", "soon", "-5", "1.5", "Sun, 30 Feb 1994 08:49:37 GMT", "５", "12\x00"])
def test_malformed_values_are_none(value):
    assert parse_retry_after(value) is None


def test_wrong_argument_types_and_times_raise():
    with pytest.raises(TypeError, match="value"):
        parse_retry_after(5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="now"):
        parse_retry_after("5", now=math.nan)


# Up to 2262: later "now" values do not fit in int64 nanoseconds, and saturate.
@given(st.integers(min_value=0, max_value=(2**63 - 1) // 10**9), st.integers(min_value=0, max_value=10**6))
def test_a_date_formatted_by_the_standard_library_reads_back_as_the_time_until_it(instant, ahead):
    date = email.utils.formatdate(instant, usegmt=True)
    assert parse_retry_after(date, now=instant - ahead) == ahead


@given(st.one_of(st.text(), st.binary()), st.floats(min_value=-1e12, max_value=1e12))
def test_no_value_raises_or_gives_a_negative_wait(value, now):
    wait = parse_retry_after(value, now=now)
    assert wait is None or wait >= 0.0
