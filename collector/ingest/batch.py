"""Storing a batch: the one place the MQTT subscriber and the phone system's calls both store ratings.

``store_batch`` reads, inside the batch's transaction, what the rules need of the
store, makes the rules' decisions and hands the batch with them to
``Store.add_batch``, which records it:

- ``judged``: which ratings are negative (``shared.contract.is_negative``, by their
  desks' configs) and which count on the day they arrived
  (``collector.ingest.clock_skew.wrong_clock_ids``, by their devices' clocks);
- ``sorted_against_store``: which ratings and Presence are new, duplicates or
  conflicts (``collector.ingest.conflicts``, by the copies stored under their ids),
  and which run of seq each new rating is in (``collector.ingest.seq_resets``, by the
  seqs their devices' runs hold).
"""

from __future__ import annotations

from dataclasses import replace

from collector.ingest.batch_records import Batch, DeadLetter, StoredBatch
from collector.ingest.clock_skew import wrong_clock_ids
from collector.ingest.conflicts import sort_copies, sort_presence
from collector.ingest.seq_resets import runs_of
from collector.reviews.callbacks import refused_callbacks
from collector.reviews.ownership import assign_new_reviews
from collector.store import Store
from shared import topics
from shared.contract import is_negative


def store_batch(store: Store, batch: Batch, received_at: str, clock_tolerance_s: float = 60.0) -> StoredBatch:
    """Store a batch in one transaction, opening a review for each new negative rating.

    Everything the rules read is read inside the same transaction: a desk re-provisioned
    meanwhile cannot give a batch half old and half new thresholds, and a copy stored by
    another writer meanwhile cannot be stored twice.
    """
    with store.transaction():
        batch = judged(store, batch, received_at, clock_tolerance_s)
        refused = refused_callbacks(list(batch.ratings), set(batch.negative_ids))
        if refused:  # a number on a rating that is not negative: the whole rating is rejected with the reason
            batch = without(batch, refused)
        stored = store.add_batch(sorted_against_store(store, batch), received_at)
        assign_new_reviews(store, stored.negatives, received_at)  # owner and deadline in the same commit
        return replace(stored, refused=refused) if refused else stored


def without(batch: Batch, refused: dict[str, str]) -> Batch:
    """The batch without the ``refused`` ratings (id -> reason), which join its dead letters as received."""
    keep = [i for i, r in enumerate(batch.ratings) if r.id not in refused]
    letters = [
        DeadLetter(
            batch.sources[i] if batch.sources else topics.ratings(r.device_id),
            r.device_id,
            batch.payloads[i] if batch.payloads else r.to_json(),
            refused[r.id],
        )
        for i, r in enumerate(batch.ratings)
        if r.id in refused
    ]
    return replace(
        batch,
        ratings=[batch.ratings[i] for i in keep],
        payloads=None if batch.payloads is None else [batch.payloads[i] for i in keep],
        sources=None if batch.sources is None else [batch.sources[i] for i in keep],
        dead_letters=[*batch.dead_letters, *letters],
    )


def judged(store: Store, batch: Batch, received_at: str, clock_tolerance_s: float = 60.0) -> Batch:
    """The batch with its negative ratings and those that count on the day they arrived.

    The devices' configs and their clocks' measures are read in one query each: this
    batch's own measure wins, being the latest. A rating that came through no desk's
    device (a phone call: ``collector.ingest.contacts``) is judged by its own config in
    ``batch.rating_configs``, by rating id.
    """
    ratings, own_configs = batch.ratings, batch.rating_configs
    device_ids = {r.device_id for r in ratings}
    configs = store.devices.configs(device_ids)
    negative_ids = {
        r.id
        for r in ratings
        if is_negative(r.score, own_configs[r.id] if r.id in own_configs else configs.get(r.device_id))
    }
    clocks = {**store.devices.clock_skews(device_ids), **batch.skews}
    late = wrong_clock_ids(ratings, received_at, clocks, clock_tolerance_s)
    return replace(batch, negative_ids=negative_ids, counted_on_receipt=late)


def sorted_against_store(store: Store, batch: Batch) -> Batch:
    """The batch with its ratings and Presence sorted by the copies stored, and each new rating's run of seq.

    Content is read only for ids already stored, and seqs only at or below each device
    run's highest: the usual batch costs one query for its ids and one max() per device.
    """
    copies = sort_copies(batch.ratings, store.ratings.stored_content([r.id for r in batch.ratings]))
    new = [rating for rating, _ in copies.new]
    current = store.devices.seq_runs(r.device_id for r in new)
    runs, resets = runs_of(new, current, store.ratings.held_seqs(new, current))
    events = batch.presence
    presence_copies = sort_presence(events, store.presence.stored_content([p.id for p in events]))
    return replace(batch, copies=copies, presence_copies=presence_copies, runs=runs, resets=resets)
