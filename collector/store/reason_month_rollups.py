"""The visitors' reasons summed per month (the causes report over a year without reading every day's cells).

``reason_month_rollups`` holds the daily sums (collector.store.reason_rollups) per month, site, device,
employee, channel and code: what the report's places need (section through the device). ``reason_time_rollups``
holds them per month, site, weekday (0 = Sunday, SQLite's ``%w``) and local hour, with the code '' for every
negative rating (with or without reasons): what the by-hour and by-weekday tables need, their negatives
included. Both are kept in the batch transaction with the daily sums (``add_reason_months``) and recomputed
from the daily sums and the score rollups by ``taqyeem rollups rebuild`` (``fill_reason_months``). A span is
read as its whole months and the days at its ends (collector.store.month_rollups.span_parts), as the score
rollups are.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlite_utils import Database

from collector.store.connection import run_statements
from collector.store.month_rollups import span_parts

NEGATIVES = ""  # the code under which reason_time_rollups counts every negative rating
_ADD_PLACE = (
    "INSERT INTO reason_month_rollups (month, site_id, device_id, employee_id, channel, code, n) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (month, site_id, code, device_id, employee_id, channel) "
    "DO UPDATE SET n = n + excluded.n"
)
_ADD_TIME = (
    "INSERT INTO reason_time_rollups (month, site_id, weekday, hour, code, n) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (month, site_id, code, weekday, hour) DO UPDATE SET n = n + excluded.n"
)


def create_reason_months(db: Database) -> None:
    """Both tables, empty: ``fill_reason_months`` fills them once the daily sums are."""
    run_statements(
        db,
        """CREATE TABLE reason_month_rollups (
        month TEXT NOT NULL,
        site_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        code TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (month, site_id, code, device_id, employee_id, channel)
    ) WITHOUT ROWID""",
        """CREATE TABLE reason_time_rollups (
        month TEXT NOT NULL,
        site_id TEXT NOT NULL,
        weekday INTEGER NOT NULL,
        hour INTEGER NOT NULL,
        code TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (month, site_id, code, weekday, hour)
    ) WITHOUT ROWID""",
    )


def fill_reason_months(db: Database) -> None:
    """Replace both tables' rows with sums of the daily reason sums and score rollups; inside a transaction."""
    db.conn.execute("DELETE FROM reason_month_rollups")
    db.conn.execute("DELETE FROM reason_time_rollups")
    db.conn.execute(
        "INSERT INTO reason_month_rollups SELECT substr(day, 1, 7), site_id, device_id, employee_id, channel, code, "
        "sum(n) FROM reason_rollups GROUP BY 1, 2, 3, 4, 5, 6"
    )
    db.conn.execute(
        "INSERT INTO reason_time_rollups SELECT substr(day, 1, 7), site_id, CAST(strftime('%w', day) AS INTEGER), "
        "hour, code, sum(n) FROM reason_rollups GROUP BY 1, 2, 3, 4, 5"
    )
    db.conn.execute(
        "INSERT INTO reason_time_rollups SELECT substr(day, 1, 7), site_id, CAST(strftime('%w', day) AS INTEGER), "
        "hour, '', sum(negatives) FROM rating_rollups WHERE negatives > 0 GROUP BY 1, 2, 3, 4"
    )


def add_reason_months(db: Database, cells: dict[tuple[Any, ...], int], negatives: dict[tuple[Any, ...], int]) -> None:
    """Add daily cells (day, hour, site, desk, device, employee, channel, code) -> n, and negatives per
    (day, hour, site) -> n, to both tables; inside the batch transaction."""
    places: dict[tuple[Any, ...], int] = {}
    times: dict[tuple[Any, ...], int] = {}
    for (day, hour, site, _desk, device, employee, channel, code), n in cells.items():
        key = (day[:7], site, device, employee, channel, code)
        places[key] = places.get(key, 0) + n
        when = (day[:7], site, _weekday(day), hour, code)
        times[when] = times.get(when, 0) + n
    for (day, hour, site), n in negatives.items():
        when = (day[:7], site, _weekday(day), hour, NEGATIVES)
        times[when] = times.get(when, 0) + n
    db.conn.executemany(_ADD_PLACE, [(*k, n) for k, n in places.items()])
    db.conn.executemany(_ADD_TIME, [(*k, n) for k, n in times.items()])


def _weekday(day: str) -> int:
    return (date.fromisoformat(day).weekday() + 1) % 7  # 0 = Sunday, as SQLite's %w


def _scope(sites: list[str] | None, site_id: str | None) -> tuple[str, list[Any]]:
    sql, params = "", []
    if site_id is not None:
        sql, params = " AND site_id = ?", [site_id]
    if sites is not None:
        sql += f" AND site_id IN ({','.join('?' * len(sites))})"
        params += sites
    return sql, params


def _summed(db: Database, selects: list[str], params: list[Any], columns: str) -> list[tuple[Any, ...]]:
    union = " UNION ALL ".join(selects)
    sql = f"SELECT {columns}, sum(n) FROM ({union}) GROUP BY {columns} HAVING sum(n) != 0 ORDER BY {columns}"  # noqa: S608
    return [tuple(row) for row in db.execute(sql, params)]


PLACE_COLUMNS = ("device_id", "employee_id", "channel", "code")


def reasons_by_place(
    db: Database,
    first: date,
    last: date,
    sites: list[str] | None,
    site_id: str | None,
    by: tuple[str, ...] = PLACE_COLUMNS,
) -> list[dict[str, Any]]:
    """{*by, n} over [first, last] (``by`` from ``PLACE_COLUMNS``), read as whole months and end days."""
    if not by or not set(by) <= set(PLACE_COLUMNS):
        raise ValueError(f"the monthly reason sums keep {PLACE_COLUMNS}, not {by}")
    columns = ", ".join(by)
    scope, scope_params = _scope(sites, site_id)
    selects, params = [], []
    for table, (start, end), sign in span_parts(first, last):
        source, time = ("reason_month_rollups", "month") if table == "month_rollups" else ("reason_rollups", "day")
        selects.append(f"SELECT {columns}, {sign} * n AS n FROM {source} WHERE {time} >= ? AND {time} <= ?{scope}")  # noqa: S608
        params += [start, end, *scope_params]
    return [dict(zip((*by, "n"), row, strict=True)) for row in _summed(db, selects, params, columns)]


def reasons_by_time(
    db: Database, first: date, last: date, sites: list[str] | None, site_id: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """({weekday, hour, code, n} reason rows, {weekday, hour, negatives} rows) over [first, last]; weekday
    0 = Sunday."""
    columns = "weekday, hour, code"
    scope, scope_params = _scope(sites, site_id)
    selects, params = [], []
    weekday = "CAST(strftime('%w', day) AS INTEGER) AS weekday"
    for table, (start, end), sign in span_parts(first, last):
        if table == "month_rollups":
            selects.append(
                f"SELECT {columns}, {sign} * n AS n FROM reason_time_rollups "  # noqa: S608
                f"WHERE month >= ? AND month <= ?{scope}"
            )
            params += [start, end, *scope_params]
            continue
        selects.append(
            f"SELECT {weekday}, hour, code, {sign} * n AS n FROM reason_rollups "  # noqa: S608
            f"WHERE day >= ? AND day <= ?{scope}"
        )
        selects.append(
            f"SELECT {weekday}, hour, '' AS code, {sign} * negatives AS n FROM rating_rollups "  # noqa: S608
            f"WHERE day >= ? AND day <= ? AND negatives > 0{scope}"
        )
        params += [start, end, *scope_params, start, end, *scope_params]
    reasons, negatives = [], []
    for wd, hour, code, n in _summed(db, selects, params, columns):
        if code == NEGATIVES:
            negatives.append({"weekday": wd, "hour": hour, "negatives": n})
        else:
            reasons.append({"weekday": wd, "hour": hour, "code": code, "n": n})
    return reasons, negatives
