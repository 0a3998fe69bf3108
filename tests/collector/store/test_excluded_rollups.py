"""The daily sums of the ratings not attributable to their employee (store/excluded_rollups.py).

On the varied data of tests/collector/reports/test_cells.py (reviews closed as attributable
or not, by the supervisor or by the cause, ratings counted on receipt, calls, no site, no
employee): the sums equal ``Reviews.not_attributable_counts`` over every span and scope,
kept as reviews close, after ``taqyeem rollups rebuild`` and for another zone.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from collector.reports.maths import Calendar
from collector.store import Store
from tests.collector.reports.test_cells import DAY, SCOPES, _fill


def _assert_sums_equal_every_review(store: Store, calendar: Calendar) -> int:
    seen = 0
    for offset in range(-2, 5):
        first = DAY + timedelta(days=offset)
        for last in (first, first + timedelta(days=2)):
            since, until = calendar.day_bounds(first)[0], calendar.day_bounds(last)[1]
            for scope, site_id in (*SCOPES, ([], None)):
                counts = store.reviews.not_attributable_counts(since, until, scope, site_id)
                days = (first.isoformat(), last.isoformat())
                assert store.rollups.excluded.counts(days, scope, site_id) == counts
                seen += sum(c["n"] for c in counts)
    return seen


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("zone", ["Asia/Riyadh", "Europe/London"])
def test_the_sums_kept_as_reviews_close_equal_a_count_of_every_review(tmp_path: Path, seed: int, zone: str) -> None:
    store = Store(tmp_path / "t.db")
    try:
        store.rollups.rebuild(zone)
        _fill(store, seed)
        assert _assert_sums_equal_every_review(store, Calendar.from_settings(zone))
        kept = _sums(store.path)
        store.rollups.rebuild()
        assert _sums(store.path) == kept
        store.rollups.rebuild("Asia/Kolkata")
        assert _assert_sums_equal_every_review(store, Calendar.from_settings("Asia/Kolkata"))
    finally:
        store.close()


def _sums(path: Path) -> list[Any]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM excluded_rollups ORDER BY 1, 2, 3, 4, 5, 6").fetchall()
