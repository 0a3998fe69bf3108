"""The collector's SQLite store: the only module on the collector that runs SQL.

Schema changes are numbered migrations. Ratings are never updated or deleted;
reviews keep an append-only history. One writer thread writes (ingest); web
and API requests read through their own connections (WAL lets them run side by
side).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from shared.contract import DEFAULT_NEGATIVE_MAX_SCORE, DeviceConfig, Rating, Status

MIGRATIONS: list[str] = [
    # 1: the spine
    """
    CREATE TABLE ratings (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        employee_id TEXT,
        score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
        reasons TEXT NOT NULL DEFAULT '[]',
        visit_id TEXT,
        lang TEXT,
        created_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        site_id TEXT,
        desk_id TEXT,
        negative INTEGER NOT NULL
    );
    CREATE INDEX ratings_created ON ratings (created_at, id);
    CREATE INDEX ratings_device_seq ON ratings (device_id, seq);
    CREATE INDEX ratings_site_created ON ratings (site_id, created_at);
    CREATE INDEX ratings_employee ON ratings (employee_id, created_at);
    CREATE TABLE dead_letters (
        id INTEGER PRIMARY KEY,
        topic TEXT NOT NULL,
        device_id TEXT,
        payload BLOB NOT NULL,
        reason TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
    CREATE TABLE reviews (
        rating_id TEXT PRIMARY KEY REFERENCES ratings(id),
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        closed_by TEXT,
        cause TEXT,
        action TEXT,
        note TEXT
    );
    CREATE INDEX reviews_status ON reviews (status, opened_at);
    CREATE TABLE review_events (
        id INTEGER PRIMARY KEY,
        rating_id TEXT NOT NULL REFERENCES ratings(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX review_events_rating ON review_events (rating_id, id);
    CREATE TABLE devices (
        device_id TEXT PRIMARY KEY,
        site_id TEXT,
        desk_id TEXT,
        config TEXT,
        provisioned INTEGER NOT NULL DEFAULT 0,
        revoked_at TEXT,
        state TEXT NOT NULL DEFAULT 'unknown',
        status_at TEXT,
        last_seen TEXT,
        outbox INTEGER,
        employee_id TEXT,
        app_version TEXT,
        reported_seq INTEGER,
        clock_skew_s REAL,
        first_seen TEXT
    );
    CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'viewer')),
        sites TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    """,
]

RATING_COLUMNS = (
    "id", "device_id", "seq", "employee_id", "score", "reasons", "visit_id", "lang",
    "created_at", "received_at", "site_id", "desk_id", "negative",
)


class StoreError(RuntimeError):
    """The database cannot be used; the text says why and what to do."""


def open_database(path: Path) -> Database:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Closed by Store.close from whichever thread stops the program.
    db = Database(sqlite3.connect(path, check_same_thread=False))
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across a process crash
    db.execute("PRAGMA busy_timeout=5000")
    db.execute("PRAGMA foreign_keys=ON")
    return db


def migrate(db: Database) -> int:
    """Apply pending migrations; returns the schema version."""
    db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
    current = db.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
    if current > len(MIGRATIONS):
        raise StoreError(f"database schema v{current} is newer than this collector (v{len(MIGRATIONS)}); upgrade it")
    for version in range(current + 1, len(MIGRATIONS) + 1):
        with db.atomic():
            for statement in MIGRATIONS[version - 1].split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?, datetime('now'))", [version]
            )
    return len(MIGRATIONS)


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    device_id: str | None
    payload: bytes
    reason: str


@dataclass(frozen=True)
class StoredBatch:
    new_rating_ids: list[str]
    duplicate_ids: list[str]
    negatives: list[dict[str, Any]]  # newly stored negative ratings (their reviews were opened)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def encode_cursor(created_at: str, rating_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([created_at, rating_id]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created_at, rating_id = json.loads(base64.urlsafe_b64decode(padded))
        return str(created_at), str(rating_id)
    except (ValueError, TypeError):
        raise ValueError("cursor is not one this API gave out; start again without it") from None


class Store:
    """One object per program; each thread gets its own SQLite connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Database] = []
        self._all_lock = threading.Lock()
        migrate(self.db)

    @property
    def db(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = open_database(self.path)
            self._local.db = db
            with self._all_lock:
                self._all.append(db)
        return db

    def close(self) -> None:
        with self._all_lock:
            for db in self._all:
                db.close()
            self._all.clear()
        self._local = threading.local()

    def ping(self) -> bool:
        return self.db.execute("SELECT 1").fetchone()[0] == 1

    # --- ingest (the writer thread) -----------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        with self.db.atomic() as db:
            yield db

    def device_rules(self, device_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """site, desk and negative threshold of each known device."""
        ids = list(set(device_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"SELECT device_id, site_id, desk_id, config FROM devices WHERE device_id IN ({marks})", ids  # noqa: S608
        ).fetchall()
        rules = {}
        for device_id, site_id, desk_id, config in rows:
            threshold = DEFAULT_NEGATIVE_MAX_SCORE
            if config:
                threshold = int(json.loads(config).get("negative_max_score", threshold))
            rules[device_id] = {"site_id": site_id, "desk_id": desk_id, "negative_max_score": threshold}
        return rules

    def store_batch(
        self, ratings: list[Rating], dead_letters: list[DeadLetter], received_at: str
    ) -> StoredBatch:
        """Store ratings idempotently (by id), dead letters, open reviews: one transaction."""
        with self.transaction() as db:
            ids = [r.id for r in ratings]
            existing: set[str] = set()
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                existing.update(
                    row[0] for row in db.execute(f"SELECT id FROM ratings WHERE id IN ({marks})", chunk)  # noqa: S608
                )
            rules = self.device_rules(r.device_id for r in ratings)
            rows, negatives, new_ids, seen = [], [], [], set()
            for rating in ratings:
                if rating.id in existing or rating.id in seen:
                    continue
                seen.add(rating.id)
                rule = rules.get(rating.device_id, {})
                threshold = rule.get("negative_max_score", DEFAULT_NEGATIVE_MAX_SCORE)
                row = {
                    "id": rating.id, "device_id": rating.device_id, "seq": rating.seq,
                    "employee_id": rating.employee_id, "score": rating.score,
                    "reasons": json.dumps(rating.reasons), "visit_id": rating.visit_id, "lang": rating.lang,
                    "created_at": rating.created_at, "received_at": received_at,
                    "site_id": rule.get("site_id"), "desk_id": rule.get("desk_id"),
                    "negative": int(rating.score <= threshold),
                }
                rows.append(row)
                new_ids.append(rating.id)
                if row["negative"]:
                    negatives.append(row)
            if rows:
                # Plain executemany: measured about twice as fast as insert_all for this hot path.
                marks = ", ".join("?" * len(RATING_COLUMNS))
                db.conn.executemany(
                    f"INSERT INTO ratings ({', '.join(RATING_COLUMNS)}) VALUES ({marks})",  # noqa: S608
                    [tuple(row[c] for c in RATING_COLUMNS) for row in rows],
                )
            if negatives:
                db.conn.executemany(
                    "INSERT INTO reviews (rating_id, status, opened_at) VALUES (?, 'open', ?)",
                    [(n["id"], received_at) for n in negatives],
                )
                db.conn.executemany(
                    "INSERT INTO review_events (rating_id, at, actor, kind, data) VALUES (?, ?, 'system', 'opened', '{}')",
                    [(n["id"], received_at) for n in negatives],
                )
            if dead_letters:
                db["dead_letters"].insert_all(
                    [{"topic": d.topic, "device_id": d.device_id, "payload": d.payload, "reason": d.reason,
                      "received_at": received_at} for d in dead_letters]
                )
            self._note_devices_seen(db, ratings, received_at)
        duplicates = [i for i in ids if i in existing]
        return StoredBatch(new_ids, duplicates, negatives)

    def _note_devices_seen(self, db: Database, ratings: list[Rating], received_at: str) -> None:
        for device_id in {r.device_id for r in ratings}:
            db.execute(
                "INSERT INTO devices (device_id, first_seen, last_seen) VALUES (?, ?, ?) "
                "ON CONFLICT(device_id) DO UPDATE SET last_seen = excluded.last_seen",
                [device_id, received_at, received_at],
            )

    def note_clock_skew(self, device_id: str, skew_s: float) -> None:
        self.db.execute("UPDATE devices SET clock_skew_s = ? WHERE device_id = ?", [skew_s, device_id])

    def record_status(self, device_id: str, status: Status, received_at: str, *, live: bool) -> None:
        """Apply a device's (possibly retained) status to the registry."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO devices (device_id, first_seen) VALUES (?, ?) ON CONFLICT(device_id) DO NOTHING",
                [device_id, received_at],
            )
            db.execute(
                "UPDATE devices SET state = ?, status_at = coalesce(?, status_at), "
                "outbox = coalesce(?, outbox), employee_id = CASE WHEN ? = 'online' THEN ? ELSE employee_id END, "
                "app_version = coalesce(?, app_version), reported_seq = coalesce(?, reported_seq), "
                "last_seen = CASE WHEN ? THEN ? ELSE last_seen END WHERE device_id = ?",
                [status.state, status.at, status.outbox, status.state, status.employee_id, status.app_version,
                 status.last_seq, int(live), received_at, device_id],
            )

    def add_dead_letter(self, letter: DeadLetter, received_at: str) -> None:
        with self.transaction() as db:
            db["dead_letters"].insert(
                {"topic": letter.topic, "device_id": letter.device_id, "payload": letter.payload,
                 "reason": letter.reason, "received_at": received_at}
            )

    # --- devices -------------------------------------------------------------

    def register_device(self, device_id: str, config: DeviceConfig, now: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO devices (device_id, site_id, desk_id, config, provisioned, first_seen) "
                "VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT(device_id) DO UPDATE SET site_id = excluded.site_id, "
                "desk_id = excluded.desk_id, config = excluded.config, provisioned = 1, revoked_at = NULL",
                [device_id, config.site_id, config.desk_id, config.model_dump_json(), now],
            )

    def device_config(self, device_id: str) -> DeviceConfig | None:
        row = self.db.execute("SELECT config FROM devices WHERE device_id = ?", [device_id]).fetchone()
        return DeviceConfig.model_validate_json(row[0]) if row and row[0] else None

    def devices(self, sites: list[str] | None = None) -> list[dict[str, Any]]:
        """Every device with its desk, state and seq gaps (ratings that never arrived)."""
        sql = (
            "SELECT d.*, coalesce(s.max_seq, 0) AS last_seq, coalesce(s.count, 0) AS ratings, "
            "coalesce(s.max_seq - s.distinct_seq, 0) AS gaps FROM devices d LEFT JOIN ("
            " SELECT device_id, max(seq) AS max_seq, count(DISTINCT seq) AS distinct_seq, count(*) AS count"
            " FROM ratings GROUP BY device_id) s USING (device_id)"
        )
        params: list[Any] = []
        if sites is not None:
            sql += f" WHERE d.site_id IN ({','.join('?' * len(sites))})"
            params += sites
        sql += " ORDER BY d.site_id, d.desk_id, d.device_id"
        result = []
        for row in self.db.query(sql, params):
            row["assigned"] = bool(row.pop("provisioned")) and row["site_id"] is not None
            row["config"] = json.loads(row["config"]) if row["config"] else None
            row["clock_off"] = row["clock_skew_s"] is not None and abs(row["clock_skew_s"]) > 60
            result.append(row)
        return result

    def seq_gaps(self, device_id: str, limit: int = 100) -> list[tuple[int, int]]:
        """Missing seq ranges (first, last) of one device."""
        rows = self.db.execute(
            "SELECT seq + 1, next - 1 FROM (SELECT seq, lead(seq) OVER (ORDER BY seq) AS next FROM "
            "(SELECT DISTINCT seq FROM ratings WHERE device_id = ?)) WHERE next > seq + 1 LIMIT ?",
            [device_id, limit],
        ).fetchall()
        first = self.db.execute("SELECT min(seq) FROM ratings WHERE device_id = ?", [device_id]).fetchone()[0]
        gaps = [(1, first - 1)] if first and first > 1 else []
        return gaps + [(int(a), int(b)) for a, b in rows]

    # --- reading -------------------------------------------------------------

    def ratings(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        site_id: str | None = None,
        desk_id: str | None = None,
        device_id: str | None = None,
        employee_id: str | None = None,
        negative: bool | None = None,
        sites: list[str] | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first; returns the page and the cursor of the next one (or None)."""
        where, params = [], []
        for column, value in (("site_id", site_id), ("desk_id", desk_id), ("device_id", device_id),
                              ("employee_id", employee_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if since is not None:
            where.append("created_at >= ?")
            params.append(since)
        if until is not None:
            where.append("created_at < ?")
            params.append(until)
        if negative is not None:
            where.append("negative = ?")
            params.append(int(negative))
        if sites is not None:
            where.append(f"site_id IN ({','.join('?' * len(sites))})")
            params += sites
        if cursor is not None:
            created_at, rating_id = decode_cursor(cursor)
            where.append("(created_at, id) < (?, ?)")
            params += [created_at, rating_id]
        sql = f"SELECT {', '.join(RATING_COLUMNS)} FROM ratings"  # noqa: S608 - columns are constants
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
        rows = [rating_row(r) for r in self.db.query(sql, [*params, limit + 1])]
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = encode_cursor(rows[-1]["created_at"], rows[-1]["id"])
        return rows, next_cursor

    def count_ratings(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM ratings").fetchone()[0])

    def reviews(
        self, *, status: str | None = None, date: str | None = None, sites: list[str] | None = None
    ) -> list[dict[str, Any]]:
        where, params = [], []
        if status is not None:
            where.append("v.status = ?")
            params.append(status)
        if date is not None:
            where.append("substr(r.created_at, 1, 10) = ?")
            params.append(date)
        if sites is not None:
            where.append(f"r.site_id IN ({','.join('?' * len(sites))})")
            params += sites
        sql = (
            f"SELECT v.*, {', '.join('r.' + c + ' AS r_' + c for c in RATING_COLUMNS)} "  # noqa: S608
            "FROM reviews v JOIN ratings r ON r.id = v.rating_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY r.created_at DESC"
        result = []
        for row in self.db.query(sql, params):
            rating = rating_row({c: row.pop("r_" + c) for c in RATING_COLUMNS})
            result.append({"rating": rating, "review": row})
        return result

    def dead_letters(self, limit: int = 100, before_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM dead_letters"
        params: list[Any] = []
        if before_id is not None:
            sql += " WHERE id < ?"
            params.append(before_id)
        sql += " ORDER BY id DESC LIMIT ?"
        rows = []
        for row in self.db.query(sql, [*params, limit]):
            payload = row["payload"]
            row["payload"] = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
            row["payload_bytes"] = len(payload)
            rows.append(row)
        return rows

    def count_dead_letters(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM dead_letters").fetchone()[0])

    # --- API tokens ----------------------------------------------------------

    def create_token(self, name: str, role: str, sites: list[str], now: str) -> str:
        token = "tq_" + secrets.token_urlsafe(32)
        with self.transaction() as db:
            db["api_tokens"].insert(
                {"name": name, "token_hash": hash_token(token), "role": role, "sites": json.dumps(sites),
                 "created_at": now}
            )
        return token

    def token_identity(self, token: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT name, role, sites FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
            [hash_token(token)],
        ).fetchone()
        if row is None:
            return None
        return {"name": row[0], "role": row[1], "sites": json.loads(row[2])}


def rating_row(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["reasons"] = json.loads(row["reasons"]) if isinstance(row.get("reasons"), str) else row.get("reasons")
    row["negative"] = bool(row["negative"])
    return row
