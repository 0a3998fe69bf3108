"""Signed releases of the tablet's program: the files recorded, the version wanted where, and who did what.

A release is one row per version (``add``); a target names the version wanted by one desk, one
site or the whole fleet (``set_target``, ``clear_target``); every change is kept in
``release_events``. The key of the download tokens lives in ``collector_secrets``: made once
(``secret``), never shown. Which target applies to a device, and whether a roll-out may go ahead,
is decided in collector/fleet/releases.py and collector/fleet/rollout.py.
"""

from __future__ import annotations

import json
from typing import Any

from collector.store.connection import Connection

FLEET = ""  # a target's site_id for the whole fleet, its desk_id for a whole site
RELEASE_COLUMNS = ("version", "file_name", "size", "sha256", "signature", "added_at", "added_by")


class Releases:
    """The ``releases``, ``release_targets``, ``release_events`` and ``collector_secrets`` tables."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, release: dict[str, Any]) -> None:
        """Record a release (the columns of RELEASE_COLUMNS) and log who added it."""
        with self._conn.transaction() as db:
            db.execute(
                f"INSERT INTO releases ({', '.join(RELEASE_COLUMNS)}) VALUES ({', '.join('?' * len(RELEASE_COLUMNS))})",  # noqa: S608
                [release[column] for column in RELEASE_COLUMNS],
            )
            self._log(release["added_by"], release["added_at"], "added", release["version"], FLEET, FLEET, {})

    def get(self, version: str) -> dict[str, Any] | None:
        rows = list(self._conn.db.query("SELECT * FROM releases WHERE version = ?", [version]))
        return rows[0] if rows else None

    def all(self) -> list[dict[str, Any]]:
        """Every release, the newest first."""
        return list(self._conn.db.query("SELECT * FROM releases ORDER BY added_at DESC, version DESC"))

    def set_target(
        self, site_id: str, desk_id: str, version: str, tablet_url: str, actor: str, now: str, data: dict[str, Any]
    ) -> None:
        """Want ``version`` at that desk (site and desk), site (desk '') or fleet (both ''); log it."""
        with self._conn.transaction() as db:
            db.execute(
                "INSERT INTO release_targets (site_id, desk_id, version, tablet_url, set_at, set_by) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, desk_id) DO UPDATE SET version = excluded.version, "
                "tablet_url = excluded.tablet_url, set_at = excluded.set_at, set_by = excluded.set_by",
                [site_id, desk_id, version, tablet_url, now, actor],
            )
            self._log(actor, now, "rollout", version, site_id, desk_id, data)

    def clear_target(self, site_id: str, desk_id: str, actor: str, now: str) -> str | None:
        """Remove that target (logged); the version it named, or None when there was none."""
        with self._conn.transaction() as db:
            row = db.execute(
                "SELECT version FROM release_targets WHERE site_id = ? AND desk_id = ?", [site_id, desk_id]
            ).fetchone()
            if row is None:
                return None
            db.execute("DELETE FROM release_targets WHERE site_id = ? AND desk_id = ?", [site_id, desk_id])
            self._log(actor, now, "stopped", row[0], site_id, desk_id, {})
            return str(row[0])

    def targets(self) -> list[dict[str, Any]]:
        """Every target: fleet first, then sites, then desks."""
        return list(self._conn.db.query("SELECT * FROM release_targets ORDER BY site_id, desk_id"))

    def targets_for(self, site_id: str | None, desk_id: str | None) -> list[dict[str, Any]]:
        """The targets that could apply to a device at that desk (its desk's, its site's, the fleet's)."""
        return list(
            self._conn.db.query(
                "SELECT * FROM release_targets WHERE (site_id = '' AND desk_id = '') "
                "OR (site_id = ? AND desk_id = '') OR (site_id = ? AND desk_id = ?)",
                [site_id or "", site_id or "", desk_id or ""],
            )
        )

    def events(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest changes first."""
        rows = self._conn.db.query("SELECT * FROM release_events ORDER BY id DESC LIMIT ?", [limit])
        return [{**r, "data": json.loads(r["data"])} for r in rows]

    def tablets(self) -> list[dict[str, Any]]:
        """Each provisioned, unrevoked device: its id, site, desk and the version it reports running."""
        return list(
            self._conn.db.query(
                "SELECT device_id, site_id, desk_id, app_version FROM devices "
                "WHERE provisioned = 1 AND revoked_at IS NULL ORDER BY site_id, desk_id, device_id"
            )
        )

    def secret(self, candidate: str, now: str) -> str:
        """The key of the download tokens: ``candidate`` the first time it is asked for, the same one after."""
        row = self._conn.db.execute("SELECT value FROM collector_secrets WHERE name = 'release_downloads'").fetchone()
        if row is not None:  # the usual case: a read, no write lock (a download is a GET)
            return str(row[0])
        with self._conn.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO collector_secrets (name, value, made_at) VALUES ('release_downloads', ?, ?)",
                [candidate, now],
            )
            row = db.execute("SELECT value FROM collector_secrets WHERE name = 'release_downloads'").fetchone()
        return str(row[0])

    def _log(
        self, actor: str, now: str, kind: str, version: str | None, site_id: str, desk_id: str, data: dict[str, Any]
    ) -> None:
        with self._conn.transaction() as db:
            db.execute(
                "INSERT INTO release_events (at, actor, kind, version, site_id, desk_id, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [now, actor, kind, version, site_id, desk_id, json.dumps(data, sort_keys=True)],
            )
