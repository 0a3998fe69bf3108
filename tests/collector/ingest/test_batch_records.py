"""The records a batch travels in (collector/ingest/batch_records.py), and the batch classify makes of its messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from collector.ingest.batch_records import Batch, DeadLetter, StoredBatch
from collector.ingest.classify import Incoming, classify
from shared import topics

NOW = datetime(2026, 11, 28, 9, 15, 3, tzinfo=UTC)


def test_a_batch_holds_nothing_and_no_decision_until_given() -> None:
    batch = Batch()
    assert (list(batch.ratings), list(batch.dead_letters), dict(batch.skews)) == ([], [], {})
    assert (set(batch.negative_ids), set(batch.counted_on_receipt)) == (set(), set())
    assert (batch.payloads, batch.sources) == (None, None)


def test_what_the_store_did_with_a_batch_names_no_conflict_and_no_presence_unless_told() -> None:
    stored = StoredBatch(["a"], ["b"], [])
    assert (stored.conflict_ids, stored.presence_ids) == ([], [])


def test_classified_messages_travel_as_one_batch_with_the_rejections_as_dead_letters_without_their_ids() -> None:
    good = {
        "v": 1,
        "id": "0190a4c2-7d3b-7c6a-9a43-2f1b7f3c9e10",
        "seq": 1,
        "device_id": "dev-a1",
        "employee_id": None,
        "score": 4,
        "created_at": "2026-11-28T09:15:02.000Z",
    }
    bad = {**good, "id": "0190a4c2-7d3b-7c6a-9a43-2f1b7f3c9e11", "score": 9}
    items = [
        Incoming(topics.ratings("dev-a1"), json.dumps(data).encode(), n, 1, False, NOW)
        for n, data in enumerate([good, bad])
    ]
    classified = classify(items)
    batch = classified.batch
    assert [r.id for r in batch.ratings] == [good["id"]]
    assert list(batch.payloads or []) == [items[0].payload]
    [letter] = batch.dead_letters
    assert isinstance(letter, DeadLetter) and letter.payload == items[1].payload
    assert classified.rejected[0][1] == bad["id"]
    assert set(batch.negative_ids) == set()
