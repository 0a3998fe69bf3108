"""The one connection and transaction helper every table family of the store uses.

Each thread gets its own SQLite connection to the one file (WAL lets the
ingest writer and the web readers run side by side); ``Connection.close``
closes them all from whichever thread stops the program.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database


class StoreError(RuntimeError):
    """The database cannot be used; the text says why and what to do."""


class StoreUnavailable(StoreError):
    """A write failed for the database's reasons (locked, full, read-only): retry later."""


def open_database(path: Path) -> Database:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Closed by Connection.close from whichever thread stops the program.
    db = Database(sqlite3.connect(path, check_same_thread=False))
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across a process crash
    db.execute("PRAGMA busy_timeout=5000")
    db.execute("PRAGMA foreign_keys=ON")
    return db


class Connection:
    """The database file, one sqlite-utils ``Database`` per thread, and write transactions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Database] = []
        self._all_lock = threading.Lock()

    @property
    def db(self) -> Database:
        """This thread's connection, opened on first use."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = open_database(self.path)
            self._local.db = db
            with self._all_lock:
                self._all.append(db)
        return db

    def reader(self) -> Database:
        """A connection of its own for one long read (a streamed page); the caller closes it.

        Not this thread's connection: a streamed page is read step by step from
        whichever worker thread is free, while this thread serves other requests.
        """
        return open_database(self.path)

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
        db = self.db
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
        except sqlite3.OperationalError as exc:  # locked, busy, disk full, read-only
            raise StoreUnavailable(f"the database {self.path} cannot take writes now: {exc}") from exc
