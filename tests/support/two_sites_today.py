"""Two sites, three desks, today's ratings and one user per role: the supervisors' side tests' seeded day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.people.auth import Accounts
from collector.reports.maths import Calendar
from collector.store import Store
from shared.clock import format_time, parse_time, uuid7
from shared.contract import DeviceConfig, Rating

PASSWORDS = {
    "admin": "admin-password-1",
    "sup-a": "sup-a-password-1",
    "sup-b": "sup-b-password-1",
    "viewer-a": "viewer-a-password-1",
}
CALENDAR = Calendar.from_settings()


def today_start() -> datetime:
    since, _ = CALENDAR.day_bounds(CALENDAR.today())
    return parse_time(since)


def make_rating(
    device_id: str, seq: int, score: int, at: datetime, employee_id: str | None = "E1", **extra: Any
) -> Rating:
    return Rating(
        id=str(uuid7(int(at.timestamp() * 1000))),
        seq=seq,
        device_id=device_id,
        employee_id=employee_id,
        score=score,
        reasons=["waiting_time"] if score <= 2 else [],
        created_at=format_time(at),
        **extra,
    )


def desk_config(site_id: str, desk_id: str, section: str | None = None) -> DeviceConfig:
    return DeviceConfig(
        site_id=site_id,
        desk_id=desk_id,
        section=section,
        desk_name_ar=f"مكتب {desk_id[-2:]}",
        desk_name_en=f"Desk {desk_id[-2:]}",
    )


def seed(store: Store) -> dict[str, Any]:
    """Two sites, three desks, today's ratings, and one user per role."""
    now = format_time(datetime.now(UTC))
    store.devices.register("dev-a1", desk_config("site-a", "desk-01", "men-hall"), now)
    store.devices.register("dev-a2", desk_config("site-a", "desk-02", "women-hall"), now)
    store.devices.register("dev-b1", desk_config("site-b", "desk-09", "business"), now)
    start = today_start() + timedelta(hours=9)
    scores_a1 = [5, 5, 4, 1, 5, 2, 5, 3, 5, 4]
    scores_a2 = [5, 4, 2, 5]
    scores_b1 = [1, 5, 5]
    batch = [
        make_rating("dev-a1", i + 1, s, start + timedelta(minutes=7 * i), f"E{1 + i % 2}")
        for i, s in enumerate(scores_a1)
    ]
    batch += [
        make_rating("dev-a2", i + 1, s, start + timedelta(minutes=11 * i + 1), "E3") for i, s in enumerate(scores_a2)
    ]
    batch += [
        make_rating("dev-b1", i + 1, s, start + timedelta(minutes=13 * i + 2), "B7") for i, s in enumerate(scores_b1)
    ]
    # Received after the last was made, also early in the day: from a right clock they count when made.
    store_batch(store, Batch(batch), max(now, format_time(start + timedelta(minutes=64))))
    accounts = Accounts(store)
    accounts.add_user("admin", "admin", [], PASSWORDS["admin"])
    accounts.add_user("sup-a", "supervisor", ["site-a"], PASSWORDS["sup-a"])
    accounts.add_user("sup-b", "supervisor", ["site-b"], PASSWORDS["sup-b"], lang="en")
    accounts.add_user("viewer-a", "viewer", ["site-a"], PASSWORDS["viewer-a"])
    return {"a1": scores_a1, "a2": scores_a2, "b1": scores_b1, "ratings": batch}
