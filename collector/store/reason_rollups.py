"""Daily sums of the visitors' reasons on negative ratings (the causes report, "Why").

``reason_rollups`` holds, per local day and hour of the rating's ``counted_at``, site, desk,
device, employee, channel and reason code, how many negative ratings named that reason: the
grain every breakdown of the report needs (section through the device, weekday through the
day). A negative rating names each of its reasons once (the contract refuses a repeated
code), so a code's count is also the number of negatives that named it.

They are kept as the score rollups are (collector.store.rollups): counted inside the batch
transaction that stores the ratings (``add_reason_sums``, called by ``Rollups.add``), for the
rollups' zone, and recomputed with them by ``taqyeem rollups rebuild`` (``fill_reason_sums``).
Site, desk and employee are '' for none (read back as None).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlite_utils import Database

from collector.store.closure_rollups import create_closure_sums
from collector.store.connection import Connection, run_statements
from collector.store.local_days import local_day_hour, quarter_sql
from collector.store.reason_month_rollups import (
    PLACE_COLUMNS,
    add_reason_months,
    create_reason_months,
    fill_reason_months,
    reasons_by_place,
    reasons_by_time,
)
from collector.store.visit_rollups import stored_zone

KEY = ("day", "hour", "site_id", "desk_id", "device_id", "employee_id", "channel", "code")
FACETS = ("code", "device_id", "employee_id", "channel", "hour", "day")  # what a read may group by
_ADD = (
    f"INSERT INTO reason_rollups ({', '.join(KEY)}, n) VALUES ({','.join('?' * (len(KEY) + 1))}) "  # noqa: S608
    "ON CONFLICT (day, site_id, code, desk_id, employee_id, channel, hour, device_id) DO UPDATE SET n = n + excluded.n"
)


def sum_reasons_per_day(db: Database) -> None:
    """The ``reason_rollups`` table, filled from the negative ratings for the rollups' zone."""
    run_statements(
        db,
        """CREATE TABLE reason_rollups (
        day TEXT NOT NULL,
        hour INTEGER NOT NULL,
        site_id TEXT NOT NULL,
        desk_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        code TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, code, desk_id, employee_id, channel, hour, device_id)
    ) WITHOUT ROWID""",
    )
    create_reason_months(db)
    fill_reason_sums(db, stored_zone(db))
    create_closure_sums(db)  # the reviews closed, per day: the same report's causes and actions


def _bucket(zone: str, rows: Iterable[tuple[Any, ...]]) -> dict[tuple[Any, ...], int]:
    """(quarter, site, desk, device, employee, channel, code, count) rows -> rollup key -> count."""
    sums: dict[tuple[Any, ...], int] = {}
    for quarter, site, desk, device, employee, channel, code, count in rows:
        day, hour = local_day_hour(zone, quarter)
        key = (day, hour, site or "", desk or "", device, employee or "", channel, code)
        sums[key] = sums.get(key, 0) + count
    return sums


def fill_reason_sums(db: Database, zone: str) -> int:
    """Replace every row with counts from the negative ratings for ``zone``; the caller holds the transaction."""
    db.conn.execute("DELETE FROM reason_rollups")
    grouped = db.conn.execute(
        f"SELECT {quarter_sql('r.counted_at')} AS quarter, r.site_id, r.desk_id, r.device_id, r.employee_id, "  # noqa: S608
        "r.channel, CAST(j.value AS TEXT), count(*) FROM ratings r, json_each(r.reasons) j "
        "WHERE r.negative = 1 GROUP BY 1, 2, 3, 4, 5, 6, 7"
    )
    sums = _bucket(zone, grouped)
    db.conn.executemany(_ADD, [(*key, n) for key, n in sums.items()])
    fill_reason_months(db)  # after the score rollups: Rollups.rebuild fills those first
    return len(sums)


def add_reason_sums(db: Database, zone: str, rows: list[dict[str, Any]]) -> None:
    """Count newly stored ratings (rows as ``Ratings.add`` returns them); inside their transaction."""
    sums: dict[tuple[Any, ...], int] = {}
    negatives: dict[tuple[Any, ...], int] = {}
    for r in rows:
        if not r["negative"]:
            continue
        day, hour = local_day_hour(zone, r["counted_at"][:16])
        negatives[(day, hour, r["site_id"] or "")] = negatives.get((day, hour, r["site_id"] or ""), 0) + 1
        codes = json.loads(r["reasons"]) if isinstance(r["reasons"], str) else r["reasons"] or []
        place = (r["site_id"] or "", r["desk_id"] or "", r["device_id"], r["employee_id"] or "", r["channel"])
        for code in codes:
            key = (day, hour, *place, str(code))
            sums[key] = sums.get(key, 0) + 1
    db.conn.executemany(_ADD, [(*key, n) for key, n in sums.items()])
    add_reason_months(db, sums, negatives)


class ReasonSums:
    """Reads of ``reason_rollups`` over local days in [first, last]."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def counts(
        self, days: tuple[str, str], by: tuple[str, ...], sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """{*by, n} rows: how many negatives named each reason, summed per ``by`` (from ``FACETS``)."""
        if not by or not set(by) <= set(FACETS):
            raise ValueError(f"reason sums group by some of {FACETS}, not {by}")
        columns = ", ".join(by)
        sql = f"SELECT {columns}, sum(n) FROM reason_rollups WHERE day >= ? AND day <= ?"  # noqa: S608
        params: list[Any] = [*days]
        if site_id is not None:
            sql += " AND site_id = ?"
            params.append(site_id)
        if sites is not None:
            sql += f" AND site_id IN ({','.join('?' * len(sites))})"
            params += sites
        cursor = self._conn.db.execute(f"{sql} GROUP BY {columns} ORDER BY {columns}", params)
        return [dict(zip((*by, "n"), row, strict=True)) for row in cursor]

    def by_place(
        self,
        first: date,
        last: date,
        sites: list[str] | None = None,
        site_id: str | None = None,
        by: tuple[str, ...] = PLACE_COLUMNS,
    ) -> list[dict[str, Any]]:
        """{*by, n} over [first, last] (``by`` from device_id, employee_id, channel, code): whole months from
        the monthly sums."""
        return reasons_by_place(self._conn.db, first, last, sites, site_id, by)

    def by_time(
        self, first: date, last: date, sites: list[str] | None = None, site_id: str | None = None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The reasons and the negatives per weekday (0 = Sunday) and hour over [first, last]."""
        return reasons_by_time(self._conn.db, first, last, sites, site_id)

    def months(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Both monthly tables' rows in key order (to compare two builds)."""
        db = self._conn.db
        places = db.execute("SELECT * FROM reason_month_rollups ORDER BY 1, 2, 3, 4, 5, 6").fetchall()
        times = db.execute("SELECT * FROM reason_time_rollups ORDER BY 1, 2, 3, 4, 5").fetchall()
        return [tuple(r) for r in places], [tuple(r) for r in times]

    def all(self) -> list[tuple[Any, ...]]:
        """Every row in key order (to compare two builds)."""
        sql = f"SELECT {', '.join(KEY)}, n FROM reason_rollups ORDER BY {', '.join(KEY)}"  # noqa: S608
        return [tuple(row) for row in self._conn.db.execute(sql)]
