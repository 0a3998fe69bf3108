"""Trend alerts' store: each site's thresholds (from sites.toml), the alerts claimed once per window, and the
counts the rules read (an employee's recent negatives; a desk's and a site's means from the daily rollups).
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from collector.store.connection import Connection, run_statements

_SUMS = "SUM(n1 + n2 + n3 + n4 + n5), SUM(n1 + 2 * n2 + 3 * n3 + 4 * n4 + 5 * n5), SUM(negatives)"


def watch_the_trends(db: Database) -> None:
    """``site_trends`` (a site's thresholds as JSON), ``trend_alerts`` (one row per alert sent, its claim), and
    ``alert_log`` rebuilt so its kind may be ``trend``.
    """
    run_statements(
        db,
        """CREATE TABLE site_trends (
        site_id TEXT PRIMARY KEY,
        thresholds TEXT NOT NULL
    )""",
        """CREATE TABLE trend_alerts (
        id INTEGER PRIMARY KEY,
        site_id TEXT NOT NULL,
        rule TEXT NOT NULL CHECK (rule IN ('employee_negatives', 'desk_mean_drop', 'site_share_negative')),
        subject TEXT NOT NULL,
        at TEXT NOT NULL,
        value REAL NOT NULL,
        threshold REAL NOT NULL
    )""",
        """CREATE INDEX trend_alerts_claim ON trend_alerts (site_id, rule, subject, at)""",
        """CREATE TABLE alert_log_new (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('negative', 'digest', 'trend')),
        site_id TEXT,
        rating_id TEXT,
        day TEXT,
        channel TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        error TEXT,
        at TEXT NOT NULL
    )""",
        "INSERT INTO alert_log_new SELECT id, kind, site_id, rating_id, day, channel, attempt, ok, error, at "
        "FROM alert_log",
        """DROP TABLE alert_log""",
        """ALTER TABLE alert_log_new RENAME TO alert_log""",
        """CREATE INDEX alert_log_rating ON alert_log (rating_id)""",
    )


class Trends:
    """The ``site_trends`` and ``trend_alerts`` tables, and the counts the trend rules read."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def save_thresholds(self, thresholds: dict[str, dict[str, Any]]) -> None:
        """Each site's thresholds as sites.toml gives them (a site without a ``[sites.trends]`` keeps none)."""
        with self._conn.transaction() as db:
            db.conn.executemany(
                "INSERT INTO site_trends (site_id, thresholds) VALUES (?, ?) "
                "ON CONFLICT (site_id) DO UPDATE SET thresholds = excluded.thresholds",
                [(site_id, json.dumps(values, sort_keys=True)) for site_id, values in thresholds.items()],
            )

    def thresholds(self, site_ids: set[str]) -> dict[str, dict[str, Any]]:
        if not site_ids:
            return {}
        marks = ",".join("?" * len(site_ids))
        rows = self._conn.db.execute(
            f"SELECT site_id, thresholds FROM site_trends WHERE site_id IN ({marks})",  # noqa: S608 - marks only
            sorted(site_ids),
        ).fetchall()
        return {site_id: json.loads(values) for site_id, values in rows}

    def claim(self, site_id: str, rule: str, subject: str, at: str, since: str, value: float, threshold: float) -> bool:
        """Record an alert unless one of this rule and subject was sent after ``since``: once per window."""
        with self._conn.transaction() as db:
            sent = db.execute(
                "SELECT 1 FROM trend_alerts WHERE site_id = ? AND rule = ? AND subject = ? AND at > ? LIMIT 1",
                [site_id, rule, subject, since],
            ).fetchone()
            if sent:
                return False
            db.execute(
                "INSERT INTO trend_alerts (site_id, rule, subject, at, value, threshold) VALUES (?, ?, ?, ?, ?, ?)",
                [site_id, rule, subject, at, value, threshold],
            )
            return True

    def sent(self, site_id: str | None = None) -> list[dict[str, Any]]:
        sql, params = "SELECT * FROM trend_alerts", []
        if site_id is not None:
            sql, params = sql + " WHERE site_id = ?", [site_id]
        return list(self._conn.db.query(sql + " ORDER BY at, id", params))

    def employee_negatives(self, employee_id: str, since: str, until: str) -> int:
        """An employee's negative ratings created in [since, until], every channel, attributable or not."""
        row = self._conn.db.execute(
            "SELECT COUNT(*) FROM ratings WHERE employee_id = ? AND created_at >= ? AND created_at <= ? "
            "AND negative = 1",
            [employee_id, since, until],
        ).fetchone()
        return int(row[0])

    def desk_sums(self, site_id: str, desk_id: str, first_day: str, last_day: str) -> tuple[int, int, int]:
        """(n, sum of scores, negatives) of a desk over local days, from the daily rollups."""
        return self._sums("site_id = ? AND desk_id = ?", [site_id, desk_id], first_day, last_day)

    def site_sums(self, site_id: str, first_day: str, last_day: str) -> tuple[int, int, int]:
        """(n, sum of scores, negatives) of a site's desks over local days (calls and links left out)."""
        return self._sums("site_id = ? AND channel = 'desk'", [site_id], first_day, last_day)

    def _sums(self, where: str, params: list[Any], first_day: str, last_day: str) -> tuple[int, int, int]:
        row = self._conn.db.execute(
            f"SELECT {_SUMS} FROM rating_rollups WHERE day >= ? AND day <= ? AND {where}",  # noqa: S608 - constants
            [first_day, last_day, *params],
        ).fetchone()
        return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)
