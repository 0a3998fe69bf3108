"""The employee registry: staff numbers, names, site and section, active, PIN hashes, and who changed them.

An employee is never deleted (ratings keep their id): one who left is made
inactive. ``pin_hash`` is a salted slow hash made by the caller (shared/pins.py);
the store never sees a PIN, and ``rows`` never returns the hash, only whether
one is set. ``staff`` returns the hashes: it is what a desk's DeviceConfig carries.
``staff_hashes_sent`` records which device was sent whose hash (``note_hashes_sent``),
so the PINs a lost tablet held can be withdrawn (``withdraw_pins``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from collector.store.connection import Connection

CHUNK = 500  # ids per IN (...): well under SQLite's limit of bound parameters
FIELDS = ("name_ar", "name_en", "site_id", "section_id", "active")  # what a source (file, CSV, API) sets
_PUBLIC = "employee_id, name_ar, name_en, site_id, section_id, active, pin_hash IS NOT NULL AS pin_set, pin_set_at"


def _marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "active": bool(row["active"]), "pin_set": bool(row["pin_set"])}


class Employees:
    """The ``employees`` and ``employee_events`` tables."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def rows(self, sites: list[str] | None = None, site_id: str | None = None) -> list[dict[str, Any]]:
        """Every employee (of ``sites``, of ``site_id``) by id, with ``pin_set`` instead of the hash."""
        sql, params = f"SELECT {_PUBLIC} FROM employees WHERE 1 = 1", []  # noqa: S608 - constants
        if sites is not None:
            sql += f" AND site_id IN ({_marks(sites)})"
            params += sites
        if site_id is not None:
            sql += " AND site_id = ?"
            params.append(site_id)
        return [_public(r) for r in self._conn.db.query(sql + " ORDER BY employee_id", params)]

    def get(self, employee_id: str) -> dict[str, Any] | None:
        found = list(self._conn.db.query(f"SELECT {_PUBLIC} FROM employees WHERE employee_id = ?", [employee_id]))  # noqa: S608
        return _public(found[0]) if found else None

    def state(self) -> dict[str, dict[str, Any]]:
        """Every employee's row as stored (the hash included) by id: what a plan compares with."""
        return {r["employee_id"]: r for r in self._conn.db.query("SELECT * FROM employees")}

    def names(self, employee_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """(Arabic, English) name of each id that is registered: one query per 500 ids."""
        ids = sorted({i for i in employee_ids if i})
        found: dict[str, tuple[str, str]] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            sql = f"SELECT employee_id, name_ar, name_en FROM employees WHERE employee_id IN ({_marks(chunk)})"  # noqa: S608
            found.update({r[0]: (r[1], r[2]) for r in self._conn.db.execute(sql, chunk).fetchall()})
        return found

    def staff(self, site_id: str) -> list[dict[str, Any]]:
        """The active employees of a site with their section and PIN hashes (None: not set yet), by id."""
        sql = (
            "SELECT employee_id, name_ar, name_en, section_id, pin_hash, pin_withdrawn_at FROM employees "
            "WHERE site_id = ? AND active = 1 ORDER BY employee_id"
        )
        return list(self._conn.db.query(sql, [site_id]))

    def save(self, rows: list[dict[str, Any]], actor: str, now: str, kind: str = "saved") -> None:
        """Create or update employees (``employee_id`` and ``FIELDS``; a PIN hash is kept) and log each change."""
        with self._conn.transaction() as db:
            for row in rows:
                values = {k: row[k] for k in FIELDS}
                values["active"] = int(bool(values["active"]))
                db.execute(
                    "INSERT INTO employees (employee_id, name_ar, name_en, site_id, section_id, active, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(employee_id) DO UPDATE SET name_ar = excluded.name_ar, "
                    "name_en = excluded.name_en, site_id = excluded.site_id, section_id = excluded.section_id, "
                    "active = excluded.active, updated_at = excluded.updated_at",
                    [row["employee_id"], *values.values(), now],
                )
                self.log_event(row["employee_id"], kind, actor, now, values)

    def set_pin(self, employee_id: str, pin_hash: str, actor: str, now: str) -> bool:
        """Store a new PIN hash; False when no such employee. The log says who, never the hash."""
        with self._conn.transaction() as db:
            cursor = db.execute(
                "UPDATE employees SET pin_hash = ?, pin_set_at = ?, pin_withdrawn_at = NULL, updated_at = ? "
                "WHERE employee_id = ?",
                [pin_hash, now, now, employee_id],
            )
            if not cursor.rowcount:
                return False
            self.log_event(employee_id, "pin_set", actor, now, {})
        return True

    def note_hashes_sent(self, device_id: str, employee_ids: Iterable[str], now: str) -> None:
        """Record that a config carrying these employees' PIN hashes was published to ``device_id``."""
        rows = [[device_id, employee_id, now, now] for employee_id in sorted(set(employee_ids))]
        with self._conn.transaction() as db:
            db.conn.executemany(
                "INSERT INTO staff_hashes_sent (device_id, employee_id, first_sent_at, last_sent_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (device_id, employee_id) "
                "DO UPDATE SET last_sent_at = excluded.last_sent_at",
                rows,
            )

    def hashes_held_by(self, device_id: str) -> list[str]:
        """The employees whose current PIN hash was sent to ``device_id`` (set no later than its last sending)."""
        sql = (
            "SELECT e.employee_id FROM staff_hashes_sent s JOIN employees e ON e.employee_id = s.employee_id "
            "WHERE s.device_id = ? AND e.pin_hash IS NOT NULL AND e.pin_set_at <= s.last_sent_at ORDER BY e.employee_id"
        )
        return [r[0] for r in self._conn.db.execute(sql, [device_id]).fetchall()]

    def withdraw_pins(self, employee_ids: list[str], device_id: str, actor: str, now: str) -> None:
        """Forget these employees' PIN hashes (a lost tablet held them); each must set a new PIN. Logged."""
        with self._conn.transaction() as db:
            for employee_id in employee_ids:
                db.execute(
                    "UPDATE employees SET pin_hash = NULL, pin_withdrawn_at = ?, updated_at = ? WHERE employee_id = ?",
                    [now, now, employee_id],
                )
                self.log_event(employee_id, "pin_withdrawn", actor, now, {"lost_device": device_id})

    def log_event(self, employee_id: str, kind: str, actor: str, now: str, data: dict[str, Any]) -> None:
        with self._conn.transaction() as db:
            db.execute(
                "INSERT INTO employee_events (employee_id, at, actor, kind, data) VALUES (?, ?, ?, ?, ?)",
                [employee_id, now, actor, kind, json.dumps(data, ensure_ascii=False, sort_keys=True)],
            )

    def events(self, employee_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The newest changes first."""
        sql, params = "SELECT * FROM employee_events", []
        if employee_id is not None:
            sql += " WHERE employee_id = ?"
            params.append(employee_id)
        return [
            {**r, "data": json.loads(r["data"])}
            for r in self._conn.db.query(sql + " ORDER BY id DESC LIMIT ?", [*params, limit])
        ]
