"""The reviewers' figures (pure): per owner and site, owned, closed on time, median time to close, overdue now."""

from __future__ import annotations

from typing import Any

from collector.reports.reviewers import reviewer_table


def review(
    owner: str | None, status: str, opened: str, closed: str | None, due: str | None = "2026-12-08T13:00:00.000Z"
) -> dict[str, Any]:
    return {"owner": owner, "site_id": "s1", "status": status, "opened_at": opened, "closed_at": closed, "due_at": due}


def test_each_owner_is_counted_with_on_time_closings_and_the_median_hours() -> None:
    owned = [
        review("sara", "closed", "2026-12-08T07:00:00.000Z", "2026-12-08T08:00:00.000Z"),  # 1 h, on time
        review("sara", "closed", "2026-12-08T07:00:00.000Z", "2026-12-08T10:00:00.000Z"),  # 3 h, on time
        review("sara", "closed", "2026-12-08T07:00:00.000Z", "2026-12-09T07:00:00.000Z"),  # 24 h, late
        review("sara", "open", "2026-12-08T07:00:00.000Z", None),
        review(None, "open", "2026-12-08T07:00:00.000Z", None, None),
    ]
    table = reviewer_table(
        owned, [{"owner": "sara", "site_id": "s1", "n": 1}, {"owner": "omar", "site_id": "s1", "n": 2}]
    )
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
