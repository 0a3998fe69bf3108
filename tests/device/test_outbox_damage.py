"""A damaged outbox does not stop the desk, and no id or seq is ever reused (device/outbox.py, device/seqmark.py)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from device.core import DeviceCore
from device.outbox import Outbox, is_healthy
from device.seqmark import BLOCK, mark_path, read_mark
from tests.conftest import wait_until

DEVICE = "riyadh-hq-d12"
LATER = datetime(2026, 11, 30, 17, 45, 12, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "outbox.db"


def fill(path: Path, n: int) -> list[str]:
    box = Outbox(path, DEVICE)
    try:
        return [box.add(score=4, employee_id="E1").id for _ in range(n)]
    finally:
        box.close()


def damage(path: Path) -> None:
    """Scribble over every page after the first, as a failing SD card might."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = bytes([0xA5]) * (len(data) - page)
    path.write_bytes(bytes(data))


def test_the_high_water_mark_is_raised_a_block_ahead_before_a_seq_past_it_is_used(path: Path) -> None:
    fill(path, 1)
    assert read_mark(mark_path(path)) == BLOCK
    fill(path, BLOCK - 1)
    assert read_mark(mark_path(path)) == BLOCK
    fill(path, 1)
    assert read_mark(mark_path(path)) == 2 * BLOCK


def test_an_outbox_from_before_marks_gets_its_mark_when_opened(path: Path) -> None:
    fill(path, 3)
    mark_path(path).unlink()
    Outbox(path, DEVICE).close()
    assert read_mark(mark_path(path)) == 3


def test_a_damaged_outbox_is_moved_aside_and_a_fresh_one_continues_above_every_seq_used(path: Path) -> None:
    old_ids = fill(path, 5)
    damage(path)
    assert not is_healthy(path)

    box = Outbox(path, DEVICE, now=LATER)
    try:
        rating = box.add(score=5, employee_id="E1")
        assert rating.seq == BLOCK + 1 and rating.id not in old_ids
        assert box.depth() == 1
        assert box.replaced_at() == "2026-11-30T17:45:12.000Z"
        assert box.set_aside_as == path.with_name("outbox.db.damaged-20261130T174512Z")
    finally:
        box.close()
    assert path.with_name("outbox.db.damaged-20261130T174512Z").stat().st_size > 0  # kept for IT
    assert is_healthy(path)


def test_a_file_that_is_not_a_database_is_replaced_too(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not SQLite at all" * 100)

    box = Outbox(path, DEVICE, now=LATER)
    try:
        assert box.set_aside_as is not None and box.replaced_at() is not None
        assert box.add(score=3, employee_id=None).seq == int(LATER.timestamp() * 1000) + 1
    finally:
        box.close()


def test_without_a_mark_the_seq_still_readable_in_the_damaged_file_is_the_floor(path: Path) -> None:
    fill(path, 7)
    mark_path(path).unlink()
    conn = sqlite3.connect(path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'outbox'").fetchone()
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page : root * page] = bytes([0xA5]) * page  # the ratings' page is lost, meta is not
    path.write_bytes(bytes(data))
    assert not is_healthy(path)

    box = Outbox(path, DEVICE, now=LATER)
    try:
        assert box.add(score=3, employee_id=None).seq == 8
    finally:
        box.close()


def test_two_damaged_outboxes_in_the_same_second_are_both_kept(path: Path) -> None:
    for _ in range(2):
        fill(path, 1)
        damage(path)
        Outbox(path, DEVICE, now=LATER).close()
    kept = [p.name for p in path.parent.iterdir() if ".damaged-" in p.name]
    names = sorted(name for name in kept if not name.endswith(("-wal", "-shm")))
    assert names == ["outbox.db.damaged-20261130T174512Z", "outbox.db.damaged-20261130T174512Z-2"]


def test_a_desk_with_a_damaged_outbox_starts_sends_and_says_so_to_the_collector(
    broker, make_collector, unique_id, tmp_path: Path
) -> None:
    ingest = make_collector()
    device_id = unique_id("desk")
    settings = broker.desk_settings(device_id, tmp_path / "device")
    first = DeviceCore(settings.model_copy(update={"broker": None}))
    first.rate(4, employee_id="E1")
    first.stop()
    damage(settings.data_dir / "outbox.db")

    core = DeviceCore(settings)  # used to exit with "database disk image is malformed"
    core.start()
    try:
        rating = core.rate(5, employee_id="E1")
        assert rating.seq == BLOCK + 1
        assert core.status().outbox_replaced_at is not None
        wait_until(lambda: core.outbox_depth() == 0, what="the Ack of the first rating after the repair")

        def row() -> dict[str, object]:
            return next(d for d in ingest.store.devices.all() if d["device_id"] == device_id)

        wait_until(lambda: row()["outbox_replaced_at"] is not None, what="the Status naming the repair")
        assert row()["outbox_replaced_at"] == core.status().outbox_replaced_at
    finally:
        core.stop()
