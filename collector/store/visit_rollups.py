"""Daily sums of the visits and calls recorded and of those rated (the period report's response rate).

``visit_rollups`` holds, per local day of ``recorded_at``, site and channel, how many visits
were recorded and how many of them have at least one rating naming their visit id at their
site (whenever it came), the numbers ``Visits.responses`` counts with an EXISTS per visit.
A visit's ``rated`` is counted once, when it first becomes true: when the visit is recorded
after a rating naming it (``note_recorded_visit``, from ``Visits.record``), or when the first
rating naming a recorded visit is stored (``add_rated_visits``, from ``Rollups.add`` in the
batch transaction). ``taqyeem rollups rebuild`` recomputes them (``fill_visit_sums``) for the
rollups' zone. Ratings and visits are never deleted, so a rated visit stays rated.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from collector.store.connection import Connection, run_statements
from collector.store.local_days import DEFAULT_ZONE, local_day_hour, quarter_sql

_ADD = (
    "INSERT INTO visit_rollups (day, site_id, channel, recorded, rated) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (day, site_id, channel) DO UPDATE SET "
    "recorded = recorded + excluded.recorded, rated = rated + excluded.rated"
)
_RATED = "EXISTS (SELECT 1 FROM ratings r WHERE r.site_id = v.site_id AND r.visit_id = v.visit_id)"


def sum_visits_and_their_ratings_per_day(db: Database) -> None:
    """The ``visit_rollups`` table, filled from the visits and ratings for the rollups' zone."""
    run_statements(
        db,
        """CREATE TABLE visit_rollups (
        day TEXT NOT NULL,
        site_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        recorded INTEGER NOT NULL,
        rated INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, channel)
    ) WITHOUT ROWID""",
    )
    fill_visit_sums(db, stored_zone(db))


def stored_zone(db: Database) -> str:
    """The zone the rollups were built for (``rollup_zone``), read in the caller's transaction."""
    row = db.execute("SELECT zone FROM rollup_zone WHERE id = 1").fetchone()
    return str(row[0]) if row else DEFAULT_ZONE


def fill_visit_sums(db: Database, zone: str) -> None:
    """Replace every row with counts from the visits and ratings for ``zone``; the caller holds the transaction."""
    db.conn.execute("DELETE FROM visit_rollups")
    grouped = db.conn.execute(
        f"SELECT {quarter_sql('v.recorded_at')}, v.site_id, v.channel, count(*), sum({_RATED}) "  # noqa: S608
        "FROM visits v GROUP BY 1, 2, 3"
    )
    sums: dict[tuple[str, str, str], list[int]] = {}
    for quarter, site_id, channel, recorded, rated in grouped:
        key = (local_day_hour(zone, quarter)[0], site_id, channel)
        counts = sums.setdefault(key, [0, 0])
        counts[0] += recorded
        counts[1] += rated
    db.conn.executemany(_ADD, [(*key, *counts) for key, counts in sums.items()])


def note_recorded_visit(db: Database, visit: dict[str, Any]) -> None:
    """Count a newly stored visit (a ``visits`` row), rated already if a rating names it; inside its transaction."""
    rated = db.execute(
        "SELECT EXISTS (SELECT 1 FROM ratings WHERE site_id = ? AND visit_id = ?)",
        [visit["site_id"], visit["visit_id"]],
    ).fetchone()[0]
    day = local_day_hour(stored_zone(db), visit["recorded_at"][:16])[0]
    db.conn.execute(_ADD, [day, visit["site_id"], visit["channel"], 1, int(rated)])


def add_rated_visits(db: Database, zone: str, rows: list[dict[str, Any]]) -> None:
    """Count the recorded visits that newly stored ratings (``Ratings.add``'s rows, stored already in this
    transaction) are the first to name: those whose every rating naming them is in ``rows``."""
    named: dict[tuple[str, str], int] = {}
    for r in rows:
        if r["visit_id"] is not None and r["site_id"] is not None:
            pair = (r["site_id"], r["visit_id"])
            named[pair] = named.get(pair, 0) + 1
    for (site_id, visit_id), new in named.items():
        found = db.execute(
            "SELECT v.recorded_at, v.channel, (SELECT count(*) FROM ratings r WHERE r.site_id = v.site_id "
            "AND r.visit_id = v.visit_id) FROM visits v WHERE v.site_id = ? AND v.visit_id = ?",
            [site_id, visit_id],
        ).fetchone()
        if found is not None and found[2] == new:
            day = local_day_hour(zone, found[0][:16])[0]
            db.conn.execute(_ADD, [day, site_id, found[1], 0, 1])


class VisitSums:
    """Reads of ``visit_rollups`` over local days in [first, last]."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def responses(
        self, days: tuple[str, str], sites: list[str] | None = None, site_id: str | None = None
    ) -> dict[str, dict[str, int]]:
        """{'desk': {'recorded', 'rated'}, 'call': {...}}, as ``Visits.responses`` gives for the same span."""
        sql, params = (
            "SELECT channel, sum(recorded), sum(rated) FROM visit_rollups WHERE day >= ? AND day <= ?",
            [*days],
        )
        if site_id is not None:
            sql += " AND site_id = ?"
            params.append(site_id)
        if sites is not None:
            sql += f" AND site_id IN ({','.join('?' * len(sites))})"
            params += sites
        found = {"desk": {"recorded": 0, "rated": 0}, "call": {"recorded": 0, "rated": 0}}
        for channel, recorded, rated in self._conn.db.execute(sql + " GROUP BY channel", params):
            found[channel] = {"recorded": int(recorded), "rated": int(rated)}
        return found
