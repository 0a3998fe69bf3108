"""What a signed-in employee sees of themselves: their figures, their recent ratings, their reviews.

The figures are the supervisors' Employees table (collector.reports.daily.employees: n, mean
and its 95% interval over the last 30 local days), the employee's own row of it, so
the two never disagree. Ratings and reviews are found by the staff number alone, at
whichever site the employee served (protocol: a staff number is unique across the
ministry). Nothing here takes a staff number from the request: the caller passes the
signed-in account's own.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from collector.reports.daily import employees
from collector.reports.maths import Calendar
from collector.reviews.hearing import appeal_deadline, appeal_refusal
from collector.store import Store

DAYS = 30
RECENT = 20
MAX_REVIEWS = 200


def own_figures(store: Store, calendar: Calendar, employee_id: str, days: int = DAYS) -> dict[str, Any]:
    """The employee's row of the Employees table over the ``days`` local days ending today (zeros if none)."""
    table = employees(store, calendar, None, calendar.today(), None, days)
    for entry in table["ranked"] + table["too_few"]:
        if entry["employee_id"] == employee_id:
            return entry
    return {
        "employee_id": employee_id,
        "count": 0,
        "mean": None,
        "low": None,
        "high": None,
        "share_negative": None,
        "negatives": 0,
        "trend": [None] * days,
    }


def excluded_causes(value: Any) -> tuple[int, list[tuple[str, int]]]:
    """How many ratings are not held against the employee, and by which review cause, most first.

    ``value`` is the figures' ``excluded`` as the reports give it: a count, a mapping of cause to
    count, or a list of ratings (or reviews) each with its ``cause``. None or nothing: ``(0, [])``.
    """
    if not value:
        return 0, []
    if isinstance(value, bool):
        return 0, []
    if isinstance(value, int):
        return value, []
    if isinstance(value, dict):
        counts = Counter({str(cause): int(n) for cause, n in value.items() if isinstance(n, int)})
    else:
        counts = Counter(str(item.get("cause") or "other") for item in value if isinstance(item, dict))
    return sum(counts.values()), sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def own_ratings(store: Store, calendar: Calendar, employee_id: str, limit: int = RECENT) -> list[dict[str, Any]]:
    """The employee's latest ratings of the last ``DAYS`` local days, newest first."""
    since, _ = calendar.day_bounds(calendar.today() - timedelta(days=DAYS - 1))
    rows, _ = store.ratings.page(employee_id=employee_id, since=since, limit=limit)
    return rows


def own_reviews(store: Store, employee_id: str, now: str) -> list[dict[str, Any]]:
    """The reviews of the employee's negative ratings, newest first.

    Each with whether they have responded, and ``appeal_until``: the last moment they may
    appeal it (collector.reviews.hearing), or None when they may not (open, not held
    against them, appealed already, or too late).
    """
    items = store.reviews.all(employee_id=employee_id)[:MAX_REVIEWS]
    for item in items:
        review = item["review"]
        item["responded"] = review.get("response") is not None
        item["appeal_until"] = appeal_deadline(review["closed_at"]) if appeal_refusal(review, now) is None else None
    return items
