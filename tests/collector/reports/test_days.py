"""Which day a rating counts on in reports: the day it was made, unless its device's clock was wrong."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.ingest.subscriber import Incoming, classify
from collector.reports.daily import build_daily, daily_from_ratings
from collector.reports.maths import Calendar
from collector.store import Store
from shared import topics
from shared.clock import format_time
from tests.collector.ingest.test_classify import incoming, rating_dict, rating_msg

NOW = datetime(2026, 11, 28, 9, 15, 3, tzinfo=UTC)  # 12:15 in Riyadh, on the 28th
TODAY = date(2026, 11, 28)
CALENDAR = Calendar.from_settings("Asia/Riyadh")
DEV = "riyadh-hq-d12"


def receive(store: Store, items: list[Incoming], at: datetime) -> None:
    """What the collector's writer does with a batch received at ``at``."""
    classified = classify(items)
    store_batch(
        store,
        Batch(classified.ratings, statuses=classified.statuses, skews=classified.skews, payloads=classified.payloads),
        format_time(at),
    )


def status_msg(clock: datetime, at: datetime) -> Incoming:
    body = {"v": 1, "state": "online", "at": format_time(clock)}
    return incoming(topics.status(DEV), body, at=at)


def counts(store: Store, day: date) -> tuple[int, int]:
    """The day's count as the rollups give it and as every rating gives it (always the same)."""
    direct = daily_from_ratings(store, CALENDAR, None, day, None)["totals"]["count"]
    return build_daily(store, CALENDAR, None, day, None)["totals"]["count"], direct


def counted_at(store: Store) -> list[Any]:
    return [row["counted_at"] for row in store.ratings.window("2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z")]


def test_a_rating_from_a_clock_two_days_ahead_counts_on_the_day_received(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    try:
        receive(store, [rating_msg(rating_dict(created=NOW + timedelta(days=2)))], NOW)
        assert counted_at(store) == [format_time(NOW)]
        assert counts(store, TODAY) == (1, 1)
        assert counts(store, TODAY + timedelta(days=2)) == (0, 0)
    finally:
        store.close()


def test_a_rating_from_a_tablet_whose_clock_was_set_back_counts_on_the_day_received(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    behind = timedelta(days=2)
    try:
        receive(store, [status_msg(NOW - behind, NOW)], NOW)  # its Status says its clock is 2 days behind
        later = NOW + timedelta(seconds=30)
        receive(store, [rating_msg(rating_dict(created=later - behind), at=later)], later)
        assert counted_at(store) == [format_time(later)]
        assert counts(store, TODAY) == (1, 1)
        assert counts(store, TODAY - behind) == (0, 0)
    finally:
        store.close()


def test_a_backlog_after_an_outage_from_a_right_clock_keeps_its_day(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    made = NOW - timedelta(days=2)
    backlog = [rating_msg(rating_dict(seq=n, created=made + timedelta(minutes=n)), mid=n) for n in (1, 2, 3)]
    try:
        # Back online: its Status says its clock is right, then its outbox is resent.
        receive(store, [status_msg(NOW, NOW), *backlog], NOW)
        assert counted_at(store) == [format_time(made + timedelta(minutes=n)) for n in (1, 2, 3)]
        assert counts(store, TODAY - timedelta(days=2)) == (3, 3)
        assert counts(store, TODAY) == (0, 0)
    finally:
        store.close()


def test_a_backlog_from_a_clock_never_measured_keeps_its_day(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    made = NOW - timedelta(days=2)
    try:
        receive(store, [rating_msg(rating_dict(created=made))], NOW)
        assert counted_at(store) == [format_time(made)]
        assert counts(store, TODAY - timedelta(days=2)) == (1, 1)
    finally:
        store.close()
