"""The reviewers' figures: the pure table, and the sums the store makes of real reviews in SQLite."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from collector.reports.reviewers import reviewer_figures, reviewer_table
from collector.store import Store
from shared.clock import format_time, parse_time

DUE = "2026-12-08T13:00:00.000Z"


def test_the_table_adds_the_on_time_share_and_the_overdue_and_orders_by_site_then_owner() -> None:
    owned = [
        {"owner": "sara", "site_id": "s1", "owned": 4, "closed": 3, "closed_on_time": 2, "median_close_h": 3.0},
        {"owner": None, "site_id": "s1", "owned": 1, "closed": 0, "closed_on_time": 0, "median_close_h": None},
    ]
    overdue = [{"owner": "sara", "site_id": "s1", "n": 1}, {"owner": "omar", "site_id": "s1", "n": 2}]
    table = reviewer_table(owned, overdue)
    by_owner = {row["owner"]: row for row in table}
    assert by_owner["sara"] == {
        "owner": "sara", "site_id": "s1", "owned": 4, "closed": 3, "closed_on_time": 2,
        "on_time_share": 0.6667, "median_close_h": 3.0, "overdue_now": 1,
    }  # fmt: skip
    assert by_owner["omar"]["owned"] == 0 and by_owner["omar"]["overdue_now"] == 2  # late from an earlier span
    assert by_owner[None]["median_close_h"] is None and by_owner[None]["on_time_share"] is None
    assert [row["owner"] for row in table] == ["omar", "sara", None]  # by site, then owner; nobody's last


def test_no_reviews_make_an_empty_table() -> None:
    assert reviewer_table([], []) == []


def _review(store: Store, n: int, owner: str | None, site: str, closed_after_h: float | None) -> None:
    rating_id = f"00000000-0000-7000-8000-{n:012d}"
    opened = "2026-12-08T07:00:00.000Z"
    closed = None if closed_after_h is None else format_time(parse_time(opened) + timedelta(hours=closed_after_h))
    with store.transaction() as db:
        db.execute(
            "INSERT INTO ratings (id, device_id, seq, score, created_at, received_at, counted_at, site_id, negative) "
            "VALUES (?, 'dev', ?, 1, ?, ?, ?, ?, 1)",
            [rating_id, n, opened, opened, opened, site],
        )
        db.execute(
            "INSERT INTO reviews (rating_id, status, opened_at, closed_at, owner, due_at, site_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [rating_id, "open" if closed is None else "closed", opened, closed, owner, DUE, site],
        )


def test_the_store_sums_each_owners_reviews_with_the_median_hours_to_close(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    try:
        for n, (owner, site, hours) in enumerate(
            [
                ("sara", "s1", 1),
                ("sara", "s1", 3),
                ("sara", "s1", 24),
                ("sara", "s1", None),
                ("sara", "s2", 2),
                ("omar", "s1", 1),
                ("omar", "s1", 4),
                (None, "s1", None),
            ]
        ):
            _review(store, n, owner, site, hours)
        table = reviewer_figures(store, "2026-12-08T00:00:00.000Z", "2026-12-09T00:00:00.000Z", "2026-12-10T00:00:00Z")
        rows = {(r["owner"], r["site_id"]): r for r in table}
        assert rows[("sara", "s1")] | {} == {
            "owner": "sara", "site_id": "s1", "owned": 4, "closed": 3, "closed_on_time": 2,
            "on_time_share": 0.6667, "median_close_h": 3.0, "overdue_now": 1,
        }  # fmt: skip
        assert rows[("omar", "s1")]["median_close_h"] == 2.5  # the mean of the middle two of an even count
        assert rows[("sara", "s2")]["owned"] == 1 and rows[(None, "s1")]["overdue_now"] == 1
        only_s2 = reviewer_figures(
            store, "2026-12-08T00:00:00Z", "2026-12-09T00:00:00Z", "2026-12-10T00:00:00Z", ["s2"]
        )
        assert [(r["owner"], r["site_id"]) for r in only_s2] == [("sara", "s2")]
    finally:
        store.close()
