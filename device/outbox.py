"""The device's durable outbox: the only module on the device that talks to SQLite.

A tap becomes a committed, fsynced row (``synchronous=FULL``) before the
kiosk says thank you, with the next ``seq`` taken in the same transaction, so
neither a rating nor a sequence number survives a power cut half-made. A
rating leaves the outbox only when the collector's Ack names it (or rejects
it, in which case it is kept in ``rejected`` for staff to see).

Sign-ins and sign-outs (Presence, contract 1.1) wait in the ``presence`` table
the same way; each is written in one transaction with the signed-in employee it
sets, so after a power cut the desk's state and the queued messages agree.

A damaged outbox file does not stop the desk: at start the file is checked
(``PRAGMA quick_check``), and a damaged one is moved aside for IT
(``outbox.db.damaged-<time>``) and a fresh outbox started whose ``seq``
continues above the high-water mark kept beside it (``device/seqmark.py``), so
no id or seq is ever reused.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from device.seqmark import BLOCK, mark_path, read_mark, write_mark
from shared.clock import format_time, uuid7
from shared.contract import MAX_SEQ, DeviceConfig, Presence, Rating

log = logging.getLogger("taqyeem.device.outbox")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS presence (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rejected (
    id TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    error TEXT NOT NULL,
    rejected_at TEXT NOT NULL
);
"""


def is_healthy(path: Path) -> bool:
    """Whether SQLite finds the outbox file sound; stops at the first problem it meets."""
    try:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            return conn.execute("PRAGMA quick_check(1)").fetchall() == [("ok",)]
        finally:
            conn.close()
    except sqlite3.DatabaseError:  # "file is not a database", "database disk image is malformed"
        return False


def salvage_last_seq(path: Path) -> int | None:
    """The highest seq still readable in a damaged outbox, best effort (None if nothing is)."""
    found: list[int] = []
    for sql in ("SELECT value FROM meta WHERE key = 'last_seq'", "SELECT max(seq) FROM outbox"):
        with contextlib.suppress(sqlite3.Error, ValueError, TypeError):
            conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            try:
                found.append(int(conn.execute(sql).fetchone()[0]))
            finally:
                conn.close()
    found = [seq for seq in found if 0 <= seq <= MAX_SEQ]
    return max(found) if found else None


def set_aside(path: Path, now: datetime) -> Path:
    """Move a damaged outbox and its WAL files to ``<name>.damaged-<time>`` (kept for IT)."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    for suffix in ("-wal", "-shm", ""):
        part = path.with_name(path.name + suffix)
        if part.exists():
            part.rename(target.with_name(target.name + suffix))
    return target


class Outbox:
    """Thread-safe: the kiosk thread adds, the MQTT thread removes."""

    def __init__(self, path: Path, device_id: str, *, now: datetime | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.device_id = device_id
        self.path = path
        self._lock = threading.Lock()
        self._mark_path = mark_path(path)
        self.set_aside_as: Path | None = None  # where a damaged outbox went at this start, if one did
        floor = None
        if path.exists() and not is_healthy(path):
            floor = self._replace_damaged(path, now or datetime.now(UTC))
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA secure_delete=ON")  # an acked callback number is overwritten, not left behind
        self._conn.executescript(_SCHEMA)
        owner = self._get_meta("device_id")
        if owner is None:
            self._set_meta("device_id", device_id)
        elif owner != device_id:
            self._conn.close()
            raise ValueError(f"outbox {path} belongs to device {owner!r}, not {device_id!r}; use another data_dir")
        if floor is not None and self.set_aside_as is not None:
            self._set_meta("last_seq", str(floor))
            self._set_meta("replaced_at", format_time(now or datetime.now(UTC)))
            self._set_meta("replaced_file", self.set_aside_as.name)
        self._mark = read_mark(self._mark_path) or 0
        last = int(self._get_meta("last_seq") or 0)
        if self._mark < last:  # an outbox from before marks, or a mark file lost: catch up now
            write_mark(self._mark_path, last)
            self._mark = last

    def _replace_damaged(self, path: Path, now: datetime) -> int:
        """Set a damaged outbox aside; returns the seq the fresh one continues from."""
        known = [seq for seq in (read_mark(self._mark_path), salvage_last_seq(path)) if seq is not None]
        # Without a mark or a readable count, the time in milliseconds is above any seq this
        # device can have used (it would need a rating every millisecond since 1970).
        floor = max(known) if known else int(now.timestamp() * 1000)
        self.set_aside_as = set_aside(path, now)
        log.error(
            "outbox %s was damaged; moved it to %s for IT and started a fresh one; seq continues after %d",
            path,
            self.set_aside_as,
            floor,
        )
        return floor

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
        answers: Mapping[str, str | int] | None = None,
        callback_phone: str | None = None,
    ) -> Rating:
        """Make a rating durable (with the survey's ``answers``, if asked) and return it; raises on a contract break.

        ``callback_phone``: the number a visitor gave to be called back about a negative rating (PROTOCOL 1.2); it
        leaves the tablet with the rating and is gone from it once the collector acknowledges the rating.
        """
        moment = now or datetime.now(UTC)
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                seq = int(self._get_meta("last_seq") or 0) + 1
                if seq > self._mark:  # the mark goes ahead first, so it always covers every seq used
                    write_mark(self._mark_path, seq + BLOCK - 1)
                    self._mark = seq + BLOCK - 1
                rating = Rating(
                    id=str(uuid7(int(moment.timestamp() * 1000))),
                    seq=seq,
                    device_id=self.device_id,
                    employee_id=employee_id,
                    score=score,
                    reasons=list(reasons),
                    visit_id=visit_id,
                    lang=lang,
                    created_at=format_time(moment),
                    answers=dict(answers or {}),
                    callback_phone=callback_phone,
                )
                self._set_meta("last_seq", str(seq))
                self._set_meta("last_rating_at", rating.created_at)
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
        """Keep a tap whose reasons or survey answers are still being chosen, so a power cut cannot lose it.

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

    def change_presence(self, events: Iterable[Presence], employee_id: str | None, signed_in_at: str | None) -> None:
        """Queue sign-ins and sign-outs and set who is signed in since when, in one fsynced transaction."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    "INSERT INTO presence (id, payload, at) VALUES (?, ?, ?)",
                    [(event.id, event.model_dump_json(), event.at) for event in events],
                )
                for key, value in (("employee_id", employee_id), ("signed_in_at", signed_in_at)):
                    if value is None:
                        self._conn.execute("DELETE FROM meta WHERE key = ?", (f"setting:{key}",))
                    else:
                        self._set_meta(f"setting:{key}", value)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def pending_presence(self, limit: int = 100) -> list[Presence]:
        """Unacknowledged sign-ins and sign-outs, in the order they happened."""
        with self._lock:
            rows = self._conn.execute("SELECT payload FROM presence ORDER BY n LIMIT ?", (limit,)).fetchall()
        return [Presence.model_validate_json(row[0]) for row in rows]

    def depth(self) -> int:
        """Ratings waiting for an Ack (what Status.outbox reports; Presence is counted by ``presence_depth``)."""
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def presence_depth(self) -> int:
        """Sign-ins and sign-outs waiting for an Ack."""
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM presence").fetchone()[0])

    def last_seq(self) -> int:
        with self._lock:
            return int(self._get_meta("last_seq") or 0)

    def last_rating_at(self) -> str | None:
        """When the newest rating was stored (its created_at), acknowledged or not; None before the first."""
        with self._lock:
            return self._get_meta("last_rating_at")

    def remove(self, ids: Iterable[str]) -> int:
        """Forget ratings and Presence the collector has acknowledged; returns how many were here."""
        id_list = [(i,) for i in ids]
        if not id_list:
            return 0
        with self._lock:
            removed = self._conn.executemany("DELETE FROM outbox WHERE id = ?", id_list).rowcount
            return removed + self._conn.executemany("DELETE FROM presence WHERE id = ?", id_list).rowcount

    def reject(self, message_id: str, error: str) -> bool:
        """Move a rating or Presence the collector refused out of the outbox into ``rejected``."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            row = None
            for table in ("outbox", "presence"):
                row = self._conn.execute(f"SELECT payload FROM {table} WHERE id = ?", (message_id,)).fetchone()  # noqa: S608 - fixed names
                if row is not None:
                    self._conn.execute(
                        "INSERT OR REPLACE INTO rejected (id, payload, error, rejected_at) VALUES (?, ?, ?, ?)",
                        (message_id, row[0], error, format_time(datetime.now(UTC))),
                    )
                    self._conn.execute(f"DELETE FROM {table} WHERE id = ?", (message_id,))  # noqa: S608 - fixed names
                    break
            self._conn.execute("COMMIT")
        return row is not None

    def rejected(self) -> list[dict[str, str]]:
        with self._lock:
            rows = self._conn.execute("SELECT id, payload, error, rejected_at FROM rejected ORDER BY rejected_at")
            return [dict(zip(("id", "payload", "error", "rejected_at"), row, strict=True)) for row in rows]

    def replaced_at(self) -> str | None:
        """When this outbox was started fresh in place of a damaged one, if it was."""
        with self._lock:
            return self._get_meta("replaced_at")

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
