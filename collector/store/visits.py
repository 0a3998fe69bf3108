"""Visits and calls recorded by a queue or phone system, and the single-use rating links (contract 1.1).

A visit is stored once per (site, visit id): a repeat of ``POST /api/v1/visits`` finds
the first. A rating link keeps only a hash of its token (``token_hash``), never the
token. Its ``phone`` lives only as long as the link: ``purge_phones`` sets it to NULL
once the link is used or expired, and ``use_link`` does so as it marks the link used.
"""

from __future__ import annotations

from typing import Any

from collector.store.connection import Connection
from collector.store.scope import span_and_sites

VISIT_COLUMNS = ("site_id", "visit_id", "desk_id", "employee_id", "channel", "recorded_at", "token_name")


class Visits:
    """The ``visits`` and ``rating_links`` tables."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def record(self, visit: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """Store a visit unless its (site, visit id) is stored; the stored row, and whether it is new."""
        with self._conn.transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO visits (site_id, visit_id, desk_id, employee_id, channel, recorded_at, "
                "token_name) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [visit.get(column) for column in VISIT_COLUMNS],
            )
            new = cursor.rowcount == 1
            row = self.visit(visit["site_id"], visit["visit_id"])
        assert row is not None  # inserted now or before, in this transaction
        return row, new

    def visit(self, site_id: str, visit_id: str) -> dict[str, Any] | None:
        rows = list(self._conn.db.query("SELECT * FROM visits WHERE site_id = ? AND visit_id = ?", [site_id, visit_id]))
        return rows[0] if rows else None

    def add_link(self, link: dict[str, Any]) -> None:
        """A rating link: token_hash, site_id, visit_id, desk_id, employee_id, phone, created_at, expires_at."""
        with self._conn.transaction() as db:
            db.table("rating_links").insert(link)

    def link(self, token_hash: str) -> dict[str, Any] | None:
        rows = list(self._conn.db.query("SELECT * FROM rating_links WHERE token_hash = ?", [token_hash]))
        return rows[0] if rows else None

    def use_link(self, token_hash: str, now: str, rating_id: str) -> bool:
        """Mark a live link used (its phone forgotten); False if it was used or expired already."""
        with self._conn.transaction() as db:
            cursor = db.execute(
                "UPDATE rating_links SET used_at = ?, rating_id = ?, phone = NULL "
                "WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
                [now, rating_id, token_hash, now],
            )
            return cursor.rowcount == 1

    def purge_phones(self, now: str) -> int:
        """Forget the phone number of every link used or expired by ``now``; how many were forgotten."""
        with self._conn.transaction() as db:
            cursor = db.execute(
                "UPDATE rating_links SET phone = NULL "
                "WHERE phone IS NOT NULL AND (used_at IS NOT NULL OR expires_at <= ?)",
                [now],
            )
            return cursor.rowcount

    def counts(
        self, since: str, until: str, sites: list[str] | None = None, site_id: str | None = None
    ) -> dict[str, int]:
        """{'desk': visits, 'call': calls} recorded in [since, until)."""
        where, params = span_and_sites("recorded_at", since, until, sites, site_id)
        sql = f"SELECT channel, count(*) AS n FROM visits WHERE {where}"  # noqa: S608
        found = {"desk": 0, "call": 0}
        for row in self._conn.db.query(sql + " GROUP BY channel", params):
            found[row["channel"]] = int(row["n"])
        return found
