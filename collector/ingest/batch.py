"""Storing a batch: the one place the MQTT subscriber and the phone system's calls both store ratings.

``store_batch`` reads, inside the batch's transaction, what the rules need of the
devices (their configs, their clocks' latest measures), makes the rules'
decisions (``shared.contract.is_negative``,
``collector.ingest.clock_skew.wrong_clock_ids``) and hands the batch with them to
``Store.add_batch``, which records it.
"""

from __future__ import annotations

from dataclasses import replace

from collector.ingest.batch_records import Batch, StoredBatch
from collector.ingest.clock_skew import wrong_clock_ids
from collector.store import Store
from shared.contract import is_negative


def store_batch(store: Store, batch: Batch, received_at: str, clock_tolerance_s: float = 60.0) -> StoredBatch:
    """Store a batch in one transaction, opening a review for each new negative rating.

    The devices' configs are read inside the same transaction, so a desk re-provisioned
    meanwhile cannot give a batch half old and half new thresholds. So are their clock
    measures (one query a batch): this batch's own measure wins, being the latest.

    A rating that came through no desk's device (a phone call: ``collector.ingest.contacts``)
    is judged by its own config in ``batch.rating_configs``, by rating id.
    """
    ratings, own_configs = batch.ratings, batch.rating_configs
    with store.transaction():
        device_ids = {r.device_id for r in ratings}
        configs = store.devices.configs(device_ids)
        negative_ids = {
            r.id
            for r in ratings
            if is_negative(r.score, own_configs[r.id] if r.id in own_configs else configs.get(r.device_id))
        }
        clocks = {**store.devices.clock_skews(device_ids), **batch.skews}
        late = wrong_clock_ids(ratings, received_at, clocks, clock_tolerance_s)
        return store.add_batch(replace(batch, negative_ids=negative_ids, counted_on_receipt=late), received_at)
