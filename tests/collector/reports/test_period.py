"""The period report's span rules and its two sources.

collector/reports/period.py and collector/reports/daily.py:build_period.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.reports.daily import build_period
from collector.reports.period import MAX_DAYS, SpanError, span_of
from collector.store import Store
from tests.support.two_sites_today import CALENDAR, desk_config, make_rating

NOW = "2026-11-28T12:00:00.000Z"


def test_spans() -> None:
    assert span_of(date(2025, 1, 1), date(2025, 1, 1)).hijri is None
    month = span_of(None, None, hijri_month="1447-09")  # Ramadan 1447
    assert (month.first, month.hijri and month.hijri["month"]) == (date(2026, 2, 18), "1447-09")
    with pytest.raises(SpanError, match="before"):
        span_of(date(2025, 1, 2), date(2025, 1, 1))
    with pytest.raises(SpanError, match="at most"):
        span_of(date(2000, 1, 1), date(2000, 1, 1) + timedelta(days=MAX_DAYS))
    with pytest.raises(SpanError, match="Umm al-Qura"):
        span_of(None, None, hijri_year=1501)


def test_the_ratings_give_what_the_rollups_give(tmp_path: Path) -> None:
    store = Store(tmp_path / "taqyeem.db")
    store.devices.register("dev-a1", desk_config("site-a", "desk-01", "men-hall"), NOW)
    start = datetime.combine(date(2025, 5, 1), datetime.min.time(), CALENDAR.zone) + timedelta(hours=22)
    batch = [
        make_rating("dev-a1", i + 1, 1 + i % 5, start + timedelta(minutes=17 * i), f"E{i % 3}", answers={"q": "a"})
        for i in range(60)
    ]
    store_batch(store, Batch(batch), NOW)
    span = span_of(date(2025, 5, 1), date(2025, 5, 1))
    from_rollups = build_period(store, CALENDAR, None, span, None)
    store.rollups.rebuild("UTC")  # another zone's local days: the report reads the ratings themselves
    assert build_period(store, CALENDAR, None, span, None) == from_rollups
    assert 0 < from_rollups["count"] < 60  # the evening runs past local midnight
    assert from_rollups["questions"] == {"q": {"a": {"count": from_rollups["count"], "share": 1.0}}}
    store.close()
