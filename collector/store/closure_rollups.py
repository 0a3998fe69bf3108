"""Daily sums of the reviews closed: how many per local day of closing, site, cause, action and attributable.

The causes report's ``causes`` and ``actions`` read these instead of joining every review closed in the span
to its rating (1.2M a year at 10M ratings: over a second). A review is counted when it closes
(``note_closure``, from ``Reviews.close`` and ``Hearings.approve`` in their transaction); an upheld appeal
moves it from attributable to not (``move_closure``, from ``Hearings.decide``); ``taqyeem rollups rebuild``
recomputes them (``fill_closure_sums``) for the rollups' zone. ``collector.store.review_outcomes`` holds
the same counts read from the reviews (the reference). Site is '' for a rating of no site.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from collector.store.connection import Connection, run_statements
from collector.store.local_days import local_day_hour, quarter_sql
from collector.store.visit_rollups import stored_zone

Key = tuple[str, str, str, str, int]  # (day, site_id, cause, action, attributable)
_ADD = (
    "INSERT INTO closure_rollups (day, site_id, cause, action, attributable, n) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (day, site_id, cause, action, attributable) DO UPDATE SET n = n + excluded.n"
)


def create_closure_sums(db: Database) -> None:
    """The ``closure_rollups`` table, filled from the closed reviews for the rollups' zone."""
    run_statements(
        db,
        """CREATE TABLE closure_rollups (
        day TEXT NOT NULL,
        site_id TEXT NOT NULL,
        cause TEXT NOT NULL,
        action TEXT NOT NULL,
        attributable INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, cause, action, attributable)
    ) WITHOUT ROWID""",
    )
    fill_closure_sums(db, stored_zone(db))


def fill_closure_sums(db: Database, zone: str) -> None:
    """Replace every row with counts from the closed reviews for ``zone``; the caller holds the transaction."""
    db.conn.execute("DELETE FROM closure_rollups")
    grouped = db.conn.execute(
        f"SELECT {quarter_sql('v.closed_at')}, coalesce(r.site_id, ''), coalesce(v.cause, ''), "  # noqa: S608
        "coalesce(v.action, ''), coalesce(v.attributable, 1), count(*) FROM reviews v "
        "CROSS JOIN ratings r ON r.id = v.rating_id WHERE +v.status = 'closed' GROUP BY 1, 2, 3, 4, 5"
    )
    sums: dict[tuple[Any, ...], int] = {}
    for quarter, *key, n in grouped:
        cell = (local_day_hour(zone, quarter)[0], *key)
        sums[cell] = sums.get(cell, 0) + n
    db.conn.executemany(_ADD, [(*key, n) for key, n in sums.items()])


def closure_key(db: Database, rating_id: str) -> Key | None:
    """The cell a closed review counts in; None when it is not closed."""
    row = db.execute(
        "SELECT v.closed_at, coalesce(r.site_id, ''), coalesce(v.cause, ''), coalesce(v.action, ''), "
        "coalesce(v.attributable, 1) FROM reviews v CROSS JOIN ratings r ON r.id = v.rating_id "
        "WHERE v.rating_id = ? AND v.status = 'closed'",
        [rating_id],
    ).fetchone()
    if row is None:
        return None
    return (local_day_hour(stored_zone(db), row[0][:16])[0], row[1], row[2], row[3], int(row[4]))


def note_closure(db: Database, rating_id: str) -> None:
    """Count a review just closed, in this transaction."""
    key = closure_key(db, rating_id)
    if key is not None:
        db.conn.execute(_ADD, [*key, 1])


def move_closure(db: Database, before: Key | None, after: Key | None) -> None:
    """A closed review's cell changed (an upheld appeal): take it from ``before``, count it in ``after``."""
    if before is None or after is None or before == after:
        return
    db.conn.execute(_ADD, [*before, -1])
    db.conn.execute(_ADD, [*after, 1])


class ClosureSums:
    """Reads of ``closure_rollups`` over local days of closing in [first, last]."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _rows(self, columns: str, days: tuple[str, str], sites: list[str] | None, site_id: str | None) -> Any:
        sql = f"SELECT {columns}, sum(n) FROM closure_rollups WHERE day >= ? AND day <= ?"  # noqa: S608
        params: list[Any] = [*days]
        if site_id is not None:
            sql, params = sql + " AND site_id = ?", [*params, site_id]
        if sites is not None:
            sql += f" AND site_id IN ({','.join('?' * len(sites))})"
            params += sites
        return self._conn.db.execute(f"{sql} GROUP BY {columns} HAVING sum(n) > 0 ORDER BY {columns}", params)

    def causes(
        self, days: tuple[str, str], sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """{cause, attributable, n} rows, as ``ReviewOutcomes.causes`` counts them."""
        rows = self._rows("cause, attributable", days, sites, site_id)
        return [{"cause": cause or None, "attributable": bool(held), "n": n} for cause, held, n in rows]

    def actions(
        self, days: tuple[str, str], sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """{action, n} rows, as ``ReviewOutcomes.actions`` counts them."""
        return [{"action": a or None, "n": n} for a, n in self._rows("action", days, sites, site_id)]
