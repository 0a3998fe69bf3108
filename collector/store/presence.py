"""The sign-in log: every Presence a desk sent, stored once by id and never updated or deleted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from collector.ingest.conflicts import PRESENCE_CONTENT
from collector.store.connection import Connection
from shared.contract import Presence

PRESENCE_COLUMNS = ("id", "device_id", "employee_id", "event", "cause", "at", "received_at", "site_id", "desk_id")
CHUNK = 500  # ids per IN (...): well under SQLite's limit of bound parameters
_INSERT = f"INSERT INTO presence ({', '.join(PRESENCE_COLUMNS)}) VALUES ({','.join('?' * len(PRESENCE_COLUMNS))})"  # noqa: S608
# At one instant a sign-out ("replaced") and the next sign-in share their time: the sign-in is the later word.
_LATEST_FIRST = "at DESC, CASE event WHEN 'sign_in' THEN 1 ELSE 0 END DESC, id DESC"


class PresenceLog:
    """The ``presence`` table."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def stored_content(self, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        """The content kept under each of ``ids`` already stored, for the rule on copies (ingest/conflicts.py)."""
        kept: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, {', '.join(PRESENCE_CONTENT)} FROM presence WHERE id IN ({marks})"  # noqa: S608
            kept.update((row[0], tuple(row[1:])) for row in self._conn.db.execute(sql, chunk))
        return kept

    def add(
        self,
        new: Sequence[tuple[Presence, tuple[Any, ...]]],
        received_at: str,
        places: Mapping[str, tuple[str | None, str | None]],
    ) -> list[str]:
        """Insert events not stored yet, each with its content (``Copies.new``) and its device's place; their ids."""
        rows = []
        for event, content in new:
            site_id, desk_id = places.get(event.device_id, (None, None))
            rows.append((event.id, *content, received_at, site_id, desk_id))
        if rows:
            with self._conn.transaction() as db:
                db.conn.executemany(_INSERT, rows)
        return [row[0] for row in rows]

    def log(
        self,
        *,
        site_id: str | None = None,
        device_id: str | None = None,
        employee_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
        sites: list[str] | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Sign-ins and sign-outs, newest first; ``since`` inclusive, ``until`` exclusive, on the device's ``at``.

        ``sites`` is the reader's scope (None: every site); a device not assigned to a site
        is seen only by readers of every site.
        """
        where: list[str] = []
        params: list[Any] = []
        for column, value in (("site_id", site_id), ("device_id", device_id), ("employee_id", employee_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if since is not None:
            where.append("at >= ?")
            params.append(since)
        if until is not None:
            where.append("at < ?")
            params.append(until)
        if sites is not None:
            where.append(f"site_id IN ({','.join('?' * len(sites))})")
            params += sites
        sql = f"SELECT {', '.join(PRESENCE_COLUMNS)} FROM presence"  # noqa: S608 - constants
        if where:
            sql += " WHERE " + " AND ".join(where)
        return list(self._conn.db.query(f"{sql} ORDER BY {_LATEST_FIRST} LIMIT ?", [*params, limit]))

    def latest_at(self, device_id: str, at: str) -> dict[str, Any] | None:
        """The device's last sign-in or sign-out at or before ``at`` (its own clock), or None when none is recorded.

        A ``sign_in`` row says who was signed in at ``at``; a ``sign_out`` row that nobody was.
        """
        sql = f"SELECT {', '.join(PRESENCE_COLUMNS)} FROM presence WHERE device_id = ? AND at <= ?"  # noqa: S608
        rows = list(self._conn.db.query(f"{sql} ORDER BY {_LATEST_FIRST} LIMIT 1", [device_id, at]))
        return rows[0] if rows else None

    def signed_in_at(self, device_id: str, at: str) -> str | None:
        """Who was signed in at that device at that time; None for nobody, or for no record (see ``latest_at``)."""
        row = self.latest_at(device_id, at)
        return row["employee_id"] if row is not None and row["event"] == "sign_in" else None
