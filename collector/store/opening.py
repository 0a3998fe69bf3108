"""How the collector opens its database: never an empty one by surprise, never a damaged one.

A collector that made a new database wherever its path pointed would ack
ratings into a file nobody backs up, and after a deleted database it would
start again from nothing without a word. So a missing file (or an empty one,
or SQLite without Taqyeem's schema) is made only when the caller says so
(``taqyeem collector --create-db``: the first start of an install, and the
demo); otherwise it is refused, naming the path and what to do.

A damaged file is refused too: ``PRAGMA quick_check`` reads the whole file,
read-only, in a thread of its own (``RunningCheck``), and the start waits for it
at most ``within_s`` (``STARTUP_CHECK_S``: a centre's database is checked whole
within it), so a restart never waits on the file's size. (A bound inside the
check cannot do this: SQLite 3.40 checks every b-tree page in one step that its
progress handler cannot stop.) When the check has not finished, the collector
serves and the check goes on beside it (collector/upkeep/integrity_check.py); damage it
finds then stops the collector acking, and is written beside the file
(``mark_damaged``: the path + ``.damaged``), so the next start refuses that same
file at once, as it would have before serving. A file not in WAL mode is
checked whole before opening: there a reader would hold up the writer.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from collector.store.connection import StoreError

log = logging.getLogger("taqyeem.collector.store")

STARTUP_CHECK_S = 2.0  # the check before serving: a normal-sized database is checked whole within it
DAMAGE_MARK = ".damaged"  # beside the database: what the check after start found, for the next start
RESTORE_HINT = (
    "restore the latest backup: taqyeem restore /var/backups/taqyeem/<newest taqyeem-*.db> --db {path} --force "
    "(it keeps the file it replaces), then start the collector again (docs/deployment.md, 'When the collector refuses')"
)


class DatabaseMissing(StoreError):
    """No Taqyeem database at the path, and the caller did not ask to create one."""


class DatabaseDamaged(StoreError):
    """The file fails SQLite's quick_check (or is not SQLite): restore a backup."""


def _damaged(path: Path, found: str) -> str:
    return f"the collector database {path} is damaged ({found}); {RESTORE_HINT.format(path=path)}"


class RunningCheck:
    """SQLite's whole ``quick_check`` of a file, read-only, in a daemon thread; ``cancel`` stops it at a tick."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cause: str | None = None  # the refusal, when the file is damaged
        self.failure: str | None = None  # the check could not run (not damage: locked, unreadable)
        self._cancelled = threading.Event()
        self._done = threading.Event()
        threading.Thread(target=self._run, name="integrity-check", daemon=True).start()

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the check has finished (or been cancelled), waiting at most ``timeout`` seconds."""
        return self._done.wait(timeout)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            try:
                conn.set_progress_handler(lambda: int(self._cancelled.is_set()), 10_000)  # non-zero interrupts
                # One row may hold several lines ("*** in database main ***\nPage 59: ..."): the
                # refusal is one line a person reads in the journal, so split them all.
                rows = conn.execute("PRAGMA quick_check(20)").fetchall()
            finally:
                conn.close()
            lines = [line.strip() for (text,) in rows for line in str(text).splitlines() if line.strip()]
            if lines != ["ok"]:
                self.cause = _damaged(self.path, f"PRAGMA quick_check: {'; '.join(lines[:3])}")
        except sqlite3.OperationalError as exc:
            if not self.cancelled:
                self.failure = str(exc)
        except sqlite3.DatabaseError as exc:  # malformed, not a database
            self.cause = _damaged(self.path, str(exc))
        except Exception as exc:  # the start must hear of it, whatever it was
            self.failure = str(exc)
        finally:
            self._done.set()


@dataclass(frozen=True)
class FileCheck:
    """What the check before opening found: whether a database will be made, and the check still running."""

    made: bool
    running: RunningCheck | None = None  # not finished within the bound: it goes on (upkeep/integrity_check.py)

    @property
    def checked(self) -> bool:
        return self.running is None


def _schema_and_journal(path: Path) -> tuple[bool, bool]:
    """(whether the file has Taqyeem's schema, whether it is in WAL mode); read-only; sqlite3.Error if unreadable."""
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        has_schema = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'").fetchone()[0]
        wal = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"
        return bool(has_schema), wal
    finally:
        conn.close()


def _mark_of(path: Path) -> Path:
    return path.with_name(path.name + DAMAGE_MARK)


def mark_damaged(path: Path, cause: str) -> None:
    """Note beside the file that it was found damaged while served, so the next start refuses it at once."""
    stat = os.stat(path)
    found = {"dev": stat.st_dev, "ino": stat.st_ino, "cause": cause, "at": datetime.now(UTC).isoformat()}
    _mark_of(path).write_text(json.dumps(found) + "\n")


def _marked_damaged(path: Path) -> str | None:
    """The refusal for a file found damaged after an earlier start, or None (a stale note, of another file, goes)."""
    mark = _mark_of(path)
    try:
        found = json.loads(mark.read_text())
        stat = os.stat(path)
    except (OSError, ValueError):
        return None
    if (found.get("dev"), found.get("ino")) != (stat.st_dev, stat.st_ino):
        mark.unlink(missing_ok=True)  # the file was restored (a new file at the path): that finding is not about it
        return None
    return (
        f"{found.get('cause')} (found by the integrity check after the start of {found.get('at')}; if this file was "
        f"since replaced in place by a good copy, delete {mark})"
    )


def check_database_file(path: Path, *, create: bool, within_s: float | None = STARTUP_CHECK_S) -> FileCheck:
    """Raise unless the collector may open ``path``: whether it will make a new database, and a check still running.

    The check that did not finish within ``within_s`` (None: wait for it) is the caller's to follow
    (``FileCheck.running``).
    """
    if path.is_dir():
        raise DatabaseMissing(f"{path} is a folder, not the collector database; point db at its file")
    if not path.exists():
        if create:
            return FileCheck(made=True)
        raise DatabaseMissing(
            f"no collector database at {path}: the file does not exist. On a new install, start the collector "
            f"once with --create-db (docs/deployment.md, section 3); if it existed, it was deleted or moved: "
            f"put it back, or {RESTORE_HINT.format(path=path)}"
        )
    marked = _marked_damaged(path)
    if marked is not None:
        raise DatabaseDamaged(marked)
    try:
        has_schema, wal = _schema_and_journal(path)
    except sqlite3.Error as exc:
        raise DatabaseDamaged(_damaged(path, str(exc))) from None
    if not has_schema and not create:
        raise DatabaseMissing(
            f"{path} holds no collector database (empty, or SQLite without Taqyeem's tables); on a new install "
            f"start the collector once with --create-db; otherwise {RESTORE_HINT.format(path=path)}"
        )
    running = RunningCheck(path)
    if not running.wait(within_s) and wal:
        log.info("the integrity check of %s goes on after %.1f s, beside the collector serving", path, within_s or 0)
        return FileCheck(made=not has_schema, running=running)
    running.wait()
    if running.cause is not None:
        raise DatabaseDamaged(running.cause)
    if running.failure is not None:
        raise DatabaseDamaged(_damaged(path, running.failure))
    return FileCheck(made=not has_schema)
