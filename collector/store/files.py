"""Whole database files: an online backup, a copy of a backup, a read-only inspection.

These use SQLite's backup API rather than copying bytes, so a copy taken while
the collector writes is one consistent snapshot.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from collector.store.connection import StoreError


def backup_to(source: Path, dest: Path) -> None:
    """An online, consistent copy through SQLite's backup API (writers keep going under WAL)."""
    target = sqlite3.connect(dest)
    try:
        conn = sqlite3.connect(source)
        try:
            conn.backup(target)  # one step: a single consistent snapshot
        finally:
            conn.close()
    finally:
        target.close()


def inspect_file(path: Path) -> tuple[list[str], int, int]:
    """Read-only: ``PRAGMA integrity_check`` lines (``['ok']`` when sound), schema version, ratings."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path} cannot be opened as SQLite: {exc}") from None
    try:
        lines = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        has_versions = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'").fetchone()[0]
        version = (
            conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0] if has_versions else 0
        )
        ratings = conn.execute("SELECT count(*) FROM ratings").fetchone()[0] if version else 0
        return lines, int(version), int(ratings)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a sound SQLite database: {exc}") from None
    finally:
        conn.close()


def copy_file(source: Path, dest: Path) -> None:
    """Copy a database file that nothing writes to (a backup) through the backup API."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(dest)
        try:
            src.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
    finally:
        src.close()
