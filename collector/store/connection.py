"""The one connection and transaction helper every table family of the store uses.

Each thread gets its own SQLite connection to the one file (WAL lets the
ingest writer and the web readers run side by side); ``Connection.close``
closes them all from whichever thread stops the program.

Only the first connection may create the file, and only when asked to: a
thread opening its connection after the file was deleted must fail, not make
an empty database at the path. The first open also notes the file's identity
(device and inode), so ``check_file`` can tell whether the path still names
the file being written: deleted, moved or replaced, it does not.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database


class StoreError(RuntimeError):
    """The database cannot be used; the text says why and what to do."""


class StoreUnavailable(StoreError):
    """A write failed for the database's reasons (locked, full, read-only, damaged): retry later."""


class DatabaseGone(StoreError):
    """The path no longer names the open database file (deleted, moved, replaced) or it is damaged: stop acking."""


# SQLite result codes that say the database, not the data written, is the trouble.
DATABASE_TROUBLE = {
    sqlite3.SQLITE_BUSY,
    sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_NOTADB,
    sqlite3.SQLITE_PERM,
}


def is_database_trouble(exc: sqlite3.Error) -> bool:
    """Locked, full, read-only, damaged, unopenable: any write would fail, whatever it carried."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, sqlite3.OperationalError) or (code is not None and (code & 0xFF) in DATABASE_TROUBLE)


def open_database(path: Path, *, create: bool = True) -> Database:
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    uri = f"{path.absolute().as_uri()}?mode={'rwc' if create else 'rw'}"
    # Closed by Connection.close from whichever thread stops the program.
    db = Database(sqlite3.connect(uri, uri=True, check_same_thread=False))
    # The wait first: switching to WAL needs a lock, and another process may be creating or
    # migrating this file at the same moment (without it, "database is locked" at once; seen in CI).
    db.execute("PRAGMA busy_timeout=5000")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across a process crash
    db.execute("PRAGMA foreign_keys=ON")
    return db


class Connection:
    """The database file, one sqlite-utils ``Database`` per thread, and write transactions."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = path
        self._create = create
        self._identity: tuple[int, int] | None = None
        self._damaged: str | None = None  # the cause, once the integrity check after start found damage
        self._local = threading.local()
        self._all: list[Database] = []
        self._all_lock = threading.Lock()

    @property
    def db(self) -> Database:
        """This thread's connection, opened on first use."""
        db = getattr(self._local, "db", None)
        if db is None:
            with self._all_lock:
                first = self._identity is None
                db = open_database(self.path, create=first and self._create)
                if first:
                    stat = os.stat(self.path)
                    self._identity = (stat.st_dev, stat.st_ino)
                self._all.append(db)
            self._local.db = db
        return db

    def reader(self) -> Database:
        """A connection of its own for one long read (a streamed page); the caller closes it.

        Not this thread's connection: a streamed page is read step by step from
        whichever worker thread is free, while this thread serves other requests.
        """
        return open_database(self.path, create=False)  # never makes an empty file where the database went

    def found_damaged(self, cause: str) -> None:
        """The integrity check after start found the file damaged: from now on ``check_file`` raises with ``cause``."""
        self._damaged = cause

    def check_file(self) -> None:
        """Raise DatabaseGone unless the path still names the file opened first (one os.stat), found undamaged."""
        if self._damaged is not None:
            raise DatabaseGone(self._damaged)
        if self._identity is None:
            return
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            raise DatabaseGone(f"the database file {self.path} was deleted or moved away while in use") from None
        if (stat.st_dev, stat.st_ino) != self._identity:
            raise DatabaseGone(f"the database file {self.path} was replaced by another file while in use")

    def probe_write(self) -> None:
        """Commit one real write (the header's user_version, rewritten unchanged): proves writes succeed."""
        with self.transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            db.execute(f"PRAGMA user_version = {int(version)}")

    def close(self) -> None:
        with self._all_lock:
            for db in self._all:
                db.close()
            self._all.clear()
        self._local = threading.local()

    def ping(self) -> bool:
        return self.db.execute("SELECT 1").fetchone()[0] == 1

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One write transaction that takes SQLite's write lock at BEGIN.

        A deferred BEGIN that reads and then writes fails at once with "database is
        locked" when another connection writes in between (busy_timeout cannot help a
        lock upgrade); BEGIN IMMEDIATE waits for the lock instead.

        Inside another transaction this joins it, so callers compose the families' writes
        into one commit, and the outer rollback undoes them all. Not a savepoint: one per
        family call cost about 12% of the ingest batch path (measured), and no caller
        catches an inner failure to carry on.
        """
        try:
            db = self.db
        except sqlite3.Error as exc:  # a thread's first connection, to a file gone or unreadable
            raise StoreUnavailable(f"the database {self.path} cannot be opened now: {exc}") from exc
        if db.conn.in_transaction:
            yield db
            return
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
            db.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if is_database_trouble(exc):  # locked, busy, disk full, read-only, malformed
                raise StoreUnavailable(f"the database {self.path} cannot take writes now: {exc}") from exc
            raise


def run_statements(db: Database, *statements: str) -> None:
    """A migration step's statements, in order (inside the step's transaction)."""
    for statement in statements:
        db.execute(statement)
