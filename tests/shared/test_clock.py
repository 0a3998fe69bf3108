"""The contract's timestamps and time-ordered ids (shared/clock.py)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.clock import format_time, now_text, parse_time, uuid7

MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2999, 12, 31), timezones=st.just(UTC))


def test_a_moment_is_written_in_utc_with_a_z_and_milliseconds() -> None:
    riyadh = timezone(timedelta(hours=3))
    assert format_time(datetime(2026, 11, 28, 12, 15, 2, 123_999, tzinfo=riyadh)) == "2026-11-28T09:15:02.123Z"
    assert format_time(datetime(2026, 11, 28, 9, 0, tzinfo=UTC)) == "2026-11-28T09:00:00.000Z"


def test_now_is_written_the_same_way() -> None:
    assert parse_time(now_text()).tzinfo is UTC


@pytest.mark.parametrize("text", ["2026-11-28T09:15:02Z", "2026-11-28T09:15:02.123456Z"])
def test_a_timestamp_with_or_without_fractions_of_a_second_is_read(text: str) -> None:
    assert parse_time(text).replace(microsecond=0) == datetime(2026, 11, 28, 9, 15, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    "text", ["2026-11-28T09:15:02.123", "2026-11-28T09:15:02+03:00", "2026-11-28 09:15:02Z", "", "tomorrow"]
)
def test_a_timestamp_not_in_utc_with_a_z_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape("like 2026-11-28T09:15:02.123Z")):
        parse_time(text)


@given(MOMENTS)
def test_a_written_moment_reads_back_to_the_millisecond(moment: datetime) -> None:
    assert parse_time(format_time(moment)) == moment.replace(microsecond=moment.microsecond // 1000 * 1000)


@given(st.integers(min_value=0, max_value=2**48 - 1))
def test_a_uuid7_is_version_7_of_rfc_9562_and_carries_its_milliseconds(unix_ms: int) -> None:
    made = uuid7(unix_ms)
    assert (made.version, made.variant) == (7, uuid.RFC_4122)
    assert made.int >> 80 == unix_ms


@given(st.integers(min_value=0, max_value=2**48 - 2))
def test_a_later_millisecond_gives_a_larger_id(unix_ms: int) -> None:
    assert uuid7(unix_ms) < uuid7(unix_ms + 1)


def test_two_ids_of_the_same_millisecond_differ() -> None:
    assert uuid7(1_764_320_102_123) != uuid7(1_764_320_102_123)
