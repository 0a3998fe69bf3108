"""The monthly rollups (store/month_rollups.py): a span read as whole months and its end days equals its days.

On varied data stored as the collector stores it (Store.add_batch): ratings over four
months at sites and at none, employees and none, every channel, around local midnight
at the months' ends, some counted on receipt; in three zones; then after a rebuild.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collector.ingest.batch import sorted_against_store
from collector.ingest.batch_records import Batch
from collector.reports.daily import build_period
from collector.reports.maths import Calendar
from collector.reports.period import span_of
from collector.store import Store
from collector.store.month_rollups import span_parts, split_span
from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig, Rating

START = datetime(2026, 1, 30, 18, tzinfo=UTC)
MINUTES = 100 * 24 * 60  # to early May: four month ends
FIRST = date(2026, 1, 30)
DEVICES = ("dev-a", "dev-b", "dev-c", "dev-none")  # dev-none is never placed: no site
SCOPES = ((None, None), (None, "site-a"), (["site-b", "site-c"], None), ([], None))
BY = ("device_id", "employee_id", "channel")
NOW = "2026-05-10T00:00:00.000Z"

rating = st.tuples(
    st.sampled_from(DEVICES),
    st.one_of(st.integers(0, MINUTES), st.sampled_from([2 * 1440 - 200, 30 * 1440 - 190, 60 * 1440 - 170])),
    st.sampled_from(["E1", "E2", None]),
    st.sampled_from(["desk", "desk", "call", "link"]),
    st.integers(1, 5),
    st.booleans(),  # counted on receipt
)
batches = st.lists(st.lists(rating, min_size=1, max_size=20), min_size=1, max_size=6)
spans = st.tuples(st.integers(0, 100), st.integers(0, 100)).map(
    lambda ab: (FIRST + timedelta(days=min(ab)), FIRST + timedelta(days=max(ab)))
)


def test_a_span_splits_into_its_whole_months_and_the_days_at_its_ends() -> None:
    d = date.fromisoformat
    assert split_span(d("2026-01-15"), d("2026-04-03")) == (
        [(d("2026-01-15"), d("2026-01-31")), (d("2026-04-01"), d("2026-04-03"))],
        ("2026-02", "2026-03"),
    )
    assert split_span(d("2026-02-01"), d("2026-02-28")) == ([], ("2026-02", "2026-02"))
    assert split_span(d("2024-02-01"), d("2024-02-28")) == ([(d("2024-02-01"), d("2024-02-28"))], None)  # leap year
    assert split_span(d("2026-01-02"), d("2026-01-31")) == ([(d("2026-01-02"), d("2026-01-31"))], None)
    assert split_span(d("2025-12-01"), d("2026-12-31")) == ([], ("2025-12", "2026-12"))
    assert split_span(d("2026-03-31"), d("2026-04-01")) == ([(d("2026-03-31"), d("2026-04-01"))], None)


def test_a_month_the_span_holds_most_of_is_read_whole_less_the_days_it_leaves_out() -> None:
    d = date.fromisoformat
    assert span_parts(d("2025-12-08"), d("2026-12-07")) == [
        ("month_rollups", ("2026-01", "2026-11"), 1),
        ("month_rollups", ("2025-12", "2025-12"), 1),
        ("rating_rollups", ("2025-12-01", "2025-12-07"), -1),
        ("rating_rollups", ("2026-12-01", "2026-12-07"), 1),
    ]
    assert span_parts(d("2026-03-03"), d("2026-03-29")) == [
        ("month_rollups", ("2026-03", "2026-03"), 1),
        ("rating_rollups", ("2026-03-01", "2026-03-02"), -1),
        ("rating_rollups", ("2026-03-30", "2026-03-31"), -1),
    ]
    assert span_parts(d("2026-03-03"), d("2026-03-17")) == [("rating_rollups", ("2026-03-03", "2026-03-17"), 1)]


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


@given(span=st.tuples(st.dates(date(2023, 1, 1), date(2027, 12, 31)), st.integers(0, 800)))
def test_the_parts_of_a_span_add_up_to_each_of_its_days_once_reading_at_most_30_days(span: tuple[date, int]) -> None:
    first, length = span
    counted: dict[date, int] = {}
    daily = 0
    for table, (start, end), sign in span_parts(first, first + timedelta(days=length)):
        if table == "month_rollups":
            after = date.fromisoformat(f"{end}-28") + timedelta(days=4)
            days = _days(date.fromisoformat(f"{start}-01"), after.replace(day=1) - timedelta(days=1))
        else:
            days = _days(date.fromisoformat(start), date.fromisoformat(end))
            daily += len(days)
        for day in days:
            counted[day] = counted.get(day, 0) + sign
    assert {day for day, n in counted.items() if n} == set(_days(first, first + timedelta(days=length)))
    assert set(counted.values()) <= {0, 1}
    assert daily <= 30  # at most half of each of the two months at its ends


def _store(path: Path, zone: str, data: list[list[tuple[Any, ...]]]) -> Store:
    store = Store(path)
    store.rollups.rebuild(zone)
    for index, device_id in enumerate(DEVICES[:3]):
        config = DeviceConfig(site_id=f"site-{'abc'[index]}", desk_id="desk-1", desk_name_ar="م", desk_name_en="D")
        store.devices.register(device_id, config, NOW)
    seqs = dict.fromkeys(DEVICES, 0)
    for number, batch in enumerate(data):
        ratings, late = [], []
        for device_id, minutes, employee_id, channel, score, on_receipt in batch:
            seqs[device_id] += 1
            moment = START + timedelta(minutes=minutes)
            item = Rating(
                id=str(uuid7(int(moment.timestamp() * 1000) + seqs[device_id])),
                seq=seqs[device_id],
                device_id=device_id,
                employee_id=employee_id,
                score=score,
                channel=channel,
                created_at=format_time(moment),
            )
            ratings.append(item)
            if on_receipt:
                late.append(item.id)
        received = format_time(START + timedelta(days=19 * number, hours=23))
        negative = [r.id for r in ratings if r.score <= 2]
        store.add_batch(
            sorted_against_store(store, Batch(ratings, negative_ids=negative, counted_on_receipt=late)), received
        )
    return store


def _by_key(cells: list[dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(c[k] for k in BY): c for c in cells}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=batches, zone=st.sampled_from(["Asia/Riyadh", "Asia/Kolkata", "Europe/London"]), span=spans)
def test_a_span_read_by_months_equals_the_sum_of_its_daily_cells(
    data: list[list[Any]], zone: str, span: tuple[date, date]
) -> None:
    first, last = span
    days = (first.isoformat(), last.isoformat())
    with tempfile.TemporaryDirectory() as folder:
        store = _store(Path(folder) / "t.db", zone, data)
        try:
            for scope, site_id in SCOPES:
                by_months = store.rollups.span_cells(first, last, BY, scope, site_id)
                assert _by_key(by_months) == _by_key(store.rollups.cells(days, BY, scope, site_id))
                assert [tuple(c[k] for k in BY) for c in by_months] == sorted(_by_key(by_months))
            kept = _months(store.path)
            store.rollups.rebuild()
            assert _months(store.path) == kept
            assert kept == _months_of_the_days(store.path)
        finally:
            store.close()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=batches)
def test_the_period_report_over_months_is_the_one_from_every_rating(data: list[list[Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = _store(Path(folder) / "t.db", "Asia/Riyadh", data)
        try:
            calendar = Calendar.from_settings()
            spans = [span_of(date(2026, 1, 30), date(2026, 5, 9)), span_of(date(2026, 2, 1), date(2026, 3, 31))]
            from_rollups = [json.dumps(build_period(store, calendar, None, s, site), ensure_ascii=False)
                            for s in spans for site in (None, "site-a")]  # fmt: skip
            store.rollups.rebuild("UTC")  # another zone's local days: the report reads the ratings themselves
            from_ratings = [json.dumps(build_period(store, calendar, None, s, site), ensure_ascii=False)
                            for s in spans for site in (None, "site-a")]  # fmt: skip
            assert from_rollups == from_ratings
        finally:
            store.close()


def _months(path: Path) -> list[Any]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM month_rollups ORDER BY 1, 2, 3, 4, 5").fetchall()


def _months_of_the_days(path: Path) -> list[Any]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT substr(day, 1, 7) AS m, site_id, device_id, employee_id, channel, sum(n1), sum(n2), sum(n3), "
            "sum(n4), sum(n5), sum(negatives) FROM rating_rollups GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
        ).fetchall()
