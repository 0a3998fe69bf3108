"""Online backup and restore of the collector database.

``make_backup`` copies the live database with SQLite's backup API in one step:
one consistent snapshot, taken while the collector keeps writing (WAL lets a
reader and the writer run side by side). The copy is written under a
temporary name, checked with ``PRAGMA integrity_check``, flushed to disk and
only then renamed into place, so a backup file that exists is a sound one.
Every rating the collector had acknowledged when the backup started is in it,
because the collector acknowledges only after its commit.

``restore_backup`` checks the backup the same way, keeps the database it
replaces, and writes the new one beside the target before renaming it.
Stop the collector first (``systemctl stop taqyeem-collector``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from collector.store import SCHEMA_VERSION, Store, StoreError, copy_file, inspect_file

PREFIX = "taqyeem-"


class BackupError(RuntimeError):
    """A backup or restore could not be done; the text says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    ratings: int
    deleted: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class RestoreResult:
    ratings: int
    previous: Path | None


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_database(path: Path) -> int:
    """Raise BackupError unless ``path`` passes integrity_check with a schema this collector knows.

    Returns the number of ratings in it. Opens the file read-only.
    """
    try:
        lines, version, ratings = inspect_file(path)
    except StoreError as exc:
        raise BackupError(str(exc)) from None
    if lines != ["ok"]:
        raise BackupError(f"{path} fails PRAGMA integrity_check: {'; '.join(lines[:3])}; use an older backup")
    if version > SCHEMA_VERSION:
        raise BackupError(f"{path} has schema v{version}, newer than this Taqyeem (v{SCHEMA_VERSION}); upgrade")
    if version == 0:
        raise BackupError(f"{path} is SQLite but not a Taqyeem database; pick a taqyeem-*.db backup")
    return ratings


def list_backups(backup_dir: Path) -> list[Path]:
    """Finished backups, oldest first (their names sort by time)."""
    return sorted(p for p in backup_dir.glob(f"{PREFIX}*.db") if p.is_file())


def make_backup(db_path: Path, backup_dir: Path, *, keep: int, now: datetime) -> BackupResult:
    if not db_path.exists():
        raise BackupError(f"database {db_path} does not exist; check --db")
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
    final = backup_dir / f"{PREFIX}{_stamp(now)}.db"
    partial = final.with_suffix(".db.part")
    partial.unlink(missing_ok=True)
    store = Store(db_path)
    try:
        store.backup_to(partial)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backing up {db_path} failed: {exc}") from None
    finally:
        store.close()
    try:
        ratings = check_database(partial)
        _fsync(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.chmod(0o640)
    partial.rename(final)
    _fsync(backup_dir)
    backups = list_backups(backup_dir)
    deleted = backups[:-keep] if len(backups) > keep else []
    for old in deleted:
        old.unlink()
    return BackupResult(final, ratings, deleted)


def restore_backup(backup_file: Path, db_path: Path, *, force: bool, now: datetime) -> RestoreResult:
    if not backup_file.exists():
        raise BackupError(f"backup {backup_file} does not exist; list them with: ls /var/backups/taqyeem")
    check_database(backup_file)
    if db_path.exists() and not force:
        raise BackupError(
            f"{db_path} exists; stop the collector and pass --force to replace it (the old file is kept beside it)"
        )
    db_path.parent.mkdir(parents=True, exist_ok=True)
    incoming = db_path.with_name(db_path.name + ".restoring")
    for leftover in (incoming, Path(f"{incoming}-wal"), Path(f"{incoming}-shm")):
        leftover.unlink(missing_ok=True)
    copy_file(backup_file, incoming)
    ratings = check_database(incoming)
    previous = None
    if db_path.exists():
        previous = db_path.with_name(f"{db_path.name}.before-restore-{_stamp(now)}")
        _move_database(db_path, previous)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    _move_database(incoming, db_path)
    return RestoreResult(ratings, previous)


def _move_database(source: Path, dest: Path) -> None:
    """Rename a database with its WAL files (a checkpointed copy has none left, but be safe)."""
    source.rename(dest)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{source}{suffix}")
        if side.exists():
            side.rename(Path(f"{dest}{suffix}"))
