"""Sign-ins and sign-outs on the tablet (device/presence.py, device/core.py, device/outbox.py) on a real SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from device.core import DeviceCore
from device.outbox import Outbox
from device.presence import presence_event, sign_in_events, sign_out_events
from device.settings import DeviceSettings
from shared.clock import parse_time
from shared.contract import StaffMember
from shared.pins import hash_pin

DEVICE = "riyadh-hq-d12"
T0 = datetime(2026, 11, 28, 7, 58, 10, tzinfo=UTC)


def open_core(data_dir: Path) -> DeviceCore:
    return DeviceCore(DeviceSettings(device_id=DEVICE, data_dir=data_dir))  # no broker: the outbox only


@pytest.fixture
def core(tmp_path: Path) -> Iterator[DeviceCore]:
    made = open_core(tmp_path / "desk")
    yield made
    made.stop()


def queued(core: DeviceCore) -> list[tuple[str, str, str]]:
    return [(p.employee_id, p.event, p.cause) for p in core.outbox.pending_presence()]


def test_signing_in_when_nobody_was_makes_one_sign_in() -> None:
    [event] = sign_in_events(DEVICE, None, "E1042", "pin", T0)
    assert (event.device_id, event.employee_id, event.event, event.cause, event.at) == (
        DEVICE,
        "E1042",
        "sign_in",
        "pin",
        "2026-11-28T07:58:10.000Z",
    )
    assert event.id[14] == "7"  # a version 7 UUID: time-ordered


def test_another_employee_signing_in_replaces_the_one_signed_in() -> None:
    events = sign_in_events(DEVICE, "E1", "E2", "pin", T0)
    assert [(e.employee_id, e.event, e.cause) for e in events] == [
        ("E1", "sign_out", "replaced"),
        ("E2", "sign_in", "pin"),
    ]
    assert sign_in_events(DEVICE, "E2", "E2", "pin", T0) == []
    assert sign_out_events(DEVICE, None, "manual", T0) == []


def test_each_event_has_its_own_id() -> None:
    ids = {presence_event(DEVICE, "E1", "sign_in", "pin", T0).id for _ in range(100)}
    assert len(ids) == 100


def test_sign_in_and_out_are_queued_durably_with_who_is_signed_in(core: DeviceCore, tmp_path: Path) -> None:
    core.sign_in("E1042", now=T0)
    assert (core.employee_id, core.signed_in_at) == ("E1042", T0)
    core.sign_in("E7", now=T0 + timedelta(hours=1))
    core.sign_out(cause="idle", now=T0 + timedelta(hours=2))
    assert queued(core) == [
        ("E1042", "sign_in", "pin"),
        ("E1042", "sign_out", "replaced"),
        ("E7", "sign_in", "pin"),
        ("E7", "sign_out", "idle"),
    ]
    assert (core.employee_id, core.signed_in_at) == (None, None)
    # Committed before sign_out returned: another connection sees every event.
    conn = sqlite3.connect(tmp_path / "desk" / "outbox.db")
    try:
        assert conn.execute("SELECT count(*) FROM presence").fetchone()[0] == 4
    finally:
        conn.close()
    assert core.outbox.depth() == 0 and core.outbox.presence_depth() == 4  # Status.outbox counts ratings only


def test_signing_in_again_changes_nothing(core: DeviceCore) -> None:
    core.sign_in("E1042", now=T0)
    core.sign_in("E1042", now=T0 + timedelta(minutes=5))
    assert queued(core) == [("E1042", "sign_in", "pin")]
    assert core.signed_in_at == T0


def test_a_restart_signs_out_whoever_was_still_signed_in(tmp_path: Path) -> None:
    first = open_core(tmp_path / "desk")
    first.sign_in("E1042", now=T0)
    first.outbox.close()  # the power goes: no clean stop
    again = open_core(tmp_path / "desk")
    try:
        assert again.employee_id is None and again.signed_in_at is None
        assert queued(again) == [("E1042", "sign_in", "pin"), ("E1042", "sign_out", "restart")]
    finally:
        again.stop()
    third = open_core(tmp_path / "desk")  # nobody signed in now: nothing more to say
    try:
        assert len(third.outbox.pending_presence()) == 2
    finally:
        third.stop()


def test_an_ack_removes_presence_and_a_rejection_keeps_it_aside(core: DeviceCore) -> None:
    core.sign_in("E1", now=T0)
    core.sign_out(now=T0 + timedelta(minutes=1))
    signed_in, signed_out = core.outbox.pending_presence()
    assert core.outbox.remove([signed_in.id]) == 1
    assert core.outbox.reject(signed_out.id, "cause: bad") is True
    assert core.outbox.pending_presence() == []
    assert [(r["id"], r["error"]) for r in core.outbox.rejected()] == [(signed_out.id, "cause: bad")]


def test_the_last_rating_time_is_kept_after_its_ack(core: DeviceCore) -> None:
    assert core.last_rating_at is None
    rating = core.rate(5, employee_id="E1", now=T0)
    core.outbox.remove([rating.id])
    assert core.last_rating_at == parse_time(rating.created_at) == T0


def test_an_outbox_made_before_presence_gains_its_table(tmp_path: Path) -> None:
    path = tmp_path / "old" / "outbox.db"
    path.parent.mkdir()
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('device_id', 'riyadh-hq-d12'), ('setting:employee_id', 'E9');"
    )
    conn.close()
    core = open_core(tmp_path / "old")
    try:
        # An employee left signed in by the version before Presence is signed out at this start, too.
        assert queued(core) == [("E9", "sign_out", "restart")]
    finally:
        core.stop()
    box = Outbox(path, DEVICE)
    box.close()


def test_a_pin_checked_against_the_desks_staff_list_signs_the_employee_in(tmp_path):
    core = DeviceCore(DeviceSettings(device_id="riyadh-hq-d12", data_dir=tmp_path))
    try:
        assert core.sign_in_with_pin("E1042", "2468") is None  # no staff list yet: the config may be on its way
        pin_hash = hash_pin("2468", iterations=1000)
        member = StaffMember(employee_id="E1042", name_ar="سارة", name_en="Sara", pin_hash=pin_hash)
        core.apply_config(core.config.model_copy(update={"staff": [member]}))
        assert core.sign_in_with_pin("E1042", "1357") is False and core.employee_id is None
        assert core.sign_in_with_pin("E1042", "2468") is True and core.employee_id == "E1042"
        assert [(p.event, p.cause) for p in core.outbox.pending_presence()] == [("sign_in", "pin")]
    finally:
        core.stop()


def test_the_restart_into_a_new_release_keeps_the_employee_signed_in(tmp_path: Path) -> None:
    first = open_core(tmp_path / "desk")
    first.sign_in("E1042")
    first.hand_over_sign_in()  # the kiosk switched to a new release at rest and exits
    first.stop()
    again = open_core(tmp_path / "desk")
    try:
        assert again.employee_id == "E1042"
        assert queued(again) == [("E1042", "sign_in", "pin")]  # no sign-out said
    finally:
        again.stop()
    third = open_core(tmp_path / "desk")  # the hand-over is used once: a crash after it signs out
    try:
        assert third.employee_id is None
        assert queued(third)[-1] == ("E1042", "sign_out", "restart")
    finally:
        third.stop()


@pytest.mark.parametrize("ago", [timedelta(minutes=5), timedelta(seconds=-30)])
def test_a_stale_or_future_hand_over_is_an_ordinary_restart(tmp_path: Path, ago: timedelta) -> None:
    first = open_core(tmp_path / "desk")
    first.sign_in("E1042")
    first.hand_over_sign_in(now=datetime.now(UTC) - ago)
    first.stop()
    again = open_core(tmp_path / "desk")
    try:
        assert again.employee_id is None and queued(again)[-1] == ("E1042", "sign_out", "restart")
    finally:
        again.stop()
