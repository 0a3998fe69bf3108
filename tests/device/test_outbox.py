"""The device's durable outbox (device/outbox.py) against a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from device.outbox import Outbox
from shared.clock import parse_time
from shared.contract import DeviceConfig, Rating

DEVICE = "riyadh-hq-d12"
T0 = datetime(2026, 11, 28, 9, 15, 2, 123000, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "outbox.db"


@pytest.fixture
def outbox(path: Path) -> Iterator[Outbox]:
    box = Outbox(path, DEVICE)
    yield box
    box.close()


def _rows_seen_by_another_connection(path: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(path)
    try:
        return [(int(seq), str(rid)) for seq, rid in conn.execute("SELECT seq, id FROM outbox ORDER BY seq")]
    finally:
        conn.close()


def test_a_rating_is_committed_before_add_returns(outbox: Outbox, path: Path) -> None:
    rating = outbox.add(score=4, employee_id="E1042", reasons=["waiting_time"], visit_id="A-117", now=T0)

    assert _rows_seen_by_another_connection(path) == [(1, rating.id)]
    conn = sqlite3.connect(path)
    try:
        (payload,) = conn.execute("SELECT payload FROM outbox WHERE id = ?", (rating.id,)).fetchone()
    finally:
        conn.close()
    assert Rating.model_validate_json(payload) == rating


def test_the_outbox_is_opened_with_full_fsync_and_wal(outbox: Outbox, path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    # synchronous is per connection: read the outbox's own (FULL = 2).
    assert outbox._conn.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_a_rating_survives_a_restart(path: Path) -> None:
    first = Outbox(path, DEVICE)
    rating = first.add(score=2, employee_id=None, now=T0)
    first.close()

    again = Outbox(path, DEVICE)
    try:
        assert again.pending() == [rating]
        assert again.depth() == 1
    finally:
        again.close()


def test_the_rating_carries_the_contract_fields(outbox: Outbox) -> None:
    rating = outbox.add(score=5, employee_id="E7", reasons=["procedure"], visit_id="V-1", lang="en", now=T0)

    assert rating.v == 1
    assert rating.device_id == DEVICE
    assert rating.employee_id == "E7"
    assert rating.score == 5
    assert rating.reasons == ["procedure"]
    assert rating.visit_id == "V-1"
    assert rating.lang == "en"
    assert rating.created_at == "2026-11-28T09:15:02.123Z"


def test_seq_strictly_increases_from_one(outbox: Outbox) -> None:
    seqs = [outbox.add(score=3, employee_id=None).seq for _ in range(5)]

    assert seqs == [1, 2, 3, 4, 5]
    assert outbox.last_seq() == 5


def test_seq_continues_after_a_restart(path: Path) -> None:
    first = Outbox(path, DEVICE)
    for _ in range(3):
        first.add(score=3, employee_id=None)
    first.close()

    for expected in (4, 5):  # two restarts in a row
        box = Outbox(path, DEVICE)
        try:
            assert box.last_seq() == expected - 1
            assert box.add(score=3, employee_id=None).seq == expected
        finally:
            box.close()


def test_seq_is_not_reused_after_remove(outbox: Outbox, path: Path) -> None:
    ratings = [outbox.add(score=3, employee_id=None) for _ in range(3)]
    assert outbox.remove(r.id for r in ratings) == 3
    assert outbox.depth() == 0
    outbox.close()

    box = Outbox(path, DEVICE)
    try:
        assert box.add(score=3, employee_id=None).seq == 4
    finally:
        box.close()


def test_seq_is_not_reused_after_reject(outbox: Outbox) -> None:
    rating = outbox.add(score=3, employee_id=None)
    outbox.reject(rating.id, "score must be 1..5")

    assert outbox.add(score=3, employee_id=None).seq == 2


def test_ids_are_uuid7(outbox: Outbox) -> None:
    for _ in range(10):
        rating = outbox.add(score=3, employee_id=None)
        parsed = uuid.UUID(rating.id)
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == rating.id  # canonical lower-case form


def test_ids_are_time_ordered_and_carry_the_tap_time(outbox: Outbox) -> None:
    moments = [T0 + timedelta(milliseconds=k * 7) for k in range(20)]
    ids = [outbox.add(score=3, employee_id=None, now=moment).id for moment in moments]

    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    for rating_id, moment in zip(ids, moments, strict=True):
        unix_ms = uuid.UUID(rating_id).int >> 80
        assert unix_ms == int(moment.timestamp() * 1000)


def test_pending_is_oldest_first_with_limit_and_after_seq(outbox: Outbox) -> None:
    ratings = [outbox.add(score=3, employee_id=None) for _ in range(5)]

    assert [r.seq for r in outbox.pending()] == [1, 2, 3, 4, 5]
    assert outbox.pending(limit=2) == ratings[:2]
    assert outbox.pending(limit=2, after_seq=2) == ratings[2:4]
    assert outbox.pending(after_seq=5) == []


def test_remove_forgets_only_the_acked_ids(outbox: Outbox) -> None:
    a, b, c = (outbox.add(score=3, employee_id=None) for _ in range(3))

    assert outbox.remove([a.id, c.id]) == 2
    assert outbox.pending() == [b]
    assert outbox.depth() == 1


def test_remove_of_unknown_or_already_acked_ids_is_harmless(outbox: Outbox) -> None:
    a = outbox.add(score=3, employee_id=None)
    assert outbox.remove([]) == 0
    assert outbox.remove([str(uuid.uuid4())]) == 0
    assert outbox.remove([a.id]) == 1
    assert outbox.remove([a.id]) == 0  # an Ack delivered twice
    assert outbox.depth() == 0


def test_reject_moves_a_rating_out_of_pending_into_rejected(outbox: Outbox) -> None:
    keep = outbox.add(score=3, employee_id=None)
    bad = outbox.add(score=1, employee_id="E1", now=T0)

    assert outbox.reject(bad.id, "employee_id: unknown employee") is True

    assert outbox.pending() == [keep]
    (row,) = outbox.rejected()
    assert row["id"] == bad.id
    assert row["error"] == "employee_id: unknown employee"
    assert Rating.model_validate_json(row["payload"]) == bad
    parse_time(row["rejected_at"])


def test_reject_of_an_unknown_id_changes_nothing(outbox: Outbox) -> None:
    keep = outbox.add(score=3, employee_id=None)

    assert outbox.reject(str(uuid.uuid4()), "whatever") is False
    assert outbox.pending() == [keep]
    assert outbox.rejected() == []


def test_rejected_ratings_survive_a_restart(outbox: Outbox, path: Path) -> None:
    bad = outbox.add(score=1, employee_id=None)
    outbox.reject(bad.id, "nope")
    outbox.close()

    box = Outbox(path, DEVICE)
    try:
        assert [r["id"] for r in box.rejected()] == [bad.id]
        assert box.depth() == 0
    finally:
        box.close()


def test_an_outbox_refuses_a_file_of_another_device(outbox: Outbox, path: Path) -> None:
    outbox.add(score=3, employee_id=None)
    outbox.close()

    with pytest.raises(ValueError, match=r"belongs to device 'riyadh-hq-d12', not 'jeddah-d1'.*data_dir"):
        Outbox(path, "jeddah-d1")

    box = Outbox(path, DEVICE)  # the rightful owner still opens it, data intact
    try:
        assert box.depth() == 1
    finally:
        box.close()


def test_config_round_trips_and_survives_a_restart(outbox: Outbox, path: Path) -> None:
    assert outbox.load_config() is None
    config = DeviceConfig(
        site_id="riyadh-hq",
        desk_id="desk-12",
        section="men",
        desk_name_ar="مكتب ١٢",
        desk_name_en="Desk 12",
        default_lang="en",
        cooldown_s=30,
        negative_max_score=3,
        mode="invited",
    )
    outbox.save_config(config)
    assert outbox.load_config() == config

    newer = config.model_copy(update={"cooldown_s": 5})
    outbox.save_config(newer)
    outbox.close()

    box = Outbox(path, DEVICE)
    try:
        assert box.load_config() == newer
    finally:
        box.close()


def test_settings_get_set_clear_and_persist(outbox: Outbox, path: Path) -> None:
    assert outbox.get_setting("employee_id") is None
    outbox.set_setting("employee_id", "E1042")
    outbox.set_setting("other", "x")
    assert outbox.get_setting("employee_id") == "E1042"
    outbox.set_setting("employee_id", "E2")
    assert outbox.get_setting("employee_id") == "E2"
    outbox.set_setting("other", None)
    assert outbox.get_setting("other") is None
    outbox.close()

    box = Outbox(path, DEVICE)
    try:
        assert box.get_setting("employee_id") == "E2"
        assert box.get_setting("other") is None
    finally:
        box.close()


def test_settings_do_not_clobber_the_outbox_state(outbox: Outbox) -> None:
    outbox.add(score=3, employee_id=None)
    outbox.set_setting("last_seq", "999")  # a setting named like an internal key
    outbox.set_setting("device_id", "someone-else")

    assert outbox.last_seq() == 1
    assert outbox.add(score=3, employee_id=None).seq == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"score": 6}, "score"),
        ({"score": 0}, "score"),
        ({"score": 3, "reasons": ["Not A Code"]}, "reasons"),
        ({"score": 3, "reasons": [f"r{k}" for k in range(9)]}, "reasons"),
        ({"score": 3, "lang": "French"}, "lang"),
        ({"score": 3, "visit_id": "v" * 65}, "visit_id"),
        ({"score": 3, "employee_id": ""}, "employee_id"),
    ],
)
def test_the_contract_is_enforced_before_anything_is_stored(
    outbox: Outbox, path: Path, kwargs: dict[str, object], field: str
) -> None:
    outbox.add(score=3, employee_id=None)
    kwargs.setdefault("employee_id", None)

    with pytest.raises(ValueError, match=field):
        outbox.add(**kwargs)  # type: ignore[arg-type]

    assert outbox.depth() == 1
    assert len(_rows_seen_by_another_connection(path)) == 1
    assert outbox.last_seq() == 1
    assert outbox.add(score=3, employee_id=None).seq == 2  # the failed add consumed no seq


def test_pending_ratings_are_listed_in_order_as_json(outbox: Outbox) -> None:
    a = outbox.add(score=3, employee_id=None)
    b = outbox.add(score=4, employee_id="E1")

    lines = [rating.to_json() for rating in outbox.pending(limit=1_000_000)]

    assert [json.loads(line)["id"] for line in lines] == [a.id, b.id]
