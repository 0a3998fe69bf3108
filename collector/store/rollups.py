"""Daily rollups of ratings: score counts per local day and hour, site, desk, device, employee and channel.

Reports over months of a ministry's ratings read these instead of every rating.
They are kept in the same transaction as the ratings they count (``add``), so a
rollup never disagrees with the ratings committed beside it, and ``rebuild``
recomputes them from the ratings (after a change of the centres' timezone, or to
check them).

A rating's day is the centres' local day of its ``counted_at``: its
``created_at`` (the device's clock) unless that clock was wrong when the rating
arrived, then its ``received_at`` (the rule is in collector.ingest.classify), the same
time the reports read from the ratings. Local days depend on the
timezone, so the zone the rollups were built for is stored with them; a report
for another zone does not use them (collector.store.local_days). The daily sums
of the survey's answers and of the languages (collector.store.answer_rollups,
``Rollups.answers``), their monthly sums (collector.store.month_rollups,
``Rollups.span_cells``) and the daily sums of visits recorded and rated
(collector.store.visit_rollups, ``Rollups.visits``) are kept and rebuilt with them,
for the same zone, as are the daily sums of the ratings not attributable to their
employee (collector.store.excluded_rollups, ``Rollups.excluded``, kept as reviews close). The daily
counts of the comments' themes are kept beside them (collector.store.theme_rollups, ``Store.themes``),
and the daily sums of the visitors' reasons on negatives (collector.store.reason_rollups, ``Rollups.reasons``).

``channel`` is where the rating was given (contract 1.1): 'desk' (a tablet),
'call' (the phone system) or 'link' (a rating link), the rating's own ``channel``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from collector.store.answer_rollups import AnswerSums, add_answer_sums, fill_answer_sums
from collector.store.closure_rollups import ClosureSums, fill_closure_sums
from collector.store.connection import Connection
from collector.store.excluded_rollups import ExcludedSums, fill_excluded_sums
from collector.store.local_days import DEFAULT_ZONE, local_day_hour
from collector.store.local_days import quarter_sql as _quarter_sql
from collector.store.month_rollups import MONTH_KEY, Part, add_month_cells, fill_month_rollups, span_parts
from collector.store.reason_rollups import ReasonSums, add_reason_sums, fill_reason_sums
from collector.store.visit_rollups import VisitSums, add_rated_visits, fill_visit_sums

DESK_CHANNEL = "desk"  # every rating stored before ratings carried their channel
KEY = ("day", "hour", "site_id", "desk_id", "device_id", "employee_id", "channel")
COUNTS = ("n1", "n2", "n3", "n4", "n5", "negatives")
_MARKS = ",".join("?" * (len(KEY) + len(COUNTS)))
_ADD_COUNTS = ", ".join(f"{c} = {c} + excluded.{c}" for c in COUNTS)
_UPSERT = (
    f"INSERT INTO rating_rollups ({', '.join(KEY + COUNTS)}) VALUES ({_MARKS}) "  # noqa: S608 - constants
    f"ON CONFLICT (day, site_id, desk_id, employee_id, channel, hour, device_id) DO UPDATE SET {_ADD_COUNTS}"
)


def _bucket(zone: str, rows: Iterable[tuple[Any, ...]]) -> dict[tuple[Any, ...], list[int]]:
    """(quarter, site, desk, device, employee, channel, score, negatives, count) rows -> rollup key -> counts."""
    cells: dict[tuple[Any, ...], list[int]] = {}
    for quarter, site_id, desk_id, device_id, employee_id, channel, score, negatives, count in rows:
        day, hour = local_day_hour(zone, quarter)
        key = (day, hour, site_id or "", desk_id or "", device_id, employee_id or "", channel)
        counts = cells.get(key)
        if counts is None:
            counts = cells[key] = [0, 0, 0, 0, 0, 0]
        counts[score - 1] += count
        counts[5] += negatives
    return cells


def fill_rollups(db: Database, zone: str = DEFAULT_ZONE, column: str = "counted_at", *, by_channel: bool = True) -> int:
    """Replace every rollup with counts from the ratings for ``zone``; the caller holds the transaction.

    ``column`` is the time a rating counts at; only the migration made before ``counted_at``
    existed passes ``created_at``, and with ``by_channel`` False (made before ratings had a
    ``channel``: every one of them 'desk').
    """
    if column not in ("counted_at", "created_at"):
        raise ValueError(f"column {column!r} is not a time a rating counts at")
    ZoneInfo(zone)  # refuse an unknown zone before deleting anything
    db.conn.execute("DELETE FROM rating_rollups")
    channel = "channel" if by_channel else f"'{DESK_CHANNEL}'"
    grouped = db.conn.execute(
        f"SELECT {_quarter_sql(column)} AS quarter, site_id, desk_id, device_id, employee_id, {channel} AS channel, "  # noqa: S608
        "score, sum(negative), count(*) FROM ratings "
        "GROUP BY quarter, site_id, desk_id, device_id, employee_id, channel, score"
    )
    cells = _bucket(zone, grouped)
    db.conn.executemany(_UPSERT, [(*key, *counts) for key, counts in cells.items()])
    db.conn.execute(
        "INSERT INTO rollup_zone (id, zone, built_at) VALUES (1, ?, datetime('now')) "
        "ON CONFLICT (id) DO UPDATE SET zone = excluded.zone, built_at = excluded.built_at",
        [zone],
    )
    return len(cells)


class Rollups:
    """The ``rating_rollups`` table and the zone it was built for (``rollup_zone``)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.answers = AnswerSums(conn)
        self.visits = VisitSums(conn)
        self.excluded = ExcludedSums(conn)
        self.reasons = ReasonSums(conn)
        self.closures = ClosureSums(conn)

    def zone(self) -> str:
        row = self._conn.db.execute("SELECT zone FROM rollup_zone WHERE id = 1").fetchone()
        return str(row[0]) if row else DEFAULT_ZONE

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Count newly stored ratings (rows as ``Ratings.add`` returns them); call inside their transaction.

        The zone is read in the transaction, not cached: a rebuild for another zone by
        ``taqyeem rollups rebuild`` may commit between two batches of a running collector.
        """
        if not rows:
            return
        with self._conn.transaction() as db:
            zone = self.zone()
            cells: dict[tuple[Any, ...], list[int]] = {}
            for r in rows:
                day, hour = local_day_hour(zone, r["counted_at"][:16])  # a whole minute has one local hour
                site, desk, employee = r["site_id"] or "", r["desk_id"] or "", r["employee_id"] or ""
                key = (day, hour, site, desk, r["device_id"], employee, r["channel"])
                counts = cells.get(key)
                if counts is None:
                    counts = cells[key] = [0, 0, 0, 0, 0, 0]
                counts[r["score"] - 1] += 1
                counts[5] += r["negative"]
            db.conn.executemany(_UPSERT, [(*key, *counts) for key, counts in cells.items()])
            add_month_cells(db, cells)
            add_answer_sums(db, zone, rows)
            add_rated_visits(db, zone, rows)
            add_reason_sums(db, zone, rows)

    def rebuild(self, zone: str | None = None) -> int:
        """Recompute every rollup from the ratings for ``zone`` (default: the stored one); returns the rows."""
        with self._conn.transaction() as db:
            count = fill_rollups(db, zone or self.zone())
            fill_month_rollups(db)
            fill_answer_sums(db, zone or self.zone())  # fill_rollups stored the zone
            fill_visit_sums(db, zone or self.zone())
            fill_excluded_sums(db, zone or self.zone())
            fill_reason_sums(db, zone or self.zone())
            fill_closure_sums(db, zone or self.zone())
            return count

    def all(self) -> list[tuple[Any, ...]]:
        """Every rollup row in key order (to compare two builds)."""
        sql = f"SELECT {', '.join(KEY + COUNTS)} FROM rating_rollups ORDER BY {', '.join(KEY)}"  # noqa: S608
        return [tuple(row) for row in self._conn.db.execute(sql)]

    def first_day(self, sites: list[str] | None = None, site_id: str | None = None) -> str | None:
        """The earliest local day with a rating (YYYY-MM-DD; "since launch"), or None before the first."""
        sql, params = "SELECT min(day) FROM rating_rollups WHERE 1 = 1", []
        if site_id is not None:
            sql += " AND site_id = ?"
            params.append(site_id)
        if sites is not None:
            sql += f" AND site_id IN ({','.join('?' * len(sites))})"
            params += sites
        row = self._conn.db.execute(sql, params).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def cells(
        self, days: tuple[str, str], by: tuple[str, ...], sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Summed counts per ``by`` (columns of the key) over local days in [first, last]."""
        return self._sums([("rating_rollups", days, 1)], by, sites, site_id)

    def span_cells(
        self, first: date, last: date, by: tuple[str, ...], sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """``cells`` over [first, last] read as its whole months (``month_rollups``) and the days at its ends,
        summed in SQL; ``by`` from (site_id, device_id, employee_id, channel), the keys the months keep."""
        if not set(by) <= set(MONTH_KEY[1:]):
            raise ValueError(f"the monthly rollups keep no {sorted(set(by) - set(MONTH_KEY))}")
        return self._sums(span_parts(first, last), by, sites, site_id)

    def _sums(
        self, parts: list[Part], by: tuple[str, ...], sites: list[str] | None, site: str | None
    ) -> list[dict[str, Any]]:
        """Counts per ``by`` over each (table, (first, last), sign) of ``parts``, its day or month in [first, last],
        added (sign 1) or taken away (-1); a key whose counts sum to no rating is left out, as it was never stored."""
        columns, selects, params = ", ".join(by), [], []
        for table, (first, last), sign in parts:
            time = "month" if table == "month_rollups" else "day"
            counts = ", ".join(COUNTS if sign == 1 else (f"-{c} AS {c}" for c in COUNTS))
            sql = f"SELECT {columns}, {counts} FROM {table} WHERE {time} >= ? AND {time} <= ?"  # noqa: S608
            params += [first, last]
            if site is not None:
                sql += " AND site_id = ?"
                params.append(site)
            if sites is not None:
                sql += f" AND site_id IN ({','.join('?' * len(sites))})"
                params += sites
            selects.append(sql)
        sums = ", ".join(f"sum({c}) AS {c}" for c in COUNTS)
        some = " + ".join(f"sum({c})" for c in COUNTS[:5])
        union = " UNION ALL ".join(selects)
        sql = f"SELECT {columns}, {sums} FROM ({union}) GROUP BY {columns} HAVING {some} > 0 ORDER BY {columns}"  # noqa: S608
        cursor = self._conn.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]
