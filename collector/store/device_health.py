"""Each tablet's latest health (contract 1.1): free disk, temperature, and where it is with a release.

Kept in columns of ``devices`` (the step ``record_device_health``), written from every
Status by ``note_health`` inside ``Devices.record_status``'s transaction, and shaped for
readers by ``health_of`` (the four ``update_*`` columns become one ``update`` object).

- A Status with an ``at`` was made by the tablet just now: its free disk and temperature
  replace the stored ones, a ``null`` too (the tablet could not read it), and ``health_at``
  says when. The last will (``{"v": 1, "state": "offline"}``) has no ``at`` and no figures:
  the last measured ones stay, with their time.
- A Status with an ``update`` replaces the stored report whole (a new state may have no
  ``reason``); one without keeps it, so a rollback stays visible after the tablet restarts.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from collector.store.connection import run_statements
from shared.contract import Status

UPDATE_COLUMNS = ("version", "state", "reason", "at")


def record_device_health(db: Database) -> None:
    """Per device: the latest free disk, temperature (and when measured) and update report from its Status."""
    run_statements(
        db,
        "ALTER TABLE devices ADD COLUMN free_disk_mb INTEGER",
        "ALTER TABLE devices ADD COLUMN temperature_c REAL",
        "ALTER TABLE devices ADD COLUMN health_at TEXT",
        "ALTER TABLE devices ADD COLUMN update_version TEXT",
        "ALTER TABLE devices ADD COLUMN update_state TEXT",
        "ALTER TABLE devices ADD COLUMN update_reason TEXT",
        "ALTER TABLE devices ADD COLUMN update_at TEXT",
    )


def note_health(db: Database, device_id: str, status: Status) -> None:
    """Keep the health figures and update report this Status carries (see the module's rules)."""
    if status.at is not None:
        db.execute(
            "UPDATE devices SET free_disk_mb = ?, temperature_c = ?, health_at = ? WHERE device_id = ?",
            [status.free_disk_mb, status.temperature_c, status.at, device_id],
        )
    if status.update is not None:
        report = status.update
        db.execute(
            "UPDATE devices SET update_version = ?, update_state = ?, update_reason = ?, update_at = ? "
            "WHERE device_id = ?",
            [report.version, report.state, report.reason, report.at, device_id],
        )


def health_of(row: dict[str, Any]) -> dict[str, Any]:
    """A ``devices`` row with its ``update_*`` columns folded into ``update`` (None when never reported)."""
    report = {name: row.pop(f"update_{name}", None) for name in UPDATE_COLUMNS}
    row["update"] = report if report["version"] is not None else None
    return row
