"""Free-text comments kept only for a while: blanked in place, and the log of each purge that blanked any.

A purge never deletes a rating: it sets ``comment`` to NULL and notes
``comment_purged_at``, so the score, reasons, review and its history stay. The
raw payloads of dead letters (a refused rating, a conflicting second copy) may
carry a comment too: a JSON payload's ``comment`` is blanked the same way.
How long comments are kept is the caller's rule (``collector/upkeep/retention.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from collector.store.connection import Connection, run_statements

# Dead letters whose payload is a JSON object with a comment; the payload is kept as a BLOB.
_COUNT_LETTERS = (
    "SELECT count(*) FROM dead_letters WHERE received_at < ? AND json_valid(CAST(payload AS TEXT)) "
    "AND json_type(CAST(payload AS TEXT), '$.comment') = 'text'"
)
_BLANK_LETTERS = (
    "UPDATE dead_letters SET payload = CAST(json_set(CAST(payload AS TEXT), '$.comment', NULL) AS BLOB) "
    "WHERE received_at < ? AND json_valid(CAST(payload AS TEXT)) "
    "AND json_type(CAST(payload AS TEXT), '$.comment') = 'text'"
)


@dataclass(frozen=True)
class Purged:
    """How many comments a purge blanked (or, in a dry run, would blank)."""

    ratings: int
    dead_letters: int

    @property
    def total(self) -> int:
        return self.ratings + self.dead_letters


def forget_old_comments(db: Database) -> None:
    """``ratings.comment_purged_at`` (when its comment was blanked) and ``purges``, the log of each purge.

    A partial index on the ratings that still hold a comment keeps the hourly purge
    from reading every rating.
    """
    run_statements(
        db,
        "ALTER TABLE ratings ADD COLUMN comment_purged_at TEXT",
        "CREATE INDEX ratings_commented ON ratings (received_at) WHERE comment IS NOT NULL",
        """CREATE TABLE purges (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        ran_at TEXT NOT NULL,
        cutoff TEXT NOT NULL,
        ratings INTEGER NOT NULL,
        dead_letters INTEGER NOT NULL
    )""",
    )


class Retention:
    """The ``purges`` table, and the comments of ``ratings`` and ``dead_letters`` it blanks."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def purge_comments(self, received_before: str, at: str, *, dry_run: bool = False) -> Purged:
        """Blank every comment received before ``received_before``; logged in ``purges`` when any was.

        ``dry_run`` only counts. Running it again blanks nothing more: it is idempotent.
        """
        with self._conn.transaction() as db:
            ratings = int(
                db.execute(
                    "SELECT count(*) FROM ratings WHERE comment IS NOT NULL AND received_at < ?", [received_before]
                ).fetchone()[0]
            )
            letters = int(db.execute(_COUNT_LETTERS, [received_before]).fetchone()[0])
            purged = Purged(ratings, letters)
            if dry_run or not purged.total:
                return purged
            db.execute(
                "UPDATE ratings SET comment = NULL, comment_purged_at = ? "
                "WHERE comment IS NOT NULL AND received_at < ?",
                [at, received_before],
            )
            db.execute(_BLANK_LETTERS, [received_before])
            db.execute(
                "INSERT INTO purges (kind, ran_at, cutoff, ratings, dead_letters) VALUES ('comments', ?, ?, ?, ?)",
                [at, received_before, ratings, letters],
            )
        return purged

    def comments_held(self) -> tuple[int, str | None]:
        """How many ratings hold a comment now, and when the oldest of them was received."""
        count, oldest = self._conn.db.execute(
            "SELECT count(*), min(received_at) FROM ratings WHERE comment IS NOT NULL"
        ).fetchone()
        return int(count), oldest

    def last_purges(self, limit: int = 10) -> list[dict[str, Any]]:
        """The latest purges that blanked anything, newest first."""
        return list(self._conn.db.query("SELECT * FROM purges ORDER BY id DESC LIMIT ?", [limit]))
