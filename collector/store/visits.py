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

    def responses(
        self, since: str, until: str, sites: list[str] | None = None, site_id: str | None = None
    ) -> dict[str, dict[str, int]]:
        """{'desk': {'recorded', 'rated'}, 'call': {...}}: visits and calls recorded in [since, until), and
        how many of them got at least one rating naming their visit id at their site (whenever it came)."""
        where, params = span_and_sites("recorded_at", since, until, sites, site_id, table="v.")
        sql = (
            "SELECT v.channel, count(*) AS recorded, "  # noqa: S608
            "sum(EXISTS (SELECT 1 FROM ratings r WHERE r.site_id = v.site_id AND r.visit_id = v.visit_id)) AS rated "
            f"FROM visits v WHERE {where} GROUP BY v.channel"
        )
        found = {"desk": {"recorded": 0, "rated": 0}, "call": {"recorded": 0, "rated": 0}}
        for row in self._conn.db.query(sql, params):
            found[row["channel"]] = {"recorded": int(row["recorded"]), "rated": int(row["rated"] or 0)}
        return found
