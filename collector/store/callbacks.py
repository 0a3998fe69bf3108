"""The visitors' callback numbers, kept apart from their ratings (PROTOCOL 1.2): asked, called, erased."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from collector.store.connection import Connection, run_statements


def keep_callback_numbers_apart(db: Database) -> None:
    """``callbacks``: one row per negative rating whose visitor asked to be called back. ``phone`` is NULL once
    erased (``callback_days`` after the review closed); the outcome of the call stays.
    """
    run_statements(
        db,
        """CREATE TABLE callbacks (
        rating_id TEXT PRIMARY KEY REFERENCES ratings (id),
        phone TEXT,
        asked_at TEXT NOT NULL,
        outcome TEXT CHECK (outcome IN ('reached', 'no_answer', 'declined')),
        note TEXT,
        done_at TEXT,
        done_by TEXT,
        erased_at TEXT,
        thanked_at TEXT
    )""",
        "CREATE INDEX callbacks_kept ON callbacks (rating_id) WHERE phone IS NOT NULL",
    )


class Callbacks:
    """The ``callbacks`` table."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, asked: list[tuple[str, str]], at: str) -> None:
        """(rating id, phone) of newly stored negative ratings; inside the batch's transaction."""
        if asked:
            with self._conn.transaction() as db:
                db.conn.executemany(
                    "INSERT OR IGNORE INTO callbacks (rating_id, phone, asked_at) VALUES (?, ?, ?)",
                    [(rating_id, phone, at) for rating_id, phone in asked],
                )

    def of(self, rating_ids: list[str]) -> dict[str, dict[str, Any]]:
        if not rating_ids:
            return {}
        marks = ",".join("?" * len(rating_ids))
        sql = f"SELECT * FROM callbacks WHERE rating_id IN ({marks})"  # noqa: S608 - marks only
        return {row["rating_id"]: row for row in self._conn.db.query(sql, rating_ids)}

    def record(self, rating_id: str, outcome: str, note: str | None, by: str, at: str) -> bool:
        """The call's outcome, with its 'called_back' event in the review's history; False: no callback asked."""
        with self._conn.transaction() as db:
            changed = db.execute(
                "UPDATE callbacks SET outcome = ?, note = ?, done_at = ?, done_by = ? WHERE rating_id = ?",
                [outcome, note, at, by, rating_id],
            ).rowcount
            if changed:
                db.execute(
                    "INSERT INTO review_events (rating_id, at, actor, kind, data) VALUES (?, ?, ?, 'called_back', ?)",
                    [rating_id, at, by, f'{{"outcome": "{outcome}"}}'],
                )
            return bool(changed)

    def erase(self, closed_before: str, now: str) -> int:
        """Forget the numbers of callbacks whose review closed before ``closed_before``; how many."""
        with self._conn.transaction() as db:
            return db.execute(
                "UPDATE callbacks SET phone = NULL, erased_at = ? WHERE phone IS NOT NULL AND rating_id IN "
                "(SELECT rating_id FROM reviews WHERE status = 'closed' AND closed_at < ?)",
                [now, closed_before],
            ).rowcount

    def claim_thanks(self, closed_since: str, now: str) -> list[dict[str, Any]]:
        """The callbacks whose review closed since ``closed_since`` and whose visitor was not yet thanked, each
        marked thanked now (claimed before sending: a message is sent at most once, like the digests).
        """
        with self._conn.transaction() as db:
            rows = list(
                db.query(
                    "SELECT c.rating_id, c.phone, r.site_id FROM callbacks c "
                    "JOIN reviews v ON v.rating_id = c.rating_id JOIN ratings r ON r.id = c.rating_id "
                    "WHERE c.thanked_at IS NULL AND c.phone IS NOT NULL AND v.status = 'closed' AND v.closed_at >= ?",
                    [closed_since],
                )
            )
            db.conn.executemany(
                "UPDATE callbacks SET thanked_at = ? WHERE rating_id = ?", [(now, row["rating_id"]) for row in rows]
            )
        return rows

    def kept(self) -> int:
        return int(self._conn.db.execute("SELECT COUNT(*) FROM callbacks WHERE phone IS NOT NULL").fetchone()[0])
