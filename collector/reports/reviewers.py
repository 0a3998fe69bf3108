"""The reviewers held to account: per owner and site, reviews owned, closed on time, median time to close, overdue now.

Reviews are few (about one per negative rating), so the figures are summed in SQL from the
reviews opened in the span (their ``opened_at`` index), not from kept sums; the open reviews
past their due time are read through the partial index of open reviews. Measured in
docs/performance.md ("The reviewers' figures"). The maths is pure
(:func:`reviewer_table`); :func:`reviewer_figures` only gathers its inputs.
"""

from __future__ import annotations

from typing import Any

from collector.store import Store

KEYS = ("owner", "site_id", "owned", "closed", "closed_on_time", "on_time_share", "median_close_h", "overdue_now")


def reviewer_table(owned: list[dict[str, Any]], overdue: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (owner, site), sorted by site then owner (reviews nobody owned last).

    ``owned``: the span's reviews summed per owner and site (owner, site_id, owned, closed,
    closed_on_time, median_close_h: store/review_owners.py:ReviewOwners.owned_in); ``overdue``: the
    open reviews past due now, counted (owner, site_id, n). ``owner`` None: reviews nobody owned.
    """
    sums = {(row["owner"], row["site_id"]): row for row in owned}
    late = {(row["owner"], row["site_id"]): int(row["n"]) for row in overdue}
    table = []
    for key in sorted(set(sums) | set(late), key=lambda k: (k[1] or "", (k[0] or "\uffff").lower())):
        row = sums.get(key, {})
        closed, on_time, median = (
            int(row.get("closed") or 0),
            int(row.get("closed_on_time") or 0),
            row.get("median_close_h"),
        )
        table.append(
            {
                "owner": key[0],
                "site_id": key[1],
                "owned": int(row.get("owned") or 0),
                "closed": closed,
                "closed_on_time": on_time,
                "on_time_share": round(on_time / closed, 4) if closed else None,
                "median_close_h": round(median, 2) if median is not None else None,
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
