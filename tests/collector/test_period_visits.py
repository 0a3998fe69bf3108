"""The period report's visits, calls and response rate from the visits recorded (POST /api/v1/visits)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from collector.daily import build_period
from collector.ingest import store_batch
from collector.period import recorded_figures, span_of
from collector.store import Store
from shared.clock import format_time
from tests.collector.websupport import CALENDAR, desk_config, make_rating

NOW = "2026-11-28T12:00:00.000Z"
DAY = date(2025, 3, 10)


def _record(store: Store, site_id: str, visit_id: str, channel: str, at: datetime) -> None:
    row = {"site_id": site_id, "visit_id": visit_id, "channel": channel, "recorded_at": format_time(at)}
    store.visits.record({**row, "desk_id": None, "employee_id": None, "token_name": "queue"})


def test_visits_calls_and_the_response_rate_of_known_numbers(tmp_path: Path) -> None:
    store = Store(tmp_path / "taqyeem.db")
    try:
        store.devices.register("dev-a1", desk_config("site-a", "desk-01"), NOW)
        nine = datetime.combine(DAY, datetime.min.time(), CALENDAR.zone) + timedelta(hours=9)
        store_batch(store, [make_rating("dev-a1", i + 1, 4, nine + timedelta(minutes=i)) for i in range(30)], [], NOW)
        for i in range(60):
            _record(store, "site-a", f"D-{i}", "desk", nine + timedelta(minutes=i))
        for i in range(40):
            _record(store, "site-a", f"C-{i}", "call", nine + timedelta(minutes=i))
        _record(store, "site-a", "D-0", "call", nine)  # a repeat of a visit id: still one visit
        _record(store, "site-b", "D-0", "desk", nine)  # another site's
        _record(store, "site-a", "late", "desk", nine + timedelta(days=1))  # the next day: outside the span
        report = build_period(store, CALENDAR, None, span_of(DAY, DAY, None, None), "site-a")
        assert (report["count"], report["visits"], report["calls"], report["response_rate"]) == (30, 60, 40, 0.3)
        everywhere = build_period(store, CALENDAR, None, span_of(DAY, DAY, None, None), None)
        assert (everywhere["visits"], everywhere["calls"]) == (61, 40)
        scoped = build_period(store, CALENDAR, ["site-b"], span_of(DAY, DAY, None, None), None)
        assert (scoped["count"], scoped["visits"], scoped["calls"], scoped["response_rate"]) == (0, 1, 0, 0.0)
    finally:
        store.close()


def test_no_visit_recorded_gives_no_response_rate() -> None:
    assert recorded_figures(12, {"desk": 0, "call": 0}) == {"visits": 0, "calls": 0, "response_rate": None}
    assert recorded_figures(12, None) == {"visits": None, "calls": None, "response_rate": None}
