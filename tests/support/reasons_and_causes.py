"""Two 28-day spans of negatives with known reasons, and reviews closed with known causes and actions.

The causes report's tests read these (tests/collector/api/test_causes_api.py, the Why page's
browser test). The span is 2025-03-01..28, the span before 2025-02-01..28, both local days at
site-a (two desks: men-hall and women-hall) and a few at site-b:

- before: 100 negatives at site-a, 10 naming ``rude``, 50 ``waiting_time``; 100 positives;
- the span: 100 negatives by E1 (60) and E2 (40), 40 naming ``rude`` (a significant rise from
  10%), 50 ``waiting_time`` (no change), 3 ``documents`` (too few to test); 4 negatives by E3 naming
  nothing, and 6 positives (E3: too few to show); 200 positives; every tenth negative by a call;
  site-b: 5 negatives naming ``rude``;
- reviews closed on 2025-03-10: coaching of E1 (staff_conduct), coaching of E3 (too few ratings),
  a process fix of a negative naming ``rude`` (procedure_policy, not attributable), and two more
  ``waiting_time`` causes closed with no action.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.reviews.rules import closure_from
from collector.store import Store
from shared.clock import format_time, uuid7
from shared.contract import Rating
from tests.support.two_sites_today import CALENDAR, desk_config

NOW = "2026-11-28T12:00:00.000Z"
SPAN = (date(2025, 3, 1), date(2025, 3, 28))
BEFORE = (date(2025, 2, 1), date(2025, 2, 28))
CLOSED_AT = format_time(datetime(2025, 3, 10, 10, 0, tzinfo=CALENDAR.zone))


class _Batch:
    def __init__(self) -> None:
        self.ratings: list[Rating] = []
        self.seqs: dict[str, int] = {}
        self.millis = 0

    def add(self, device: str, first: date, i: int, score: int, employee: str, reasons: list[str], **extra: Any) -> str:
        at = datetime.combine(first + timedelta(days=i % 28), datetime.min.time(), CALENDAR.zone)
        at += timedelta(hours=9 + i % 5, minutes=i % 60)
        self.seqs[device] = self.seqs.get(device, 0) + 1
        self.millis += 1
        rating = Rating(id=str(uuid7(int(at.timestamp() * 1000) + self.millis)), seq=self.seqs[device],
                        device_id=device, employee_id=employee, score=score, reasons=reasons,
                        created_at=format_time(at), **extra)  # fmt: skip
        self.ratings.append(rating)
        return rating.id


def seed_reasons_and_causes(store: Store) -> dict[str, str]:
    """The ratings and closed reviews above; returns the rating ids the reviews were closed on, by name."""
    store.devices.register("dev-a1", desk_config("site-a", "desk-01", "men-hall"), NOW)
    store.devices.register("dev-a2", desk_config("site-a", "desk-02", "women-hall"), NOW)
    store.devices.register("dev-b1", desk_config("site-b", "desk-09", "business"), NOW)
    batch = _Batch()
    for i in range(100):
        desk, employee = ("dev-a1" if i % 2 else "dev-a2"), ("E1" if i < 60 else "E2")
        before = (["rude"] if i < 10 else []) + (["waiting_time"] if i % 2 == 0 else [])
        batch.add(desk, BEFORE[0], i, 1, employee, before)
        batch.add(desk, BEFORE[0], i, 5, employee, [])
        now = (["rude"] if i < 40 else []) + (["waiting_time"] if i % 2 == 0 else [])
        now += ["documents"] if i in (41, 43, 45) else []
        channel = "call" if i % 10 == 9 else "desk"
        batch.add(desk, SPAN[0], i, 1, employee, now, channel=channel)
        batch.add(desk, SPAN[0], i, 5, employee, [])
        batch.add(desk, SPAN[0], i + 50, 5, employee, [])
    e3 = [batch.add("dev-a2", SPAN[0], i, 2 if i < 4 else 4, "E3", []) for i in range(10)]
    for i in range(5):
        batch.add("dev-b1", SPAN[0], i, 1, "B7", ["rude"])
    store_batch(store, Batch(batch.ratings), NOW)
    by_id = {r.id: r for r in batch.ratings}
    e1_rude = next(r.id for r in batch.ratings if r.employee_id == "E1" and r.reasons == ["rude"]
                   and r.created_at >= "2025-03")  # fmt: skip
    e1_other = next(r.id for r in batch.ratings if r.employee_id == "E1" and r.score == 1 and not r.reasons
                    and r.created_at >= "2025-03")  # fmt: skip
    waits = [r.id for r in batch.ratings if r.reasons == ["waiting_time"] and r.created_at >= "2025-03"][:2]
    closed = {"coaching_e1": e1_other, "coaching_e3": e3[0], "fix_rude": e1_rude}
    _close(store, e1_other, "staff_conduct", "coaching")
    _close(store, e3[0], "staff_conduct", "coaching")
    _close(store, e1_rude, "procedure_policy", "process_fix")
    for rating_id in waits:
        _close(store, rating_id, "waiting_time", "no_action")
    assert all(by_id[i].score <= 2 for i in closed.values())
    return closed


def _close(store: Store, rating_id: str, cause: str, action: str) -> None:
    closure = closure_from(cause, action, "seen and done").as_dict()
    assert store.reviews.close(rating_id, "sup-a", closure, CLOSED_AT)
