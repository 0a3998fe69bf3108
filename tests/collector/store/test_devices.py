"""Devices: registry, reported status, clock skew, and the seq gaps that show lost ratings."""

from __future__ import annotations

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.store import Store
from shared.contract import Status
from tests.support.fixed_time_ratings import NOW, config, rating


def missing_seqs(store: Store, device_id: str) -> list[tuple[int, int]]:
    """The seq ranges (first, last) of a device that never arrived, read from its stored ratings."""
    rows, _ = store.ratings.page(device_id=device_id, limit=100_000)
    seqs = {r["seq"] for r in rows}
    gaps: list[tuple[int, int]] = []
    expected = 1
    for seq in sorted(seqs):
        if seq > expected:
            gaps.append((expected, seq - 1))
        expected = seq + 1
    return gaps


def test_an_unknown_device_gets_a_row_listed_unassigned(store: Store) -> None:
    store_batch(store, Batch([rating("stranger-1")]), NOW)

    (device,) = store.devices.all()
    assert device["device_id"] == "stranger-1"
    assert device["assigned"] is False
    assert device["site_id"] is None
    assert device["first_seen"] == NOW
    assert device["last_seen"] == NOW
    assert device["ratings"] == 1


def test_a_registered_device_is_assigned_and_keeps_its_config(store: Store) -> None:
    store.devices.register("dev-a1", config("site-a", "desk-3", negative_max_score=3), NOW)

    (device,) = store.devices.all()
    assert device["assigned"] is True
    assert (device["site_id"], device["desk_id"]) == ("site-a", "desk-3")
    assert device["config"]["negative_max_score"] == 3
    assert store.devices.config("dev-a1") == config("site-a", "desk-3", negative_max_score=3)
    assert store.devices.config("nobody") is None


def test_registering_a_device_seen_before_assigns_it(store: Store) -> None:
    store_batch(store, Batch([rating("dev-a1")]), NOW)
    store.devices.register("dev-a1", config(), NOW)

    (device,) = store.devices.all()
    assert device["assigned"] is True
    assert device["ratings"] == 1


def test_devices_count_gaps_and_the_stored_seqs_show_the_missing_ranges(store: Store) -> None:
    store_batch(store, Batch([rating("dev-a1", s) for s in (1, 2, 5)]), NOW)
    store_batch(store, Batch([rating("dev-b1", s) for s in (3, 4, 8, 10)]), NOW)
    store_batch(store, Batch([rating("dev-c1", s) for s in (1, 2, 3)]), NOW)

    by_id = {d["device_id"]: d for d in store.devices.all()}
    assert (by_id["dev-a1"]["last_seq"], by_id["dev-a1"]["gaps"]) == (5, 2)
    assert (by_id["dev-b1"]["last_seq"], by_id["dev-b1"]["gaps"]) == (10, 6)
    assert (by_id["dev-c1"]["last_seq"], by_id["dev-c1"]["gaps"]) == (3, 0)

    assert missing_seqs(store, "dev-a1") == [(3, 4)]
    assert missing_seqs(store, "dev-b1") == [(1, 2), (5, 7), (9, 9)]
    assert missing_seqs(store, "dev-c1") == []
    assert missing_seqs(store, "nobody") == []


def test_a_gap_filled_later_is_no_longer_counted(store: Store) -> None:
    store_batch(store, Batch([rating("dev-a1", s) for s in (1, 2, 5)]), NOW)
    store_batch(store, Batch([rating("dev-a1", s) for s in (3, 4)]), NOW)

    (device,) = store.devices.all()
    assert device["gaps"] == 0
    assert missing_seqs(store, "dev-a1") == []


def test_a_registered_device_without_ratings_has_no_gaps(store: Store) -> None:
    store.devices.register("dev-a1", config(), NOW)
    (device,) = store.devices.all()
    assert (device["last_seq"], device["gaps"], device["ratings"]) == (0, 0, 0)


def test_devices_can_be_limited_to_sites(store: Store) -> None:
    store.devices.register("dev-a1", config("site-a"), NOW)
    store.devices.register("dev-b1", config("site-b"), NOW)
    store_batch(store, Batch([rating("stranger-1")]), NOW)

    assert [d["device_id"] for d in store.devices.all(sites=["site-b"])] == ["dev-b1"]
    assert len(store.devices.all()) == 3


def test_record_status_live_updates_last_seen(store: Store) -> None:
    status = Status(
        state="online", app_version="0.1.0", outbox=3, employee_id="E7", last_seq=42, at="2026-11-28T09:59:59.000Z"
    )
    store.devices.record_status("dev-a1", status, NOW, live=True)

    (device,) = store.devices.all()
    assert device["state"] == "online"
    assert device["last_seen"] == NOW
    assert device["status_at"] == "2026-11-28T09:59:59.000Z"
    assert (device["outbox"], device["employee_id"], device["app_version"], device["reported_seq"]) == (
        3,
        "E7",
        "0.1.0",
        42,
    )


def test_record_status_retained_does_not_count_as_seen(store: Store) -> None:
    store.devices.record_status("dev-a1", Status(state="online", outbox=1), NOW, live=False)

    (device,) = store.devices.all()
    assert device["state"] == "online"
    assert device["last_seen"] is None
    assert device["first_seen"] == NOW


def test_the_last_will_keeps_what_was_known(store: Store) -> None:
    online = Status(state="online", outbox=3, employee_id="E7", last_seq=9)
    store.devices.record_status("dev-a1", online, NOW, live=True)
    store.devices.record_status("dev-a1", Status(state="offline"), "2026-11-28T10:10:00.000Z", live=True)

    (device,) = store.devices.all()
    assert device["state"] == "offline"
    assert (device["outbox"], device["employee_id"], device["reported_seq"]) == (3, "E7", 9)
    assert device["last_seen"] == "2026-11-28T10:10:00.000Z"


def test_clock_skew_is_noted(store: Store) -> None:
    store_batch(store, Batch([rating("dev-a1")]), NOW)
    store_batch(store, Batch([rating("dev-b1")]), NOW)
    store.devices.note_clock_skew("dev-a1", 300.0)
    store.devices.note_clock_skew("dev-b1", 2.0)

    by_id = {d["device_id"]: d for d in store.devices.all()}
    assert by_id["dev-a1"]["clock_skew_s"] == 300.0
    assert by_id["dev-a1"]["clock_off"] is True
    assert by_id["dev-b1"]["clock_off"] is False


# --- honest history: runs of seq, resets, jumps, the latest clock ---------------------------------


def device_row(store: Store, device_id: str = "dev-a1") -> dict[str, object]:
    return next(d for d in store.devices.all() if d["device_id"] == device_id)


def test_a_restored_tablet_counting_from_one_again_is_a_reset_event_not_a_gap(store: Store) -> None:
    store_batch(store, Batch([rating("dev-a1", s) for s in range(1, 6)]), NOW)
    later = "2026-11-28T11:00:00.000Z"
    store_batch(store, Batch([rating("dev-a1", s, minute=60 + s) for s in (1, 2, 3)]), later)

    device = device_row(store)
    assert (device["seq_resets"], device["last_reset_at"], device["seq_run"]) == (1, later, 2)
    assert (device["ratings"], device["last_seq"], device["gaps"], device["seq_jumps"]) == (8, 3, 0, 0)
    (event,) = [e for e in store.devices.events("dev-a1") if e["kind"] == "seq_reset"]
    assert (event["at"], event["actor"], event["data"]["seq"], event["data"]["run"]) == (later, "collector", 1, 2)


def test_gaps_are_counted_within_each_run(store: Store) -> None:
    store_batch(store, Batch([rating("dev-a1", s) for s in (1, 2, 4)]), NOW)  # 3 missing
    store_batch(
        store, Batch([rating("dev-a1", s, minute=60 + s) for s in (2, 3, 6)]), NOW
    )  # a run from 2: 4, 5 missing

    device = device_row(store)
    assert (device["seq_resets"], device["gaps"], device["last_seq"]) == (1, 3, 6)


def test_a_late_rating_filling_a_gap_is_not_a_reset(store: Store) -> None:
    store_batch(store, Batch([rating("dev-a1", s) for s in (1, 2, 5)]), NOW)
    store_batch(store, Batch([rating("dev-a1", 3)]), NOW)

    device = device_row(store)
    assert (device["seq_resets"], device["gaps"], device["last_seq"]) == (0, 1, 5)


def test_a_reset_inside_one_batch_starts_one_new_run(store: Store) -> None:
    store_batch(store, Batch([rating("dev-a1", s) for s in (1, 2, 3)]), NOW)
    store_batch(store, Batch([rating("dev-a1", 4), *(rating("dev-a1", s, minute=90 + s) for s in (1, 2, 3, 4))]), NOW)

    device = device_row(store)
    assert (device["seq_resets"], device["seq_run"], device["gaps"], device["last_seq"]) == (1, 2, 0, 4)


def test_one_stray_seq_of_a_million_is_one_jump_not_999994_gaps(store: Store) -> None:
    store_batch(store, Batch([rating("dev-a1", s) for s in range(1, 7)]), NOW)
    store_batch(store, Batch([rating("dev-a1", 1_000_000, minute=7)]), NOW)
    store_batch(store, Batch([rating("dev-a1", s, minute=s + 1) for s in range(7, 11)]), NOW)

    device = device_row(store)
    assert (device["gaps"], device["seq_jumps"], device["seq_resets"], device["ratings"]) == (0, 1, 0, 11)


def test_the_latest_clock_measure_is_shown_so_one_wild_skew_does_not_stay(store: Store) -> None:
    store_batch(store, Batch([rating("dev-a1")], skews={"dev-a1": 34_560_000.0}), NOW)
    assert device_row(store)["clock_off"] is True
    store_batch(store, Batch([rating("dev-a1", 2)], skews={"dev-a1": -0.2}), "2026-11-28T10:00:05.000Z")

    device = device_row(store)
    assert (device["clock_skew_s"], device["clock_skew_at"], device["clock_off"]) == (
        -0.2,
        "2026-11-28T10:00:05.000Z",
        False,
    )


def test_a_clock_set_back_is_flagged_too(store: Store) -> None:
    store_batch(store, Batch([rating("dev-a1")], skews={"dev-a1": -3600.0}), NOW)
    assert device_row(store)["clock_off"] is True
