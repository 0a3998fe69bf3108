"""One-time enrolment codes of new tablets: only a hash of each code, and the enrolment sealed with it.

The rules (the code, its hash, the sealing) are collector/fleet/enrol_codes.py's; this
module keeps the rows. ``take`` reads a code's row and marks it used in one
write transaction, so two tablets typing the same code cannot both get it; the
sealed payload is dropped as the code is used or revoked, and by ``forget_dead``
once it has expired: afterwards not even the encrypted password is kept.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from collector.store.connection import Connection

LISTED = "lookup, device_id, created_at, created_by, expires_at, used_at, used_from, revoked_at"


def keep_one_time_enrolment_codes(db: Database) -> None:
    """``enrolment_codes``: a hash of each code, the device it enrols, the payload sealed with the code."""
    db.execute(
        """CREATE TABLE enrolment_codes (
        lookup TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        sealed BLOB,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        used_from TEXT,
        revoked_at TEXT
    )"""
    )
    db.execute("CREATE INDEX enrolment_codes_device ON enrolment_codes (device_id)")


class EnrolmentCodes:
    """The ``enrolment_codes`` table."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, row: dict[str, Any]) -> None:
        """lookup, device_id, sealed, created_at, created_by, expires_at."""
        with self._conn.transaction() as db:
            db.table("enrolment_codes").insert(row)

    def take(self, lookup: str, now: str, address: str) -> tuple[str, dict[str, Any] | None]:
        """``("ok", row with its sealed payload)`` and the code marked used, all in one transaction;
        ``("gone", row)`` when used, revoked or expired; ``("unknown", None)``."""
        with self._conn.transaction() as db:
            rows = list(db.query("SELECT * FROM enrolment_codes WHERE lookup = ?", [lookup]))
            if not rows:
                return "unknown", None
            row = rows[0]
            if row["used_at"] is not None or row["revoked_at"] is not None or row["expires_at"] <= now:
                return "gone", row
            db.execute(
                "UPDATE enrolment_codes SET used_at = ?, used_from = ?, sealed = NULL WHERE lookup = ?",
                [now, address, lookup],
            )
            return "ok", row

    def revoke(self, device_id: str, now: str) -> int:
        """Revoke every pending code of a device; how many."""
        with self._conn.transaction() as db:
            cursor = db.execute(
                "UPDATE enrolment_codes SET revoked_at = ?, sealed = NULL "
                "WHERE device_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
                [now, device_id, now],
            )
            return cursor.rowcount

    def forget_dead(self, now: str) -> int:
        """Drop the sealed payload of every code that expired unused; how many."""
        with self._conn.transaction() as db:
            cursor = db.execute(
                "UPDATE enrolment_codes SET sealed = NULL WHERE sealed IS NOT NULL AND expires_at <= ?", [now]
            )
            return cursor.rowcount

    def all(self, *, every: bool = False, now: str = "") -> list[dict[str, Any]]:
        """The codes, newest first, without their sealed payload; only the pending ones unless ``every``."""
        sql = f"SELECT {LISTED} FROM enrolment_codes"  # noqa: S608 (a constant column list)
        params: list[Any] = []
        if not every:
            sql += " WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > ?"
            params.append(now)
        return list(self._conn.db.query(sql + " ORDER BY created_at DESC", params))

    def sealed_of(self, lookup: str) -> bytes | None:
        rows = list(self._conn.db.query("SELECT sealed FROM enrolment_codes WHERE lookup = ?", [lookup]))
        return rows[0]["sealed"] if rows else None
