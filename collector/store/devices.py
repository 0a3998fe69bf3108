"""Devices: their desk and config, their reported status and clock skew, and the provisioning log."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from collector.ingest.clock_skew import clock_off
from collector.ingest.seq_resets import SeqReset
from collector.store.connection import Connection, StoreError
from collector.store.device_health import health_of, note_health
from collector.store.seq_history import SeqHistory
from shared.contract import DeviceConfig, Status


@lru_cache(maxsize=4096)
def parsed_config(text: str) -> DeviceConfig:
    """A stored config parsed once, not once per batch (45 µs for a desk with 20 staff); frozen, so shared."""
    return DeviceConfig.model_validate_json(text)


def _in(ids: list[str]) -> str:
    return ",".join("?" * len(ids))


class Devices:
    """The ``devices`` and ``device_events`` tables."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # --- what ingest needs ---------------------------------------------------

    def places(self, device_ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """(site, desk) of each known device."""
        ids = list(set(device_ids))
        if not ids:
            return {}
        sql = f"SELECT device_id, site_id, desk_id FROM devices WHERE device_id IN ({_in(ids)})"  # noqa: S608
        return {row[0]: (row[1], row[2]) for row in self._conn.db.execute(sql, ids).fetchall()}

    def configs(self, device_ids: Iterable[str]) -> dict[str, DeviceConfig]:
        """The config of each device that has one."""
        ids = list(set(device_ids))
        if not ids:
            return {}
        sql = f"SELECT device_id, config FROM devices WHERE device_id IN ({_in(ids)}) AND config IS NOT NULL"  # noqa: S608
        return {row[0]: parsed_config(row[1]) for row in self._conn.db.execute(sql, ids).fetchall()}

    def note_seen(self, device_ids: Iterable[str], at: str) -> None:
        """A device that sent ratings was seen (an unknown one gets a row, listed unassigned)."""
        with self._conn.transaction() as db:
            for device_id in set(device_ids):
                db.execute(
                    "INSERT INTO devices (device_id, first_seen, last_seen) VALUES (?, ?, ?) "
                    "ON CONFLICT(device_id) DO UPDATE SET last_seen = excluded.last_seen",
                    [device_id, at, at],
                )

    def note_conflicts(self, device_ids: Iterable[str]) -> None:
        """Count one conflict (a known id sent again with other content) per device named."""
        counts = Counter(device_ids)
        if not counts:
            return
        with self._conn.transaction() as db:
            for device_id, n in counts.items():
                db.execute("UPDATE devices SET conflicts = conflicts + ? WHERE device_id = ?", [n, device_id])

    def note_clock_skew(self, device_id: str, skew_s: float, at: str | None = None) -> None:
        """The latest measure of how far the device clock is ahead (negative: behind), and when."""
        with self._conn.transaction() as db:
            db.execute(
                "UPDATE devices SET clock_skew_s = ?, clock_skew_at = ? WHERE device_id = ?", [skew_s, at, device_id]
            )

    def clock_skews(self, device_ids: Iterable[str]) -> dict[str, float]:
        """The latest stored measure of each device's clock (seconds ahead), for those measured."""
        ids = list(set(device_ids))
        if not ids:
            return {}
        sql = (
            f"SELECT device_id, clock_skew_s FROM devices WHERE device_id IN ({_in(ids)}) "  # noqa: S608
            "AND clock_skew_s IS NOT NULL"
        )
        return {row[0]: row[1] for row in self._conn.db.execute(sql, ids).fetchall()}

    def seq_runs(self, device_ids: Iterable[str]) -> dict[str, int]:
        """The current run of seq of each known device."""
        ids = list(set(device_ids))
        if not ids:
            return {}
        sql = f"SELECT device_id, seq_run FROM devices WHERE device_id IN ({_in(ids)})"  # noqa: S608
        return {row[0]: row[1] for row in self._conn.db.execute(sql, ids).fetchall()}

    def note_resets(self, resets: Iterable[SeqReset], at: str) -> None:
        """A device counting seq again: a new run, counted, with an event saying where it began."""
        with self._conn.transaction() as db:
            for reset in resets:
                db.execute(
                    "UPDATE devices SET seq_run = ?, seq_resets = seq_resets + 1, last_reset_at = ? "
                    "WHERE device_id = ?",
                    [reset.run, at, reset.device_id],
                )
                data = {"seq": reset.seq, "rating_id": reset.rating_id, "run": reset.run}
                self.log_event(reset.device_id, "seq_reset", "collector", at, data)

    def record_status(self, device_id: str, status: Status, received_at: str, *, live: bool) -> None:
        """Apply a device's (possibly retained) status to the registry."""
        with self._conn.transaction() as db:
            db.execute(
                "INSERT INTO devices (device_id, first_seen) VALUES (?, ?) ON CONFLICT(device_id) DO NOTHING",
                [device_id, received_at],
            )
            db.execute(
                "UPDATE devices SET state = ?, status_at = coalesce(?, status_at), "
                "outbox = coalesce(?, outbox), employee_id = CASE WHEN ? = 'online' THEN ? ELSE employee_id END, "
                "app_version = coalesce(?, app_version), reported_seq = coalesce(?, reported_seq), "
                "outbox_replaced_at = coalesce(?, outbox_replaced_at), "
                "last_seen = CASE WHEN ? THEN ? ELSE last_seen END WHERE device_id = ?",
                [
                    status.state,
                    status.at,
                    status.outbox,
                    status.state,
                    status.employee_id,
                    status.app_version,
                    status.last_seq,
                    status.outbox_replaced_at,
                    int(live),
                    received_at,
                    device_id,
                ],
            )
            note_health(db, device_id, status)

    # --- registry ------------------------------------------------------------

    def register(self, device_id: str, config: DeviceConfig, now: str) -> None:
        with self._conn.transaction() as db:
            db.execute(
                "INSERT INTO devices (device_id, site_id, desk_id, config, provisioned, first_seen) "
                "VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT(device_id) DO UPDATE SET site_id = excluded.site_id, "
                "desk_id = excluded.desk_id, config = excluded.config, provisioned = 1, revoked_at = NULL",
                [device_id, config.site_id, config.desk_id, config.model_dump_json(), now],
            )

    def config(self, device_id: str) -> DeviceConfig | None:
        row = self._conn.db.execute("SELECT config FROM devices WHERE device_id = ?", [device_id]).fetchone()
        return DeviceConfig.model_validate_json(row[0]) if row and row[0] else None

    def get(self, device_id: str) -> dict[str, Any] | None:
        """The device's row as stored, or None."""
        rows = list(self._conn.db.query("SELECT * FROM devices WHERE device_id = ?", [device_id]))
        return rows[0] if rows else None

    def all(self, sites: list[str] | None = None) -> list[dict[str, Any]]:
        """Every device with its desk, state, seq history (gaps, jumps and resets) and health (device_health.py)."""
        sql, params = "SELECT * FROM devices", []
        if sites is not None:
            sql += f" WHERE site_id IN ({_in(sites)})"
            params += sites
        devices = list(self._conn.db.query(sql + " ORDER BY site_id, desk_id, device_id", params))
        history = SeqHistory(self._conn).by_device()  # one row per device and run, kept as ratings arrive
        result = []
        for row in devices:
            seen = history.get(row["device_id"], {})
            row["ratings"] = seen.get("ratings", 0)
            row["last_seq"] = seen.get("runs", {}).get(row["seq_run"], 0)
            row["gaps"] = seen.get("gaps", 0)
            row["seq_jumps"] = seen.get("jumps", 0)
            row["assigned"] = bool(row.pop("provisioned")) and row["site_id"] is not None
            row["config"] = json.loads(row["config"]) if row["config"] else None
            row["clock_off"] = clock_off(row["clock_skew_s"])  # the rule: collector/ingest/clock_skew.py
            result.append(health_of(row))
        return result

    def placed(self, sites: list[str] | None = None) -> list[dict[str, Any]]:
        """Every device with its site, desk and config only: what pages and reports name them by.

        ``all`` also reads each device's seq history (store/seq_history.py).
        """
        sql, params = "SELECT device_id, site_id, desk_id, config FROM devices", []
        if sites is not None:
            sql += f" WHERE site_id IN ({_in(sites)})"
            params += sites
        rows = list(self._conn.db.query(sql + " ORDER BY site_id, desk_id, device_id", params))
        for row in rows:
            row["config"] = json.loads(row["config"]) if row["config"] else None
        return rows

    def site_ids(self) -> list[str]:
        """Every site some device is assigned to."""
        rows = self._conn.db.execute(
            "SELECT DISTINCT site_id FROM devices WHERE site_id IS NOT NULL ORDER BY site_id"
        ).fetchall()
        return [r[0] for r in rows]

    def active_at(self, site_id: str, desk_id: str) -> list[str]:
        """Provisioned, unrevoked devices serving that desk."""
        rows = self._conn.db.execute(
            "SELECT device_id FROM devices WHERE site_id = ? AND desk_id = ? AND provisioned = 1 "
            "AND revoked_at IS NULL ORDER BY device_id",
            [site_id, desk_id],
        ).fetchall()
        return [r[0] for r in rows]

    def serving(self, site_id: str) -> list[tuple[str, DeviceConfig]]:
        """Provisioned, unrevoked devices of a site that have a config, with it (for republishing)."""
        rows = self._conn.db.execute(
            "SELECT device_id, config FROM devices WHERE site_id = ? AND provisioned = 1 "
            "AND revoked_at IS NULL AND config IS NOT NULL ORDER BY device_id",
            [site_id],
        ).fetchall()
        return [(r[0], DeviceConfig.model_validate_json(r[1])) for r in rows]

    def overview(self) -> list[dict[str, Any]]:
        """Every configured desk and every device ever provisioned, with state (for `provision list`)."""
        sql = (
            "SELECT * FROM (SELECT k.site_id, k.section_id, k.desk_id, d.device_id, d.state, d.last_seen, "
            "d.revoked_at FROM desks k LEFT JOIN devices d ON d.site_id = k.site_id AND d.desk_id = k.desk_id "
            "UNION ALL SELECT d.site_id, json_extract(d.config, '$.section'), d.desk_id, d.device_id, d.state, "
            "d.last_seen, d.revoked_at FROM devices d WHERE d.provisioned = 1 AND NOT EXISTS "
            "(SELECT 1 FROM desks k WHERE k.site_id = d.site_id AND k.desk_id = d.desk_id)) "
            "ORDER BY site_id, desk_id, revoked_at IS NOT NULL, device_id"
        )
        return list(self._conn.db.query(sql))

    # --- provisioning --------------------------------------------------------

    def provision(
        self, device_id: str, config: DeviceConfig, actor: str, now: str, data: dict[str, Any] | None = None
    ) -> None:
        """Register a new device for its desk and log who did it."""
        if self.get(device_id) is not None:
            raise StoreError(f"device {device_id} already exists; device ids are never reused")
        self.register(device_id, config, now)
        self.log_event(device_id, "provisioned", actor, now, data or {})

    def revoke(self, device_id: str, actor: str, now: str, data: dict[str, Any] | None = None) -> None:
        """Mark a device revoked; its ratings and its desk assignment stay (they are history)."""
        with self._conn.transaction() as db:
            db.execute("UPDATE devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL", [now, device_id])
        self.log_event(device_id, "revoked", actor, now, data or {})

    def log_event(self, device_id: str, kind: str, actor: str, now: str, data: dict[str, Any]) -> None:
        with self._conn.transaction() as db:
            db.execute(
                "INSERT INTO device_events (device_id, at, actor, kind, data) VALUES (?, ?, ?, ?, ?)",
                [device_id, now, actor, kind, json.dumps(data, sort_keys=True)],
            )

    def events(self, device_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The newest provisioning events first."""
        sql, params = "SELECT * FROM device_events", []
        if device_id is not None:
            sql += " WHERE device_id = ?"
            params.append(device_id)
        return [
            {**r, "data": json.loads(r["data"])}
            for r in self._conn.db.query(sql + " ORDER BY id DESC LIMIT ?", [*params, limit])
        ]
