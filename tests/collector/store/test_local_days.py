"""The centres' local day and hour of a stored UTC time, the key of every rollup (collector/store/local_days.py)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collector.store.local_days import local_day_hour, quarter_sql


@pytest.mark.parametrize(
    ("zone", "minute", "local"),
    [
        ("Asia/Riyadh", "2026-11-28T20:45", ("2026-11-28", 23)),
        ("Asia/Riyadh", "2026-11-28T21:00", ("2026-11-29", 0)),  # past local midnight: the next day
        ("Asia/Kolkata", "2026-11-28T18:30", ("2026-11-29", 0)),  # a half-hour zone
        ("Asia/Kathmandu", "2026-11-28T18:15", ("2026-11-29", 0)),  # a quarter-hour zone
        ("Europe/London", "2026-07-01T23:15", ("2026-07-02", 0)),  # summer time
        ("Europe/London", "2026-12-01T23:15", ("2026-12-01", 23)),
    ],
)
def test_a_utc_minute_falls_on_its_local_day_and_hour(zone: str, minute: str, local: tuple[str, int]) -> None:
    assert local_day_hour(zone, minute) == local


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_sql_groups_a_stored_time_by_its_utc_quarter_hour(moment: datetime) -> None:
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    conn = sqlite3.connect(":memory:")
    try:
        [(quarter,)] = conn.execute(f"SELECT {quarter_sql('?1')}", [stamp]).fetchall()
    finally:
        conn.close()
    start = moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)
    assert quarter == start.strftime("%Y-%m-%dT%H:%M")


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_every_minute_of_a_quarter_hour_has_the_local_day_and_hour_of_its_quarter(moment: datetime) -> None:
    # every tz offset is a multiple of 15 minutes, which is what lets rollups group by UTC quarter-hour
    start = moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)
    local = moment.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Kolkata"))
    assert local_day_hour("Asia/Kolkata", start.strftime("%Y-%m-%dT%H:%M")) == (local.date().isoformat(), local.hour)
    assert start <= moment < start + timedelta(minutes=15)
