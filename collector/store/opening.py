"""How the collector opens its database: never an empty one by surprise, never a damaged one.

A collector that made a new database wherever its path pointed would ack
ratings into a file nobody backs up, and after a deleted database it would
start again from nothing without a word. So a missing file (or an empty one,
or SQLite without Taqyeem's schema) is made only when the caller says so
(``taqyeem collector --create-db``: the first start of an install, and the
demo); otherwise it is refused, naming the path and what to do.

A damaged file is refused too: ``PRAGMA quick_check`` runs first, read-only,
and gives up after ``check_within_s`` (a very large database then starts
unchecked, with a warning, rather than not at all).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from collector.store.connection import StoreError

log = logging.getLogger("taqyeem.collector.store")

CHECK_WITHIN_S = 30.0
RESTORE_HINT = (
    "restore the latest backup: taqyeem restore /var/backups/taqyeem/<newest taqyeem-*.db> --db {path} --force "
    "(it keeps the file it replaces), then start the collector again (docs/deployment.md, 'When the collector refuses')"
)


class DatabaseMissing(StoreError):
    """No Taqyeem database at the path, and the caller did not ask to create one."""


class DatabaseDamaged(StoreError):
    """The file fails SQLite's quick_check (or is not SQLite): restore a backup."""


def quick_check(path: Path, within_s: float = CHECK_WITHIN_S) -> tuple[list[str] | None, bool]:
    """(``quick_check`` lines or None when it ran out of time, whether it has Taqyeem's schema); read-only."""
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    deadline = time.monotonic() + within_s
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)  # non-zero interrupts
    try:
        has_schema = bool(
            conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'").fetchone()[0]
        )
        try:
            # One row may hold several lines ("*** in database main ***\nPage 59: ..."): the
            # refusal is one line a person reads in the journal, so split them all.
            rows = conn.execute("PRAGMA quick_check(20)").fetchall()
            lines = [line.strip() for (text,) in rows for line in str(text).splitlines() if line.strip()]
        except sqlite3.OperationalError as exc:
            if "interrupted" not in str(exc):
                raise
            return None, has_schema
        return lines, has_schema
    finally:
        conn.close()


def check_database_file(path: Path, *, create: bool, within_s: float = CHECK_WITHIN_S) -> bool:
    """Raise unless the collector may open ``path``; True when it will make a new database there."""
    if path.is_dir():
        raise DatabaseMissing(f"{path} is a folder, not the collector database; point db at its file")
    if not path.exists():
        if create:
            return True
        raise DatabaseMissing(
            f"no collector database at {path}: the file does not exist. On a new install, start the collector "
            f"once with --create-db (docs/deployment.md, section 3); if it existed, it was deleted or moved: "
            f"put it back, or {RESTORE_HINT.format(path=path)}"
        )
    try:
        lines, has_schema = quick_check(path, within_s)
    except sqlite3.Error as exc:
        raise DatabaseDamaged(
            f"the collector database {path} is damaged ({exc}); {RESTORE_HINT.format(path=path)}"
        ) from None
    if lines is None:
        log.warning("the integrity check of %s did not finish within %.0f s; starting unchecked", path, within_s)
    elif lines != ["ok"]:
        raise DatabaseDamaged(
            f"the collector database {path} is damaged (PRAGMA quick_check: {'; '.join(lines[:3])}); "
            f"{RESTORE_HINT.format(path=path)}"
        )
    if not has_schema and not create:
        raise DatabaseMissing(
            f"{path} holds no collector database (empty, or SQLite without Taqyeem's tables); on a new install "
            f"start the collector once with --create-db; otherwise {RESTORE_HINT.format(path=path)}"
        )
    return not has_schema
