"""Monthly rollups of the score counts: a long span read as whole months and the days at its ends.

``month_rollups`` holds the sums of ``rating_rollups`` per local month ('YYYY-MM'),
site, device, employee and channel: a year's period report reads twelve months of
those (about a device x employee x channel row each) instead of every daily cell (a row
per day, hour and desk). The days of the span outside whole months are read from the
daily rollups (``split_span``; ``Rollups.span_cells`` sums both in SQL), so the sums are the same;
a month the span holds most of is read whole, less the days it leaves out (``span_parts``).

They are kept with the daily rollups: added in the batch transaction from the same
cells (``add_month_cells``, called by ``Rollups.add``), and recomputed from them by
``taqyeem rollups rebuild`` (``fill_month_rollups``); the month is the rollups' local day's.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from collector.store.connection import run_statements

MONTH_KEY = ("month", "site_id", "device_id", "employee_id", "channel")
COUNTS = ("n1", "n2", "n3", "n4", "n5", "negatives")
Part = tuple[str, tuple[str, str], int]  # (table, (first, last) day or month, +1 to add or -1 to take away)
_KEYS = ", ".join(MONTH_KEY)
_ADD = (
    f"INSERT INTO month_rollups ({_KEYS}, {', '.join(COUNTS)}) VALUES ({','.join('?' * 11)}) "  # noqa: S608
    f"ON CONFLICT ({_KEYS}) DO UPDATE SET {', '.join(f'{c} = {c} + excluded.{c}' for c in COUNTS)}"
)
_FILL = (
    f"INSERT INTO month_rollups ({_KEYS}, {', '.join(COUNTS)}) "  # noqa: S608
    "SELECT substr(day, 1, 7), site_id, device_id, employee_id, channel, "
    f"{', '.join(f'sum({c})' for c in COUNTS)} FROM rating_rollups "
    "GROUP BY substr(day, 1, 7), site_id, device_id, employee_id, channel"
)


def sum_the_rollups_per_month(db: Database) -> None:
    """The ``month_rollups`` table, filled from the daily rollups (store/month_rollups.py)."""
    run_statements(
        db,
        """CREATE TABLE month_rollups (
        month TEXT NOT NULL,
        site_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        n1 INTEGER NOT NULL,
        n2 INTEGER NOT NULL,
        n3 INTEGER NOT NULL,
        n4 INTEGER NOT NULL,
        n5 INTEGER NOT NULL,
        negatives INTEGER NOT NULL,
        PRIMARY KEY (month, site_id, device_id, employee_id, channel)
    ) WITHOUT ROWID""",
    )
    fill_month_rollups(db)


def fill_month_rollups(db: Database) -> None:
    """Replace every monthly rollup with the sums of the daily ones; the caller holds the transaction."""
    db.conn.execute("DELETE FROM month_rollups")
    db.conn.execute(_FILL)


def add_month_cells(db: Database, cells: dict[tuple[Any, ...], list[int]]) -> None:
    """Add daily cells (``Rollups.add``'s key: day, hour, site, desk, device, employee, channel) to their months."""
    months: dict[tuple[Any, ...], list[int]] = {}
    for (day, _hour, site, _desk, device, employee, channel), counts in cells.items():
        key = (day[:7], site, device, employee, channel)
        summed = months.get(key)
        if summed is None:
            months[key] = list(counts)
        else:
            for index, count in enumerate(counts):
                summed[index] += count
    db.conn.executemany(_ADD, [(*key, *counts) for key, counts in months.items()])


def split_span(first: date, last: date) -> tuple[list[tuple[date, date]], tuple[str, str] | None]:
    """The span's days outside whole months (0 to 2 runs of days) and its whole months ('YYYY-MM', first and last).

    ``(2026-01-15, 2026-04-03)`` -> runs 01-15..01-31 and 04-01..04-03, months 2026-02..2026-03.
    """
    start = first if first.day == 1 else _next_month(first)
    end = last if _next_month(last) == last + timedelta(days=1) else last.replace(day=1) - timedelta(days=1)
    if start > end:
        return [(first, last)], None
    runs = []
    if first < start:
        runs.append((first, start - timedelta(days=1)))
    if end < last:
        runs.append((end + timedelta(days=1), last))
    return runs, (start.isoformat()[:7], end.isoformat()[:7])


def span_parts(first: date, last: date) -> list[Part]:
    """What to sum for [first, last]: (table, (from, to) of its day or month, +1 to add or -1 to take away).

    Whole months come from ``month_rollups``. A month the span holds part of comes as its days
    in the span from ``rating_rollups``, or, when the span holds more of its days than it leaves
    out, as the whole month less the days left out: a year from mid-December reads the 7 days
    left out of its first month, not the 24 in it. ``(2026-01-05, 2026-02-10)`` -> month
    2026-01 less days 01-01..01-04, and days 02-01..02-10.
    """
    runs, months = split_span(first, last)
    parts: list[Part] = [] if months is None else [("month_rollups", months, 1)]
    for run_first, run_last in runs:
        while run_first <= run_last:  # a run crosses at most one month's end
            month_first, month_last = run_first.replace(day=1), _next_month(run_first) - timedelta(days=1)
            piece_last = min(run_last, month_last)
            inside = (piece_last - run_first).days + 1
            if 2 * inside <= month_last.day:
                parts.append(("rating_rollups", (run_first.isoformat(), piece_last.isoformat()), 1))
            else:
                parts.append(("month_rollups", (run_first.isoformat()[:7], run_first.isoformat()[:7]), 1))
                for out_first, out_last in ((month_first, run_first - timedelta(days=1)),
                                            (piece_last + timedelta(days=1), month_last)):  # fmt: skip
                    if out_first <= out_last:
                        parts.append(("rating_rollups", (out_first.isoformat(), out_last.isoformat()), -1))
            run_first = piece_last + timedelta(days=1)
    return parts


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
