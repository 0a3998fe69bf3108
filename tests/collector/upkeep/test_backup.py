"""Online backup while ratings stream in, and restore (collector/upkeep/backup.py, `taqyeem backup` / `restore`)."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import cli
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch, StoredBatch
from collector.ingest.subscriber import Ingest
from collector.store import Store
from collector.upkeep.backup import BackupError, list_backups, make_backup, restore_backup
from device.core import DeviceCore
from device.settings import DeviceSettings
from shared.contract import Rating
from tests.conftest import RunningBroker, wait_until

T0 = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def _fill(db: Path, count: int) -> None:
    """Ratings already in the database, so a backup has real work to do."""
    store = Store(db)
    ratings = [
        Rating(
            id=str(uuid.uuid4()), seq=n, device_id="old-desk", score=1 + n % 5, created_at="2026-11-27T09:00:00.000Z"
        )
        for n in range(1, count + 1)
    ]
    for start in range(0, count, 5000):
        store_batch(store, Batch(ratings[start : start + 5000]), "2026-11-27T09:00:01.000Z")
    store.close()


def _ids(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT id FROM ratings")}
    finally:
        conn.close()


def test_backup_while_ratings_stream_restores_every_acked_rating(
    tmp_path: Path,
    broker: RunningBroker,
    make_collector: Callable[..., Ingest],
    unique_id: Callable[[str], str],
) -> None:
    db = tmp_path / "live.db"
    _fill(db, 20_000)
    ingest = make_collector(db=db)
    acked: set[str] = set()
    lock = threading.Lock()

    def note(stored: StoredBatch) -> None:  # runs after the commit and the Acks
        with lock:
            acked.update(stored.new_rating_ids)

    ingest.listeners.append(note)
    desks = []
    for _ in range(3):
        device_id = unique_id("bk")
        settings = DeviceSettings(
            device_id=device_id,
            data_dir=tmp_path / device_id,
            password=broker.add_device(device_id),
            broker=f"mqtt://127.0.0.1:{broker.port}",
        )
        desks.append(DeviceCore(settings))
    stop = threading.Event()

    def tap(core: DeviceCore) -> None:
        while not stop.is_set():
            core.rate(3)
            stop.wait(0.002)

    for core in desks:
        core.start()
    tappers = [threading.Thread(target=tap, args=(core,), daemon=True) for core in desks]
    for thread in tappers:
        thread.start()
    backups = []
    try:
        for n in range(3):
            wait_until(lambda n=n: len(acked) >= 200 * (n + 1), what="ratings to stream in")
            with lock:
                acked_before = set(acked)
            result = make_backup(db, tmp_path / "backups", keep=10, now=T0 + timedelta(seconds=n))
            backups.append((result.path, acked_before))
    finally:
        stop.set()
        for thread in tappers:
            thread.join()
        for core in desks:
            core.stop()

    for n, (path, acked_before) in enumerate(backups):
        target = tmp_path / f"restored-{n}.db"
        restored = restore_backup(path, target, force=False, now=T0)
        conn = sqlite3.connect(target)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()
        ids = _ids(target)
        assert acked_before <= ids, f"backup {n} lacks {len(acked_before - ids)} acked ratings"
        assert restored.ratings == len(ids) >= 20_000 + len(acked_before)
    assert len(backups[-1][1]) > len(backups[0][1])  # the stream really ran between the backups


def test_backup_keeps_the_newest_and_names_them_by_time(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    _fill(db, 10)
    for n in range(4):
        make_backup(db, tmp_path / "b", keep=2, now=T0 + timedelta(hours=n))

    names = [p.name for p in list_backups(tmp_path / "b")]
    assert names == ["taqyeem-20261128T040000000Z.db", "taqyeem-20261128T050000000Z.db"]
    assert not list((tmp_path / "b").glob("*.part"))


def test_restore_keeps_the_database_it_replaces(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    _fill(db, 10)
    backup = make_backup(db, tmp_path / "b", keep=3, now=T0).path
    _fill(tmp_path / "other.db", 3)
    (tmp_path / "other.db").replace(db)

    with pytest.raises(BackupError, match="pass --force"):
        restore_backup(backup, db, force=False, now=T0)
    result = restore_backup(backup, db, force=True, now=T0)

    assert result.ratings == 10 and len(_ids(db)) == 10
    assert result.previous is not None and len(_ids(result.previous)) == 3


def test_a_damaged_or_foreign_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "taqyeem-junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x01" * 4000)
    with pytest.raises(BackupError):
        restore_backup(junk, tmp_path / "t.db", force=True, now=T0)
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE x (y)")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="not a Taqyeem database"):
        restore_backup(foreign, tmp_path / "t.db", force=True, now=T0)
    assert not (tmp_path / "t.db").exists()


def test_cli_backup_then_restore(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    _fill(db, 25)
    runner = CliRunner()

    made = runner.invoke(cli, ["backup", "--db", str(db), "--dir", str(tmp_path / "b")])
    assert made.exit_code == 0, made.output
    assert "25 ratings, integrity ok" in made.output
    (backup,) = list_backups(tmp_path / "b")
    refused = runner.invoke(cli, ["restore", str(backup), "--db", str(db)])
    assert refused.exit_code == 1 and refused.stderr.startswith("Error: ") and "--force" in refused.stderr
    restored = runner.invoke(cli, ["restore", str(backup), "--db", str(tmp_path / "new.db")])
    assert restored.exit_code == 0, restored.output
    assert len(_ids(tmp_path / "new.db")) == 25
    missing = runner.invoke(cli, ["backup", "--db", str(tmp_path / "nope.db"), "--dir", str(tmp_path / "b")])
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
