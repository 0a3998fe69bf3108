"""Storing a batch (collector/ingest/batch.py): the rules' decisions, made on what the store holds, handed to it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from collector.ingest.batch import judged, sorted_against_store, store_batch
from collector.ingest.batch_records import Batch
from collector.ingest.seq_resets import SeqReset
from collector.store import Store
from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig, Rating

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
NOW = format_time(T0 + timedelta(hours=1))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "taqyeem.db")
    yield store
    store.close()


def rating(seq: int = 1, score: int = 4, *, device_id: str = "dev-a1", minute: int | None = None) -> Rating:
    moment = T0 + timedelta(minutes=seq if minute is None else minute)
    return Rating(
        id=str(uuid7(int(moment.timestamp() * 1000))),
        seq=seq,
        device_id=device_id,
        employee_id="E1",
        score=score,
        created_at=format_time(moment),
    )


def desk(negative_max_score: int) -> DeviceConfig:
    return DeviceConfig(
        site_id="site-a",
        desk_id="desk-1",
        desk_name_ar="مكتب",
        desk_name_en="Desk",
        negative_max_score=negative_max_score,
    )


def test_a_score_is_judged_by_its_desks_threshold_and_a_call_by_its_own_config(store: Store) -> None:
    store.devices.register("dev-a1", desk(3), NOW)
    at_desk, call = rating(1, score=3), rating(2, score=3, device_id="taqyeem-api-ivr")
    batch = judged(store, Batch([at_desk, call], rating_configs={call.id: desk(2)}), NOW)
    assert set(batch.negative_ids) == {at_desk.id}


def test_a_device_whose_stored_clock_is_off_has_its_ratings_counted_on_the_day_they_arrived(store: Store) -> None:
    store.devices.note_seen(["dev-a1", "dev-b1"], NOW)
    store.devices.note_clock_skew("dev-a1", -7200.0, NOW)
    off, right = rating(1), rating(1, device_id="dev-b1")
    assert set(judged(store, Batch([off, right]), NOW).counted_on_receipt) == {off.id}
    measured_now = judged(store, Batch([off], skews={"dev-a1": 0.5}), NOW)  # this batch's measure wins
    assert set(measured_now.counted_on_receipt) == set()


def test_a_copy_stored_with_other_content_is_sorted_as_a_conflict_and_the_same_one_as_a_duplicate(
    store: Store,
) -> None:
    first = rating(1, score=4)
    store_batch(store, Batch([first]), NOW)
    changed = first.model_copy(update={"score": 1})
    batch = sorted_against_store(store, Batch([first, changed, rating(2)]))
    assert batch.copies is not None
    assert [r.seq for r, _ in batch.copies.new] == [2]
    assert batch.copies.duplicates == [first.id, first.id]
    assert [(index, reason.rsplit(": ", 1)[-1]) for index, reason in batch.copies.conflicts] == [
        (1, "score 4 stored, 1 now")
    ]
    assert (list(batch.runs), list(batch.resets)) == ([1], [])


def test_a_seq_the_devices_run_holds_starts_the_next_run_and_the_store_records_the_reset(store: Store) -> None:
    store_batch(store, Batch([rating(1), rating(2)]), NOW)
    again = rating(1, minute=500)  # a new id with seq 1: the tablet was reset
    batch = sorted_against_store(store, Batch([again]))
    assert (list(batch.runs), list(batch.resets)) == ([2], [SeqReset("dev-a1", 2, again.id, 1)])
    store.add_batch(batch, NOW)
    row = store.devices.get("dev-a1")
    assert row is not None and (row["seq_run"], row["seq_resets"]) == (2, 1)


def test_store_batch_stores_what_the_rules_decided_in_one_call(store: Store) -> None:
    store.devices.register("dev-a1", desk(2), NOW)
    low, fine = rating(1, score=2), rating(2, score=3)
    stored = store_batch(store, Batch([low, fine, low]), NOW)
    assert (stored.new_rating_ids, stored.duplicate_ids, stored.conflict_ids) == ([low.id, fine.id], [low.id], [])
    assert [row["id"] for row in stored.negatives] == [low.id]
