"""The daily sums of the visitors' reasons (store/reason_rollups.py) equal a count from every rating.

On varied data: ratings stored in batches as the collector stores them (Store.add_batch, the
path of MQTT and HTTP alike), negative and not, with none, one or several reasons, at sites and
at none, with and without an employee, on every channel's device, around local midnight, some
counted on receipt (a wrong clock), in several zones; then after ``taqyeem rollups rebuild``
(also for another zone). The reference count reads every rating and finds its local day and hour
with zoneinfo itself.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collector.ingest.batch import sorted_against_store
from collector.ingest.batch_records import Batch
from collector.store import Store
from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig, Rating

START = datetime(2026, 3, 27, 18, tzinfo=UTC)  # around Europe's change to summer time
DEVICES = ("dev-a", "dev-b", "dev-c", "dev-none")  # dev-none is never placed: no site
NOW = "2026-04-02T00:00:00.000Z"
CODES = ("wait", "rude", "docs", "system")

rating = st.tuples(
    st.sampled_from(DEVICES),
    st.integers(0, 5 * 24 * 60),  # minutes after START
    st.integers(1, 5),  # score: 1 and 2 are negative here
    st.lists(st.sampled_from(CODES), unique=True, max_size=3),
    st.sampled_from([None, "E1", "E2"]),
    st.booleans(),  # counted on receipt
)
batches = st.lists(st.lists(rating, min_size=1, max_size=15), min_size=1, max_size=6)


def _store(path: Path, zone: str, data: list[list[tuple[Any, ...]]]) -> Store:
    store = Store(path)
    store.rollups.rebuild(zone)
    for index, device_id in enumerate(DEVICES[:3]):
        config = DeviceConfig(
            site_id=f"site-{'abc'[index]}", desk_id=f"desk-{index}", desk_name_ar="م", desk_name_en="D"
        )
        store.devices.register(device_id, config, NOW)
    seqs = dict.fromkeys(DEVICES, 0)
    for number, batch in enumerate(data):
        ratings, late, negative = [], [], []
        for device_id, minutes, score, reasons, employee, on_receipt in batch:
            seqs[device_id] += 1
            moment = START + timedelta(minutes=minutes)
            item = Rating(
                id=str(uuid7(int(moment.timestamp() * 1000) + seqs[device_id])),
                seq=seqs[device_id],
                device_id=device_id,
                employee_id=employee,
                score=score,
                reasons=reasons,
                lang="ar",
                created_at=format_time(moment),
            )
            ratings.append(item)
            if on_receipt:
                late.append(item.id)
            if score <= 2:
                negative.append(item.id)
        received = format_time(START + timedelta(hours=17 * number))
        batch = Batch(ratings, negative_ids=set(negative), counted_on_receipt=set(late))
        store.add_batch(sorted_against_store(store, batch), received)
    return store


def _count_of_every_rating(path: Path, zone: str) -> list[tuple[Any, ...]]:
    """The rollup's rows counted from the ratings themselves, one rating at a time."""
    counts: Counter[tuple[Any, ...]] = Counter()
    with sqlite3.connect(path) as conn:
        query = (
            "SELECT counted_at, site_id, desk_id, device_id, employee_id, channel, reasons "
            "FROM ratings WHERE negative = 1"
        )
        for counted_at, site, desk, device, employee, channel, reasons in conn.execute(query):
            moment = datetime.fromisoformat(counted_at.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
            for code in json.loads(reasons):
                key = (moment.date().isoformat(), moment.hour, site or "", desk or "", device, employee or "", channel)
                counts[(*key, code)] += 1
    return sorted((*key, n) for key, n in counts.items())


def _assert_spans_equal_every_rating(store: Store, zone: str) -> None:
    """Spans read as whole months and end days (by_place, by_time) equal a count of every rating."""
    rows = _count_of_every_rating(store.path, zone)
    negatives: Counter[tuple[int, int]] = Counter()
    with sqlite3.connect(store.path) as conn:
        for (counted_at,) in conn.execute("SELECT counted_at FROM ratings WHERE negative = 1"):
            moment = datetime.fromisoformat(counted_at.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
            if date(2026, 3, 28) <= moment.date() <= date(2026, 4, 30):
                negatives[((moment.weekday() + 1) % 7, moment.hour)] += 1
    spans = (
        (date(2026, 3, 1), date(2026, 4, 30)),
        (date(2026, 3, 28), date(2026, 4, 30)),
        (date(2026, 3, 3), date(2026, 3, 30)),
    )  # whole months; days and a month; a month less its days
    for first, last in spans:
        inside = [r for r in rows if first.isoformat() <= r[0] <= last.isoformat()]
        places: Counter[tuple[Any, ...]] = Counter()
        for _day, _hour, _site, _desk, device, employee, channel, code, n in inside:
            places[(device, employee, channel, code)] += n
        got = {(r["device_id"], r["employee_id"], r["channel"], r["code"]): r["n"] for r in
               store.rollups.reasons.by_place(first, last)}  # fmt: skip
        assert got == dict(places)
        reasons, counted = store.rollups.reasons.by_time(first, last)
        times: Counter[tuple[Any, ...]] = Counter()
        for day, hour, *_place, code, n in inside:
            times[((date.fromisoformat(day).weekday() + 1) % 7, hour, code)] += n
        assert {(r["weekday"], r["hour"], r["code"]): r["n"] for r in reasons} == dict(times)
        if first == date(2026, 3, 28):
            assert {(r["weekday"], r["hour"]): r["negatives"] for r in counted} == dict(negatives)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=batches, zone=st.sampled_from(["Asia/Riyadh", "Asia/Kolkata", "Europe/London"]))
def test_the_reason_sums_kept_batch_by_batch_equal_a_count_of_every_rating(data: list[list[Any]], zone: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = _store(Path(folder) / "t.db", zone, data)
        try:
            assert store.rollups.reasons.all() == _count_of_every_rating(store.path, zone)
            _assert_spans_equal_every_rating(store, zone)
            kept, months = store.rollups.reasons.all(), store.rollups.reasons.months()
            store.rollups.rebuild()
            assert store.rollups.reasons.all() == kept
            assert store.rollups.reasons.months() == months  # kept batch by batch = rebuilt from the daily sums
            other = "Asia/Kolkata" if zone != "Asia/Kolkata" else "Europe/London"
            store.rollups.rebuild(other)
            assert store.rollups.reasons.all() == _count_of_every_rating(store.path, other)
        finally:
            store.close()


def test_a_read_sums_the_reasons_per_facet_for_the_sites_asked(tmp_path: Path) -> None:
    data = [[("dev-a", 60, 1, ["wait", "rude"], "E1", False), ("dev-a", 61, 2, ["wait"], None, False),
             ("dev-b", 62, 1, ["wait"], "E2", False), ("dev-a", 63, 5, ["wait"], "E1", False)]]  # fmt: skip
    store = _store(tmp_path / "t.db", "Asia/Riyadh", data)
    try:
        days = ("2026-03-27", "2026-03-28")
        assert store.rollups.reasons.counts(days, ("code",)) == [{"code": "rude", "n": 1}, {"code": "wait", "n": 3}]
        assert store.rollups.reasons.counts(days, ("code",), site_id="site-a") == [
            {"code": "rude", "n": 1},
            {"code": "wait", "n": 2},
        ]
        by_employee = store.rollups.reasons.counts(days, ("employee_id", "code"), sites=["site-a", "site-b"])
        assert by_employee == [
            {"employee_id": "", "code": "wait", "n": 1},
            {"employee_id": "E1", "code": "rude", "n": 1},
            {"employee_id": "E1", "code": "wait", "n": 1},
            {"employee_id": "E2", "code": "wait", "n": 1},
        ]
        assert store.rollups.reasons.counts(days, ("code",), sites=[]) == []
    finally:
        store.close()
