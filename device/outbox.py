"""The device's durable outbox: the only module on the device that talks to SQLite.

A tap becomes a committed, fsynced row (``synchronous=FULL``) before the
kiosk says thank you, with the next ``seq`` taken in the same transaction, so
neither a rating nor a sequence number survives a power cut half-made. A
rating leaves the outbox only when the collector's Ack names it (or rejects
it, in which case it is kept in ``rejected`` for staff to see).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig, Rating

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rejected (
    id TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    error TEXT NOT NULL,
    rejected_at TEXT NOT NULL
);
"""


class Outbox:
    """Thread-safe: the kiosk thread adds, the MQTT thread removes."""

    def __init__(self, path: Path, device_id: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.device_id = device_id
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.executescript(_SCHEMA)
        owner = self._get_meta("device_id")
        if owner is None:
            self._set_meta("device_id", device_id)
        elif owner != device_id:
            self._conn.close()
            raise ValueError(f"outbox {path} belongs to device {owner!r}, not {device_id!r}; use another data_dir")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def add(
        self,
        *,
        score: int,
        employee_id: str | None,
        reasons: Iterable[str] = (),
        visit_id: str | None = None,
        lang: str = "ar",
        now: datetime | None = None,
    ) -> Rating:
        """Make a rating durable and return it; raises if it breaks the contract."""
        moment = now or datetime.now(UTC)
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                seq = int(self._get_meta("last_seq") or 0) + 1
                rating = Rating(
                    id=str(uuid7(int(moment.timestamp() * 1000))),
                    seq=seq,
                    device_id=self.device_id,
                    employee_id=employee_id,
                    score=score,
                    reasons=list(reasons),
                    visit_id=visit_id,
                    lang=lang,  # type: ignore[arg-type]
                    created_at=format_time(moment),
                )
                self._set_meta("last_seq", str(seq))
                self._conn.execute("DELETE FROM meta WHERE key = 'held'")
                self._conn.execute(
                    "INSERT INTO outbox (seq, id, payload, created_at) VALUES (?, ?, ?, ?)",
                    (seq, rating.id, rating.model_dump_json(), rating.created_at),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return rating

    def hold(self, tap: dict[str, object]) -> None:
        """Keep a tap whose reasons are still being chosen, so a power cut cannot lose it.

        The next ``add`` clears it; ``take_held`` returns one that no ``add`` followed.
        """
        with self._lock:
            self._set_meta("held", json.dumps(tap))

    def clear_held(self) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM meta WHERE key = 'held'")

    def take_held(self) -> dict[str, object] | None:
        with self._lock:
            text = self._get_meta("held")
        return None if text is None else dict(json.loads(text))

    def pending(self, limit: int = 100, after_seq: int = 0) -> list[Rating]:
        """Unacknowledged ratings, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?", (after_seq, limit)
            ).fetchall()
        return [Rating.model_validate_json(row[0]) for row in rows]

    def depth(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def last_seq(self) -> int:
        with self._lock:
            return int(self._get_meta("last_seq") or 0)

    def remove(self, ids: Iterable[str]) -> int:
        """Forget ratings the collector has acknowledged; returns how many were here."""
        id_list = list(ids)
        if not id_list:
            return 0
        with self._lock:
            cursor = self._conn.executemany("DELETE FROM outbox WHERE id = ?", [(i,) for i in id_list])
            return cursor.rowcount

    def reject(self, rating_id: str, error: str) -> bool:
        """Move a rating the collector refused out of the outbox into ``rejected``."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            row = self._conn.execute("SELECT payload FROM outbox WHERE id = ?", (rating_id,)).fetchone()
            if row is not None:
                self._conn.execute(
                    "INSERT OR REPLACE INTO rejected (id, payload, error, rejected_at) VALUES (?, ?, ?, ?)",
                    (rating_id, row[0], error, format_time(datetime.now(UTC))),
                )
                self._conn.execute("DELETE FROM outbox WHERE id = ?", (rating_id,))
            self._conn.execute("COMMIT")
        return row is not None

    def rejected(self) -> list[dict[str, str]]:
        with self._lock:
            rows = self._conn.execute("SELECT id, payload, error, rejected_at FROM rejected ORDER BY rejected_at")
            return [dict(zip(("id", "payload", "error", "rejected_at"), row, strict=True)) for row in rows]

    def save_config(self, config: DeviceConfig) -> None:
        with self._lock:
            self._set_meta("config", config.model_dump_json())

    def load_config(self) -> DeviceConfig | None:
        with self._lock:
            text = self._get_meta("config")
        return None if text is None else DeviceConfig.model_validate_json(text)

    def get_setting(self, key: str) -> str | None:
        """Small device state kept across restarts (e.g. the signed-in employee)."""
        with self._lock:
            return self._get_meta(f"setting:{key}")

    def set_setting(self, key: str, value: str | None) -> None:
        with self._lock:
            if value is None:
                self._conn.execute("DELETE FROM meta WHERE key = ?", (f"setting:{key}",))
            else:
                self._set_meta(f"setting:{key}", value)

