"""The daily sums of visits recorded and rated (store/visit_rollups.py) equal the count from every visit.

On varied data: visits and calls recorded at two sites before, between and after the
ratings that name them (stored in batches through Store.add_batch, sent twice at times),
ratings naming a visit of another site or none recorded, a rating of no site, around
local midnight; compared with ``Visits.responses`` over every span and scope, then after
``taqyeem rollups rebuild`` and a rebuild for another zone.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collector.ingest.batch import sorted_against_store
from collector.ingest.batch_records import Batch
from collector.reports.maths import Calendar
from collector.store import Store
from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig, Rating

START = datetime(2026, 3, 27, 18, tzinfo=UTC)
DAYS = [date(2026, 3, 27) + timedelta(days=i) for i in range(5)]
DEVICES = ("dev-a", "dev-b", "dev-none")  # dev-none is never placed: its ratings have no site
VISITS = [f"V-{i}" for i in range(8)]
SCOPES = ((None, None), (None, "site-a"), (["site-b"], None), ([], None))
NOW = "2026-04-02T00:00:00.000Z"

MINUTES = st.integers(0, 4 * 24 * 60)
visit = st.tuples(
    st.just("visit"),
    st.sampled_from(["site-a", "site-b"]),
    st.sampled_from(VISITS),
    st.sampled_from(["desk", "call"]),
    MINUTES,
)
named = st.tuples(st.sampled_from(DEVICES), st.sampled_from([*VISITS, None]), MINUTES)
step = st.one_of(visit, st.tuples(st.just("ratings"), st.lists(named, min_size=1, max_size=6), st.booleans()))


def _store(path: Path, zone: str, steps: list[tuple[Any, ...]]) -> Store:
    store = Store(path)
    store.rollups.rebuild(zone)
    for index, device_id in enumerate(DEVICES[:2]):
        config = DeviceConfig(site_id=f"site-{'ab'[index]}", desk_id="desk-1", desk_name_ar="م", desk_name_en="D")
        store.devices.register(device_id, config, NOW)
    seqs = dict.fromkeys(DEVICES, 0)
    for number, item in enumerate(steps):
        if item[0] == "visit":
            _, site_id, visit_id, channel, minutes = item
            at = format_time(START + timedelta(minutes=minutes))
            visit = {"site_id": site_id, "visit_id": visit_id, "channel": channel, "recorded_at": at}
            store.visits.record({**visit, "token_name": "queue"})
            continue
        ratings = []
        for device_id, visit_id, minutes in item[1]:
            seqs[device_id] += 1
            moment = START + timedelta(minutes=minutes)
            ratings.append(
                Rating(
                    id=str(uuid7(int(moment.timestamp() * 1000) + seqs[device_id])),
                    seq=seqs[device_id],
                    device_id=device_id,
                    score=4,
                    visit_id=visit_id,
                    created_at=format_time(moment),
                )
            )
        received = format_time(START + timedelta(hours=number))
        store.add_batch(sorted_against_store(store, Batch(ratings)), received)
        if item[2]:
            store.add_batch(
                sorted_against_store(store, Batch(ratings)), received
            )  # sent again: duplicates, stored once
    return store


def _assert_sums_equal_every_visit(store: Store, calendar: Calendar) -> None:
    for first in DAYS:
        for last in (first, first + timedelta(days=2)):
            since, until = calendar.day_bounds(first)[0], calendar.day_bounds(last)[1]
            days = (first.isoformat(), last.isoformat())
            for scope, site_id in SCOPES:
                assert store.rollups.visits.responses(days, scope, site_id) == store.visits.responses(
                    since, until, scope, site_id
                )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=12), zone=st.sampled_from(["Asia/Riyadh", "Europe/London"]))
def test_visits_recorded_before_or_after_their_ratings_are_counted_rated_once(
    steps: list[tuple[Any, ...]], zone: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = _store(Path(folder) / "t.db", zone, steps)
        try:
            _assert_sums_equal_every_visit(store, Calendar.from_settings(zone))
            kept = _sums(store.path)
            store.rollups.rebuild()
            assert _sums(store.path) == kept
            store.rollups.rebuild("Asia/Kolkata")
            _assert_sums_equal_every_visit(store, Calendar.from_settings("Asia/Kolkata"))
        finally:
            store.close()


def test_a_visit_rated_before_and_after_it_was_recorded_counts_once(tmp_path: Path) -> None:
    steps = [
        ("ratings", [("dev-a", "V-1", 60)], False),
        ("visit", "site-a", "V-1", "desk", 90),
        ("ratings", [("dev-a", "V-1", 120), ("dev-a", "V-2", 130)], False),
        ("visit", "site-a", "V-2", "call", 10),
        ("visit", "site-a", "V-3", "desk", 10),
        ("ratings", [("dev-b", "V-3", 140)], False),  # another site's rating names V-3: not this one's
    ]
    store = _store(tmp_path / "t.db", "Asia/Riyadh", steps)
    try:
        answer = store.rollups.visits.responses(("2026-03-27", "2026-03-31"))
        assert answer == {"desk": {"recorded": 2, "rated": 1}, "call": {"recorded": 1, "rated": 1}}
        _assert_sums_equal_every_visit(store, Calendar.from_settings())
    finally:
        store.close()


def _sums(path: Path) -> list[Any]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM visit_rollups ORDER BY 1, 2, 3").fetchall()
