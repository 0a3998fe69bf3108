"""The rollup-based reports give exactly the numbers computed from every rating, on varied data.

Some reviews are closed as not attributable to the employee: those ratings leave the
employees' figures on both paths and stay in every other figure.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from collector.ingest.batch import sorted_against_store
from collector.ingest.batch_records import Batch
from collector.reports.cells import employee_groups_from_cells
from collector.reports.daily import build_daily, daily_from_ratings, employees, excluded_causes, month_means
from collector.reports.maths import Calendar, daily_means, daily_report, employee_table
from collector.store import Store
from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig, Rating

DAY = date(2026, 3, 29)  # around Europe's change to summer time, for the zone that has one
SITES = ("site-a", "site-b", "site-c")
NOW = "2026-04-02T00:00:00.000Z"
CALLS = "taqyeem-api-ivr"  # a phone system's ratings: no device of that id, each placed by the call
SCOPES = ((None, None), (None, "site-a"), (["site-b", "site-c"], None), (["site-b"], "site-b"))


def _fill(store: Store, seed: int) -> None:
    """Ratings over five days with every kind of variety a report groups by: devices at desks
    and none, employees and none, all scores, times near local midnight, reviews closed and open,
    closed as attributable to the employee or not, ratings counted at their receipt, every channel,
    and phone calls through an integration's device id, placed at a site (and a desk or none)."""
    rng = random.Random(seed)
    devices = []
    for index in range(9):
        device_id = f"dev-{index}"
        devices.append(device_id)
        if index < 8:  # dev-8 was never registered: no site, no desk
            site = SITES[index % 3]
            section = {"section": f"sec-{index % 2}"} if index % 4 else {}
            config = DeviceConfig(site_id=site, desk_id=f"desk-{index}", desk_name_ar="م", desk_name_en="D", **section)
            store.devices.register(device_id, config, NOW)
    start = datetime(2026, 3, 27, 18, tzinfo=UTC)
    seqs = dict.fromkeys([*devices, CALLS], 0)
    for _ in range(12):
        batch = []
        places: dict[str, tuple[str | None, str | None]] = {}
        for _ in range(rng.randint(1, 60)):
            channel = rng.choice(("desk", "desk", "call", "link"))
            device_id = CALLS if channel == "call" and rng.random() < 0.7 else rng.choice(devices)
            seqs[device_id] += 1
            moment = start + timedelta(minutes=rng.randint(0, 5 * 24 * 60), milliseconds=rng.randint(0, 999))
            batch.append(
                Rating(
                    id=str(uuid7(int(moment.timestamp() * 1000))),
                    seq=seqs[device_id],
                    device_id=device_id,
                    employee_id=rng.choice(["E1", "E2", "E3", None]),
                    score=rng.randint(1, 5),
                    created_at=format_time(moment),
                    channel=channel,
                )
            )
            if device_id == CALLS:
                places[batch[-1].id] = (rng.choice(SITES), rng.choice(["desk-0", "desk-1", None]))
        negative = [r.id for r in batch if r.score <= 2]
        # Some came from a wrong clock: they count when the batch was received, another day and hour.
        received = format_time(start + timedelta(minutes=rng.randint(0, 5 * 24 * 60)))
        late = [r.id for r in batch if rng.random() < 0.2]
        store.add_batch(
            sorted_against_store(
                store, Batch(batch, negative_ids=negative, counted_on_receipt=late, rating_places=places)
            ),
            received,
        )
        for rating_id in negative:
            if rng.random() < 0.6:
                attributable = rng.random() < 0.4
                cause = "staff_conduct" if attributable else rng.choice(["system_outage", "visitor_misunderstanding"])
                closure = {"cause": cause, "action": "coaching", "note": "n", "attributable": attributable}
                store.reviews.close(rating_id, "sup", {**closure, "attributable_from": "supervisor"}, NOW)
    # E9 served twice on the second day, and neither rating is held against them: n 0, 2 excluded.
    noon = datetime(2026, 3, 29, 9, tzinfo=UTC)
    mine = [
        Rating(
            id=str(uuid7(int(noon.timestamp() * 1000) + i)),
            seq=1000 + i,
            device_id="dev-0",
            employee_id="E9",
            score=1 + i,
            created_at=format_time(noon + timedelta(minutes=i)),
        )
        for i in range(2)
    ]
    store.add_batch(sorted_against_store(store, Batch(mine, negative_ids=[r.id for r in mine])), NOW)
    for r in mine:
        closure = {"cause": "system_outage", "action": "process_fix", "note": "n", "attributable": False}
        store.reviews.close(r.id, "sup", {**closure, "attributable_from": "cause"}, NOW)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("zone", ["Asia/Riyadh", "Asia/Kolkata", "Europe/London"])
def test_the_daily_report_from_rollups_equals_the_one_from_every_rating(tmp_path: Path, seed: int, zone: str) -> None:
    store = Store(tmp_path / "t.db")
    try:
        store.rollups.rebuild(zone)
        _fill(store, seed)
        calendar = Calendar.from_settings(zone)
        excluded_days: set[bool] = set()
        channels: set[str] = set()
        for offset in range(-1, 4):
            day = DAY + timedelta(days=offset)
            for scope, site_id in SCOPES:
                expected = daily_from_ratings(store, calendar, scope, day, site_id)
                assert build_daily(store, calendar, scope, day, site_id) == expected
                channels |= {channel for channel, part in expected["by_channel"].items() if part["count"]}
                span = _span(calendar, day)
                rows = store.ratings.window(*span, sites=scope, site_id=site_id)
                assert month_means(store, calendar, scope, day, site_id, 3) == daily_means(rows, day, 3, calendar)
                excluded = excluded_causes(store, *span, scope, site_id)
                table = employee_table(rows, day, 3, calendar, excluded=excluded)
                assert employees(store, calendar, scope, day, site_id, 3) == table
                excluded_days.add(bool(excluded))
    finally:
        store.close()
    assert True in excluded_days  # ratings not attributable were there to leave out
    assert channels == {"desk", "call", "link"}  # and ratings of every channel to split


@pytest.mark.parametrize("seed", range(4))
def test_a_rating_not_attributable_leaves_only_the_employees_figures(tmp_path: Path, seed: int) -> None:
    store = Store(tmp_path / "t.db")
    try:
        _fill(store, seed)
        calendar = Calendar.from_settings()
        for offset in range(-1, 4):
            day = DAY + timedelta(days=offset)
            since, until = calendar.day_bounds(day)
            rows = store.ratings.window(since, until)
            report = build_daily(store, calendar, None, day, None)
            as_if_all_held = daily_report(
                rows,
                day,
                sections={},
                open_ids=set(),
                review_counts={"opened": 0, "closed": 0},
                calendar=calendar,
                site_id=None,
            )
            for part in ("totals", "distribution", "by_site", "by_hour"):
                assert _figures(report[part]) == _figures(as_if_all_held[part]), part
            excluded = excluded_causes(store, since, until, None, None)
            held = [r for r in rows if r["id"] not in excluded]
            by_employee = {e["employee_id"]: e for e in report["by_employee"]}
            for employee_id in {r["employee_id"] for r in rows}:
                own = [r for r in held if r["employee_id"] == employee_id]
                entry = by_employee[employee_id]
                assert entry["count"] == len(own)
                assert entry["mean"] == (round(sum(r["score"] for r in own) / len(own), 2) if own else None)
                assert entry["excluded"] == sum(1 for r in rows if r["employee_id"] == employee_id) - len(own)
                assert sum(entry["excluded_causes"].values()) == entry["excluded"]
            if day == DAY:
                assert (by_employee["E9"]["count"], by_employee["E9"]["mean"]) == (0, None)
                assert by_employee["E9"]["excluded_causes"] == {"system_outage": 2}
                assert by_employee["E9"]["share_negative"] is None
    finally:
        store.close()


def _figures(part: object) -> object:
    """A report part without its open-review counts (the reference above knows no reviews)."""
    if isinstance(part, list):
        return [_figures(p) for p in part]
    if isinstance(part, dict):
        return {k: v for k, v in part.items() if k != "open_reviews"}
    return part


def _span(calendar: Calendar, last_day: date) -> tuple[str, str]:
    return calendar.day_bounds(last_day - timedelta(days=2))[0], calendar.day_bounds(last_day)[1]


@pytest.mark.parametrize("seed", range(3))
def test_a_rebuild_reproduces_the_rollups_kept_batch_by_batch(tmp_path: Path, seed: int) -> None:
    store = Store(tmp_path / "t.db")
    try:
        _fill(store, seed)
        kept = store.rollups.all()
        assert {row[6] for row in kept} == {"desk", "call", "link"}
        assert "taqyeem-api-ivr" not in {d["device_id"] for d in store.devices.all()}
        store.rollups.rebuild()
        assert store.rollups.all() == kept
    finally:
        store.close()


def test_a_report_for_another_timezone_reads_the_ratings_until_a_rebuild(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    try:
        _fill(store, 1)
        kolkata = Calendar.from_settings("Asia/Kolkata")
        expected = daily_from_ratings(store, kolkata, None, DAY, None)
        assert store.rollups.zone() == "Asia/Riyadh"
        assert build_daily(store, kolkata, None, DAY, None) == expected
        store.rollups.rebuild("Asia/Kolkata")
        assert store.rollups.zone() == "Asia/Kolkata"
        assert build_daily(store, kolkata, None, DAY, None) == expected
    finally:
        store.close()


@pytest.mark.parametrize("seed", range(4))
def test_the_ratings_not_attributable_counted_in_sql_leave_the_employees_as_their_rows_do(
    tmp_path: Path, seed: int
) -> None:
    store = Store(tmp_path / "t.db")
    try:
        _fill(store, seed)
        by = ("device_id", "employee_id", "channel")
        cells = store.rollups.cells(("2026-03-20", "2026-04-05"), by)
        found = 0
        for since, until in (
            ("2026-03-27T00:00:00.000Z", "2026-04-03T00:00:00.000Z"),
            _span(Calendar.from_settings(), DAY),
        ):
            for scope, site_id in SCOPES:
                rows = store.reviews.not_attributable(since, until, scope, site_id)
                counts = store.reviews.not_attributable_counts(since, until, scope, site_id)
                assert sum(c["n"] for c in counts) == len(rows)
                assert employee_groups_from_cells(cells, [], counts) == employee_groups_from_cells(cells, [], rows)
                found += len(rows)
    finally:
        store.close()
    assert found  # there were ratings to leave out
