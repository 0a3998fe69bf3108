"""Daily sums of the ratings not attributable to their employee (the period report's employees' figures).

``excluded_rollups`` holds, per local day of the rating's ``counted_at``, site, employee,
score, negative and cause, how many ratings had their review closed as not attributable to
the employee: what ``Reviews.not_attributable_counts`` groups from a join of every such
review to its rating. A review closes once (open -> closed, never reopened), so each is
counted when it closes (``note_closed_review``, from ``Reviews.close`` in its transaction);
``taqyeem rollups rebuild`` recomputes them (``fill_excluded_sums``) for the rollups' zone.
Site and employee are '' for none (read back as None).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from collector.store.connection import Connection, run_statements
from collector.store.local_days import local_day_hour, quarter_sql
from collector.store.visit_rollups import stored_zone

_ADD = (
    "INSERT INTO excluded_rollups (day, site_id, employee_id, score, negative, cause, n) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (day, site_id, employee_id, score, negative, cause) DO UPDATE SET n = n + excluded.n"
)


def sum_the_ratings_not_attributable_per_day(db: Database) -> None:
    """The ``excluded_rollups`` table, filled from the reviews closed as not attributable, for the rollups' zone."""
    run_statements(
        db,
        """CREATE TABLE excluded_rollups (
        day TEXT NOT NULL,
        site_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        score INTEGER NOT NULL,
        negative INTEGER NOT NULL,
        cause TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, employee_id, score, negative, cause)
    ) WITHOUT ROWID""",
    )
    fill_excluded_sums(db, stored_zone(db))


def fill_excluded_sums(db: Database, zone: str) -> None:
    """Replace every row with counts from the reviews and ratings for ``zone``; the caller holds the transaction."""
    db.conn.execute("DELETE FROM excluded_rollups")
    grouped = db.conn.execute(
        f"SELECT {quarter_sql('r.counted_at')}, coalesce(r.site_id, ''), coalesce(r.employee_id, ''), r.score, "  # noqa: S608
        "r.negative, v.cause, count(*) FROM reviews v CROSS JOIN ratings r ON r.id = v.rating_id "
        "WHERE v.attributable = 0 GROUP BY 1, 2, 3, 4, 5, 6"
    )
    sums: dict[tuple[Any, ...], int] = {}
    for quarter, *key, n in grouped:
        cell = (local_day_hour(zone, quarter)[0], *key)
        sums[cell] = sums.get(cell, 0) + n
    db.conn.executemany(_ADD, [(*key, n) for key, n in sums.items()])


def note_closed_review(db: Database, rating_id: str, closure: dict[str, Any]) -> None:
    """Count a review just closed (in this transaction) if it was closed as not attributable."""
    if closure["attributable"]:
        return
    row = db.execute(
        "SELECT counted_at, coalesce(site_id, ''), coalesce(employee_id, ''), score, negative "
        "FROM ratings WHERE id = ?",
        [rating_id],
    ).fetchone()
    if row is None:
        return
    day = local_day_hour(stored_zone(db), row[0][:16])[0]
    db.conn.execute(_ADD, [day, *row[1:], closure["cause"], 1])


class ExcludedSums:
    """Reads of ``excluded_rollups`` over local days in [first, last]."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def counts(
        self, days: tuple[str, str], sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """{employee_id, score, negative, cause, n} rows, as ``Reviews.not_attributable_counts`` gives them."""
        sql = "SELECT employee_id, score, negative, cause, sum(n) FROM excluded_rollups WHERE day >= ? AND day <= ?"
        params: list[Any] = [*days]
        if site_id is not None:
            sql += " AND site_id = ?"
            params.append(site_id)
        if sites is not None:
            sql += f" AND site_id IN ({','.join('?' * len(sites))})"
            params += sites
        rows = self._conn.db.execute(sql + " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4", params)
        return [
            {"employee_id": employee or None, "score": score, "negative": negative, "cause": cause, "n": n}
            for employee, score, negative, cause, n in rows
        ]
