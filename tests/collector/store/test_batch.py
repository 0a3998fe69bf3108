"""A batch as the ingest writer stores it: ``collector.ingest.batch.store_batch`` over ``Store.add_batch``.

The negative rule (``shared.contract.is_negative``) is applied above the store;
the store opens a review for each newly stored rating it is told is negative,
in the same transaction as the batch.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from collector.ingest.batch import sorted_against_store, store_batch
from collector.ingest.batch_records import Batch, DeadLetter
from collector.ingest.conflicts import Copies
from collector.store import Store, StoreError
from tests.support.db_files import rows
from tests.support.fixed_time_ratings import NOW, config, rating


def test_store_batch_stores_the_contract_fields(store: Store) -> None:
    r = rating(reasons=["waiting_time", "procedure"])

    result = store_batch(store, Batch([r]), NOW)

    assert result.new_rating_ids == [r.id]
    assert result.duplicate_ids == []
    (row,), _ = store.ratings.page()
    assert row["id"] == r.id
    assert (row["device_id"], row["seq"], row["score"], row["employee_id"]) == ("dev-a1", 1, 4, "E1")
    assert row["reasons"] == ["waiting_time", "procedure"]
    assert row["created_at"] == r.created_at
    assert row["received_at"] == NOW
    assert row["negative"] is False


def test_the_same_rating_across_batches_is_stored_once_and_reported_duplicate(store: Store, db_path: Path) -> None:
    r = rating()
    first = store_batch(store, Batch([r]), NOW)
    second = store_batch(store, Batch([r]), "2026-11-28T10:05:00.000Z")

    assert first.new_rating_ids == [r.id]
    assert second.new_rating_ids == []
    assert second.duplicate_ids == [r.id]
    assert rows(db_path, "SELECT count(*), min(received_at) FROM ratings") == [(1, NOW)]


def test_the_same_rating_twice_in_one_batch_is_stored_once(store: Store, db_path: Path) -> None:
    r = rating()
    result = store_batch(store, Batch([r, r]), NOW)

    assert result.new_rating_ids == [r.id]
    assert rows(db_path, "SELECT count(*) FROM ratings") == [(1,)]


def test_the_same_rating_twice_in_one_batch_is_reported_duplicate(store: Store) -> None:
    r = rating()
    result = store_batch(store, Batch([r, r]), NOW)

    assert result.duplicate_ids == [r.id]


def test_a_duplicate_negative_does_not_open_a_second_review(store: Store, db_path: Path) -> None:
    r = rating(score=1)
    store_batch(store, Batch([r, r]), NOW)
    again = store_batch(store, Batch([r]), NOW)

    assert again.negatives == []
    assert rows(db_path, "SELECT count(*) FROM reviews") == [(1,)]
    assert rows(db_path, "SELECT count(*) FROM review_events") == [(1,)]


def test_ratings_are_never_updated_by_a_resend(store: Store, db_path: Path) -> None:
    r = rating(score=5)
    store_batch(store, Batch([r]), NOW)
    forged = r.model_copy(update={"score": 1})
    store_batch(store, Batch([forged]), "2026-11-28T11:00:00.000Z")

    assert rows(db_path, "SELECT score, received_at FROM ratings") == [(5, NOW)]


# --- negatives and reviews ------------------------------------------------------------


@pytest.mark.parametrize(("score", "negative"), [(1, True), (2, True), (3, False), (4, False), (5, False)])
def test_default_threshold_is_two(store: Store, db_path: Path, score: int, negative: bool) -> None:
    store.devices.register("dev-a1", config(), NOW)
    result = store_batch(store, Batch([rating(score=score)]), NOW)

    assert bool(result.negatives) is negative
    assert rows(db_path, "SELECT negative FROM ratings") == [(int(negative),)]


def test_a_negative_opens_exactly_one_review_and_one_opened_event(store: Store, db_path: Path) -> None:
    store.devices.register("dev-a1", config(), NOW)
    bad, good = rating(seq=1, score=2), rating(seq=2, score=5)

    result = store_batch(store, Batch([bad, good]), NOW)

    assert [n["id"] for n in result.negatives] == [bad.id]
    assert result.negatives[0]["site_id"] == "site-a"
    assert rows(db_path, "SELECT rating_id, status, opened_at, closed_at FROM reviews") == [(bad.id, "open", NOW, None)]
    assert rows(db_path, "SELECT rating_id, actor, kind, at FROM review_events") == [(bad.id, "system", "opened", NOW)]


def test_a_device_with_threshold_three_flags_threes(store: Store, db_path: Path) -> None:
    store.devices.register("dev-a1", config(negative_max_score=3), NOW)
    store.devices.register("dev-b1", config("site-b"), NOW)

    result = store_batch(store, Batch([rating("dev-a1", 1, 3), rating("dev-b1", 1, 3), rating("dev-a1", 2, 4)]), NOW)

    assert [(n["device_id"], n["score"]) for n in result.negatives] == [("dev-a1", 3)]
    assert rows(db_path, "SELECT count(*) FROM reviews") == [(1,)]


def test_an_unknown_device_uses_the_default_threshold(store: Store) -> None:
    result = store_batch(store, Batch([rating("stranger-1", 1, 2), rating("stranger-1", 2, 3)]), NOW)
    assert [n["score"] for n in result.negatives] == [2]
    assert result.negatives[0]["site_id"] is None


def test_the_store_opens_reviews_only_for_the_ids_it_is_given(store: Store, db_path: Path) -> None:
    low, high = rating(seq=1, score=1), rating(seq=2, score=5)

    result = store.add_batch(sorted_against_store(store, Batch([low, high], negative_ids=[high.id])), NOW)

    assert [n["id"] for n in result.negatives] == [high.id]
    assert rows(db_path, "SELECT id, negative FROM ratings ORDER BY seq") == [(low.id, 0), (high.id, 1)]
    assert rows(db_path, "SELECT rating_id FROM reviews") == [(high.id,)]


def test_a_batch_that_fails_leaves_nothing_behind(store: Store, db_path: Path) -> None:
    good = rating(seq=1, score=1)
    broken_status = ("dev-a1", None, True)  # fails after the ratings and the review were written
    batch = Batch([good], negative_ids=[good.id], statuses=[broken_status])  # type: ignore[list-item]
    with pytest.raises(AttributeError):
        store.add_batch(sorted_against_store(store, batch), NOW)
    assert rows(db_path, "SELECT (SELECT count(*) FROM ratings), (SELECT count(*) FROM reviews)") == [(0, 0)]


def test_ratings_take_site_and_desk_from_the_registered_device(store: Store) -> None:
    store.devices.register("dev-a1", config("site-a", "desk-7"), NOW)
    store_batch(store, Batch([rating("dev-a1")]), NOW)

    (row,), _ = store.ratings.page()
    assert (row["site_id"], row["desk_id"]) == ("site-a", "desk-7")


# --- dead letters ------------------------------------------------------------------------


def test_dead_letters_are_stored_whole_with_their_reason(store: Store, db_path: Path) -> None:
    big = b'{"v": 1, "pad": "' + b"x" * 5000 + b'"}'
    not_utf8 = b"\xff\xfe\x00{rating}\x80"
    letters = [
        DeadLetter("taqyeem/v1/devices/dev-a1/ratings", "dev-a1", big, "payload is 5019 bytes; the limit is 4096"),
        DeadLetter("taqyeem/v1/devices/dev-a1/ratings", "dev-a1", not_utf8, "payload is not UTF-8"),
        DeadLetter("somewhere/else", None, b"", "unexpected topic"),
    ]

    store_batch(store, Batch(dead_letters=letters), NOW)

    stored = rows(db_path, "SELECT topic, device_id, payload, reason, received_at FROM dead_letters ORDER BY id")
    assert stored == [(d.topic, d.device_id, d.payload, d.reason, NOW) for d in letters]
    assert all(isinstance(row[2], bytes) for row in stored)
    assert store.ratings.count_dead_letters() == 3


# --- conflicts: one id, two contents ------------------------------------------------------


def test_an_identical_resend_is_a_duplicate_and_not_a_conflict(store: Store, db_path: Path) -> None:
    r = rating()
    store_batch(store, Batch([r]), NOW)
    again = store_batch(store, Batch([r]), NOW)

    assert (again.duplicate_ids, again.conflict_ids) == ([r.id], [])
    assert store.ratings.count_dead_letters() == 0
    assert store.devices.all()[0]["conflicts"] == 0


def test_a_stored_id_sent_again_with_another_score_is_a_conflict_kept_whole_and_counted(
    store: Store, db_path: Path
) -> None:
    r = rating(score=5)
    store_batch(store, Batch([r]), NOW)
    forged = r.model_copy(update={"score": 1})
    raw = b" " + forged.to_json()  # as received, spacing and all

    result = store_batch(store, Batch([forged], payloads=[raw]), NOW)

    assert (result.duplicate_ids, result.conflict_ids, result.negatives) == ([r.id], [r.id], [])
    assert rows(db_path, "SELECT score FROM ratings") == [(5,)]  # the first stays
    (letter,) = store.ratings.dead_letters()
    assert letter["reason"] == (
        "conflict: this id is already stored with other content; the stored copy stays: score 5 stored, 1 now"
    )
    assert (letter["topic"], letter["device_id"]) == ("taqyeem/v1/devices/dev-a1/ratings", "dev-a1")
    assert rows(db_path, "SELECT payload FROM dead_letters") == [(raw,)]
    assert store.devices.all()[0]["conflicts"] == 1


def test_a_stored_id_sent_by_another_device_is_counted_for_the_device_that_sent_it_again(store: Store) -> None:
    r = rating("dev-a1")
    store_batch(store, Batch([r]), NOW)
    store_batch(store, Batch([r.model_copy(update={"device_id": "dev-b1"})]), NOW)
    store_batch(store, Batch([r.model_copy(update={"device_id": "dev-b1", "seq": 9})]), NOW)

    by_id = {d["device_id"]: d for d in store.devices.all()}
    assert (by_id["dev-a1"]["conflicts"], by_id["dev-b1"]["conflicts"]) == (0, 2)
    reasons = [d["reason"] for d in store.ratings.dead_letters()]
    assert "device_id 'dev-a1' stored, 'dev-b1' now" in reasons[-1]
    assert reasons[0].endswith("device_id 'dev-a1' stored, 'dev-b1' now; seq 1 stored, 9 now")


def test_two_contents_of_one_id_in_the_same_batch_keep_the_first_and_record_the_second(store: Store) -> None:
    r = rating(score=4)
    other = r.model_copy(update={"employee_id": "E2"})

    result = store_batch(store, Batch([r, other]), NOW)

    assert (result.new_rating_ids, result.conflict_ids) == ([r.id], [r.id])
    assert store.ratings.page()[0][0]["employee_id"] == "E1"
    assert store.ratings.dead_letters()[0]["reason"].endswith("employee_id 'E1' stored, 'E2' now")


def test_the_store_refuses_a_batch_no_rule_has_sorted_against_the_copies_stored(store: Store) -> None:
    with pytest.raises(StoreError, match="sorted_against_store"):
        store.add_batch(Batch([rating()]), NOW)


def test_the_store_records_the_conflicts_it_is_handed_as_decided(store: Store, db_path: Path) -> None:
    r = rating()
    told = Batch(
        [r], copies=Copies([], [r.id], [(0, "conflict: as the rule says")]), presence_copies=Copies([], [], [])
    )
    stored = store.add_batch(told, NOW)
    assert (stored.new_rating_ids, stored.conflict_ids) == ([], [r.id])
    assert rows(db_path, "SELECT reason FROM dead_letters") == [("conflict: as the rule says",)]
    assert rows(db_path, "SELECT count(*) FROM ratings") == [(0,)]
