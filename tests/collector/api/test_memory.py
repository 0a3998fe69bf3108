"""Bounded memory: parallel maximum pages of GET /api/v1/ratings against a real collector process.

The collector runs as `python -m collector collector` on a database of a little
over 100,000 ratings, all of one day; eight viewers ask for the largest page
(100,000 ratings), or for that day's report as CSV, at once. Its peak resident
memory (VmHWM in /proc/PID/status, reset first) may rise by less than 150 MB: a
page is written as it is read, never held whole, and reports are built one at a time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from collector.ingest.batch import sorted_against_store
from collector.ingest.batch_records import Batch
from collector.store import Store
from collector.store.ratings import RATING_COLUMNS
from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig, Rating
from tests.conftest import RunningBroker
from tests.support.collector_process import CollectorProcess
from tests.support.process_memory import peak_and_now_mb, reset_peak

RATINGS = 100_500  # more than one maximum page, so each page also hands out a cursor
MAX_PAGE = 100_000
PARALLEL = 8
BUDGET_MB = 150
T0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


def fill(store: Store, count: int) -> None:
    """``count`` ratings from two desks, stored through the store in large batches (a few seconds)."""
    now = format_time(T0)
    for device_id, desk_id in (("mem-1", "desk-01"), ("mem-2", "desk-02")):
        config = DeviceConfig(site_id="site-a", desk_id=desk_id, desk_name_ar="مكتب", desk_name_en="Desk")
        store.devices.register(device_id, config, now)
    employee = {"employee_id": "E1", "name_ar": "نورة", "name_en": "Noura", "site_id": "site-a", "section_id": None}
    store.employees.save([{**employee, "active": True}], "test", now)  # E1 named, the other 39 unknown
    for start in range(0, count, 20_000):
        batch = []
        for n in range(start, min(count, start + 20_000)):
            moment = T0 + timedelta(seconds=n / 2)  # 14 hours: all in one day
            batch.append(
                Rating.model_construct(
                    v=1,
                    id=str(uuid7(int(moment.timestamp() * 1000))),
                    seq=n // 2 + 1,
                    device_id=f"mem-{n % 2 + 1}",
                    employee_id=f"E{n % 40}",
                    score=1 + n % 5,
                    reasons=["waiting_time"] if n % 5 == 0 else [],
                    visit_id=None,
                    lang="ar",
                    created_at=format_time(moment),
                )
            )
        negatives = {r.id for r in batch if r.score <= 2}
        # ingest's path: the daily rollups too
        store.add_batch(sorted_against_store(store, Batch(batch, negative_ids=negatives)), now)


@pytest.fixture(scope="module")
def collector(tmp_path_factory: pytest.TempPathFactory, broker: RunningBroker) -> Iterator[tuple[str, str, int]]:
    """(base URL, a viewer's token, pid) of a collector process on a database of RATINGS ratings."""
    db = tmp_path_factory.mktemp("memory") / "taqyeem.db"
    store = Store(db)
    try:
        fill(store, RATINGS)
        token = store.accounts.create_token("viewer", "viewer", ["*"], format_time(T0))
    finally:
        store.close()
    process = CollectorProcess(broker, db, "memory", db.parent / "collector.log", "--log-level", "WARNING")
    try:
        process.wait_healthy()
        yield process.url, token, process.pid
    finally:
        process.stop()


def read_page(base: str, token: str) -> tuple[int, bytes]:
    """Reads a maximum page as it arrives; (its size in bytes, its last 200 bytes)."""
    size, tail = 0, b""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.stream("GET", base + "/api/v1/ratings", params={"limit": MAX_PAGE}, headers=headers, timeout=120) as r:
        assert r.status_code == 200, r.read()
        for chunk in r.iter_bytes():
            size += len(chunk)
            tail = (tail + chunk)[-200:]
    return size, tail


def test_eight_parallel_maximum_pages_raise_peak_memory_by_less_than_150_mb(collector: tuple[str, str, int]) -> None:
    base, token, pid = collector
    headers = {"Authorization": f"Bearer {token}"}
    first = httpx.get(base + "/api/v1/ratings", params={"limit": 5}, headers=headers, timeout=10)
    assert first.status_code == 200 and len(first.json()["ratings"]) == 5
    peak_before = reset_peak(pid)
    started = time.monotonic()
    with ThreadPoolExecutor(PARALLEL) as pool:
        pages = list(pool.map(lambda _: read_page(base, token), range(PARALLEL)))
    took = time.monotonic() - started
    peak_after, held_after = peak_and_now_mb(pid)
    assert len({size for size, _ in pages}) == 1  # every page the same, whole
    assert b'"next_cursor":"' in pages[0][1]
    raised = peak_after - peak_before
    assert raised < BUDGET_MB, f"peak RSS rose {raised:.0f} MB (from {peak_before:.0f}), {held_after:.0f} MB held"
    print(  # the figures, for `pytest -s`
        f"\n{PARALLEL} pages of {MAX_PAGE} ({pages[0][0] / 1e6:.0f} MB each) in {took:.1f} s: "
        f"peak RSS {peak_before:.0f} -> {peak_after:.0f} MB, {held_after:.0f} MB held after"
    )


def test_a_maximum_page_is_the_same_json_as_before(collector: tuple[str, str, int]) -> None:
    """The keys, their order and every row: the whole page parses, newest first, with a cursor that continues it."""
    base, token, _ = collector
    headers = {"Authorization": f"Bearer {token}"}
    body = httpx.get(base + "/api/v1/ratings", params={"limit": MAX_PAGE}, headers=headers, timeout=120).json()
    assert list(body) == ["ratings", "next_cursor"]
    rows = body["ratings"]
    assert len(rows) == MAX_PAGE
    assert tuple(rows[0]) == (*RATING_COLUMNS, "employee_name_ar", "employee_name_en")
    named = {(r["employee_id"], r["employee_name_ar"], r["employee_name_en"]) for r in rows}
    assert ("E1", "نورة", "Noura") in named and ("E2", None, None) in named and len(named) == 40
    keys = [(r["created_at"], r["id"]) for r in rows]
    assert keys == sorted(keys, reverse=True)
    rest = httpx.get(
        base + "/api/v1/ratings", params={"limit": MAX_PAGE, "cursor": body["next_cursor"]}, headers=headers
    ).json()
    assert len(rest["ratings"]) == RATINGS - MAX_PAGE and rest["next_cursor"] is None
    assert json.dumps(rest)  # plain JSON values only


def test_eight_parallel_csv_reports_of_a_busy_day_raise_peak_memory_by_less_than_150_mb(
    collector: tuple[str, str, int],
) -> None:
    base, token, pid = collector
    headers = {"Authorization": f"Bearer {token}"}
    params = {"date": T0.date().isoformat(), "table": "by_site"}
    peak_before = reset_peak(pid)
    started = time.monotonic()

    def export(_: int) -> str:
        response = httpx.get(base + "/api/v1/reports/daily.csv", params=params, headers=headers, timeout=120)
        assert response.status_code == 200, response.text
        return response.text

    with ThreadPoolExecutor(PARALLEL) as pool:
        reports = list(pool.map(export, range(PARALLEL)))
    took = time.monotonic() - started
    peak_after, held_after = peak_and_now_mb(pid)
    assert len(set(reports)) == 1 and str(RATINGS) in reports[0]  # the day's count is in the site's row
    raised = peak_after - peak_before
    assert raised < BUDGET_MB, f"peak RSS rose {raised:.0f} MB (from {peak_before:.0f}), {held_after:.0f} MB held"
    print(f"\n{PARALLEL} CSV reports of a day of {RATINGS} ratings in {took:.1f} s: peak RSS +{raised:.0f} MB")
