"""The check before opening: waited for a bounded time, so a restart never waits on the file's size.

Real SQLite files of about 10 MB: a good one, and one with garbage written over pages
in its middle. A bound of 0 s is shorter than any whole ``quick_check`` of them: the
check then goes on in its own thread and its verdict comes later.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from collector.store import DatabaseDamaged, RunningCheck, Store, check_database_file, mark_damaged
from tests.support.db_files import count


def big_database(path: Path, *, damaged: bool = False) -> Path:
    """A collector database of about 10 MB (dead letters), with garbage over its middle pages if ``damaged``."""
    Store(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO dead_letters (topic, payload, reason, received_at) VALUES ('t', ?, 'r', 'x')",
            [(os.urandom(500),) for _ in range(20_000)],
        )
    conn.close()  # the last connection: checkpointed into the file
    if damaged:
        with open(path, "r+b") as file:
            size = file.seek(0, os.SEEK_END)
            file.seek(size // 2)
            file.write(os.urandom(64 * 1024))
    return path


def test_a_normal_sized_database_is_checked_whole_before_opening(tmp_path: Path) -> None:
    check = check_database_file(big_database(tmp_path / "taqyeem.db"), create=False)
    assert (check.made, check.checked) == (False, True)


def test_a_damaged_database_checked_within_the_bound_is_refused_with_how_to_restore_it(tmp_path: Path) -> None:
    with pytest.raises(DatabaseDamaged, match=r"is damaged \(.+\); restore the latest backup: taqyeem restore "):
        check_database_file(big_database(tmp_path / "taqyeem.db", damaged=True), create=False)


def test_past_the_bound_the_check_goes_on_and_finds_the_damage_the_start_did_not_wait_for(tmp_path: Path) -> None:
    db = big_database(tmp_path / "taqyeem.db", damaged=True)
    check = check_database_file(db, create=False, within_s=0)
    assert not check.checked and check.running is not None

    assert check.running.wait(60)
    cause = check.running.cause
    assert cause is not None and cause.startswith(f"the collector database {db} is damaged (")  # what SQLite said
    assert f"taqyeem restore /var/backups/taqyeem/<newest taqyeem-*.db> --db {db} --force" in cause


def test_past_the_bound_a_good_database_is_found_good(tmp_path: Path) -> None:
    check = check_database_file(big_database(tmp_path / "taqyeem.db"), create=False, within_s=0)
    assert check.running is not None and check.running.wait(60)
    assert (check.running.cause, check.running.failure) == (None, None)


def test_a_cancelled_check_ends_without_a_verdict(tmp_path: Path) -> None:
    running = RunningCheck(big_database(tmp_path / "taqyeem.db"))
    running.cancel()
    assert running.wait(60) and (running.cause, running.failure) == (None, None)


def test_a_file_not_in_wal_mode_is_checked_whole_before_opening_whatever_the_bound(tmp_path: Path) -> None:
    db = big_database(tmp_path / "taqyeem.db", damaged=True)
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")  # a reader beside the writer would hold it up
    finally:
        conn.close()
    with pytest.raises(DatabaseDamaged, match="is damaged"):
        check_database_file(db, create=False, within_s=0)


def test_a_file_found_damaged_after_start_is_refused_at_the_next_start_without_a_check(tmp_path: Path) -> None:
    db = big_database(tmp_path / "taqyeem.db")
    mark_damaged(db, "the collector database is damaged (found in a test)")
    with pytest.raises(DatabaseDamaged) as refused:
        check_database_file(db, create=False)
    assert str(refused.value).startswith("the collector database is damaged (found in a test) (found by the integrity")
    assert f"delete {db}.damaged" in str(refused.value)


def test_a_restored_file_at_the_path_is_not_refused_for_the_damage_of_the_one_it_replaced(tmp_path: Path) -> None:
    db = big_database(tmp_path / "taqyeem.db")
    mark_damaged(db, "the collector database is damaged (found in a test)")
    restored = big_database(tmp_path / "restored.db")
    restored.rename(db)  # as `taqyeem restore` puts a backup in place: a new file at the path

    assert check_database_file(db, create=False).checked
    assert not Path(f"{db}.damaged").exists()
    assert count(db, "dead_letters") == 20_000
