"""The reviewers held to account: per owner and site, reviews owned, closed on time, median time to close, overdue now.

Reviews are few (about one per negative rating), so the figures are read from the reviews
opened in the span (their ``opened_at`` index), not from kept sums; the open reviews past
their due time are read through the partial index of open reviews. The maths is pure
(:func:`reviewer_table`); :func:`reviewer_figures` only gathers its inputs.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from typing import Any

from collector.store import Store
from shared.clock import parse_time

KEYS = ("owner", "site_id", "owned", "closed", "closed_on_time", "on_time_share", "median_close_h", "overdue_now")


def _hours(opened_at: str, closed_at: str) -> float:
    return (parse_time(closed_at) - parse_time(opened_at)).total_seconds() / 3600


def reviewer_table(owned: list[dict[str, Any]], overdue: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (owner, site): ``owned`` are the span's reviews (owner, site_id, status, opened_at,
    closed_at, due_at); ``overdue`` the open reviews past due now, counted (owner, site_id, n).
    ``owner`` None: reviews nobody owned (a site without a rota). ``median_close_h``: of those closed.
    """
    groups: dict[tuple[str | None, str | None], list[dict[str, Any]]] = defaultdict(list)
    for review in owned:
        groups[(review["owner"], review["site_id"])].append(review)
    late = {(row["owner"], row["site_id"]): int(row["n"]) for row in overdue}
    table = []
    for key in sorted(set(groups) | set(late), key=lambda k: (k[1] or "", (k[0] or "\uffff").lower())):
        reviews = groups.get(key, [])
        closed = [r for r in reviews if r["status"] == "closed" and r["closed_at"]]
        on_time = [r for r in closed if r["due_at"] and r["closed_at"] <= r["due_at"]]
        durations = [_hours(r["opened_at"], r["closed_at"]) for r in closed]
        table.append(
            {
                "owner": key[0],
                "site_id": key[1],
                "owned": len(reviews),
                "closed": len(closed),
                "closed_on_time": len(on_time),
                "on_time_share": round(len(on_time) / len(closed), 4) if closed else None,
                "median_close_h": round(median(durations), 2) if durations else None,
                "overdue_now": late.get(key, 0),
            }
        )
    return table


def reviewer_figures(
    store: Store, since: str, until: str, now: str, sites: list[str] | None = None, site_id: str | None = None
) -> list[dict[str, Any]]:
    """The reviewers' side of a report over [since, until): :func:`reviewer_table` from the store."""
    owned = store.review_owners.owned_in(since, until, sites=sites, site_id=site_id)
    overdue = store.review_owners.overdue_by_owner(now, sites=sites, site_id=site_id)
    return reviewer_table(owned, overdue)
