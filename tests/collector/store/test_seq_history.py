"""Each device's seq history kept as ratings arrive equals the figures from every stored rating.

Ratings go through the real batch path (``Store.add_batch``, and a phone call's through
``collector.ingest.contacts``) into a real SQLite file: restarts that count again, gaps, jumps,
resent ids, several copies of a seq in one batch and batches out of order. The figures
from every rating are the rule's own (``collector.ingest.seq_gaps.summarise``) over ``SELECT``ed rows.
"""

from __future__ import annotations

import random
from contextlib import closing
from pathlib import Path

from sqlite_utils import Database

from collector.ingest.batch import sorted_against_store
from collector.ingest.batch_records import Batch
from collector.ingest.contacts import contact_rating, store_contact
from collector.ingest.seq_gaps import SEQ_JUMP, RunSeqs, summarise
from collector.store import Store
from collector.store.migrations import MIGRATIONS
from collector.store.seq_history import keep_each_devices_seq_history
from tests.support.db_files import execute, rows
from tests.support.fixed_time_ratings import NOW, config, rating

DEVICES = ("dev-a1", "dev-a2", "dev-b1")


def from_every_rating(path: Path) -> list[tuple[str, RunSeqs]]:
    groups: dict[tuple[str, int], list[int]] = {}
    for device_id, run, seq in rows(path, "SELECT device_id, run, seq FROM ratings"):
        groups.setdefault((device_id, run), []).append(seq)
    figures = [(device_id, summarise(run, seqs)) for (device_id, run), seqs in sorted(groups.items())]
    return [(device_id, runs) for device_id, runs in figures if runs is not None]


def varied_batches(rng: random.Random) -> list[list[tuple[str, int, str | None]]]:
    """Batches of (device, seq, id to send again or None): in and out of order, gaps, jumps, resets, resends."""
    top = dict.fromkeys(DEVICES, 0)
    sent: list[tuple[str, int]] = []
    batches = []
    for _ in range(40):
        batch: list[tuple[str, int, str | None]] = []
        for _ in range(rng.randint(1, 25)):
            device_id = rng.choice(DEVICES)
            kind = rng.random()
            if kind < 0.55:  # the next seq, sometimes after a gap
                top[device_id] += 1 if rng.random() < 0.8 else rng.randint(2, 6)
                seq = top[device_id]
            elif kind < 0.65:  # a counter that leaps
                top[device_id] += SEQ_JUMP + rng.randint(1, 50)
                seq = top[device_id]
            elif kind < 0.8:  # a seq already sent, with a new id: a restored tablet counting again
                seq = rng.randint(1, max(1, top[device_id]))
            elif kind < 0.9 and sent:  # the same rating again (a resend)
                device_id, seq = rng.choice(sent)
                batch.append((device_id, seq, f"again-{device_id}-{seq}"))
                continue
            else:  # a late one, below the top, filling a hole or not
                seq = max(1, top[device_id] - rng.randint(1, 3 * SEQ_JUMP))
            batch.append((device_id, seq, None))
            sent.append((device_id, seq))
        rng.shuffle(batch)
        batches.append(batch)
    return batches


def store_varied(store: Store, seed: int) -> None:
    for device_id in DEVICES[:2]:
        store.devices.register(device_id, config(desk_id=device_id), NOW)
    first_of: dict[tuple[str, int], object] = {}
    for batch in varied_batches(random.Random(seed)):
        ratings = []
        for device_id, seq, resend in batch:
            if resend is not None and (device_id, seq) in first_of:
                ratings.append(first_of[(device_id, seq)])
                continue
            made = rating(device_id, seq, minute=seq % 600)
            first_of.setdefault((device_id, seq), made)
            ratings.append(made)
        store.add_batch(sorted_against_store(store, Batch(ratings)), NOW)  # type: ignore[arg-type]


def test_the_kept_history_equals_the_figures_from_every_rating_on_varied_batches(db_path: Path) -> None:
    store = Store(db_path)
    try:
        for seed in range(4):
            store_varied(store, seed)
            assert store.seq_history.runs() == from_every_rating(db_path)
        runs = rows(db_path, "SELECT device_id, max(run) FROM ratings GROUP BY device_id")
        assert all(top > 1 for _, top in runs)  # the data held resets
        assert any(r.jumps for _, r in store.seq_history.runs()) and any(r.gaps for _, r in store.seq_history.runs())
    finally:
        store.close()


def test_a_rebuild_gives_the_same_history_as_the_one_kept(db_path: Path) -> None:
    store = Store(db_path)
    try:
        store_varied(store, 11)
        kept = store.seq_history.runs()
        execute(db_path, "UPDATE device_seq_runs SET ratings = 0, jumps = 7")  # spoilt: the rebuild recomputes
        assert store.seq_history.rebuild() == len(kept)
        assert store.seq_history.runs() == kept == from_every_rating(db_path)
    finally:
        store.close()


def test_the_step_that_makes_the_table_fills_it_from_the_ratings_already_stored(db_path: Path) -> None:
    store = Store(db_path)
    store_varied(store, 5)
    store.close()
    execute(db_path, "DROP TABLE device_seq_runs")  # as a database from before the step: steps after it stay
    with closing(Database(db_path)) as db, db.conn:  # the connection's context commits, as migrate does
        keep_each_devices_seq_history(db)
    assert MIGRATIONS.index(keep_each_devices_seq_history) >= 0  # a step the migrator applies

    store = Store(db_path)
    try:
        assert store.seq_history.runs() == from_every_rating(db_path)
    finally:
        store.close()


def test_the_devices_list_reads_its_gaps_jumps_and_last_seq_from_the_kept_history(store: Store) -> None:
    store.devices.register("dev-a1", config(), NOW)
    store.add_batch(sorted_against_store(store, Batch([rating(seq=s) for s in (1, 2, 5)])), NOW)
    store.add_batch(
        sorted_against_store(store, Batch([rating(seq=5 + SEQ_JUMP + 2), rating(seq=4)])), NOW
    )  # a jump, a late 4
    store.add_batch(
        sorted_against_store(store, Batch([rating(seq=2, minute=700)])), NOW
    )  # 2 again with a new id: a restored tablet, run 2

    (device,) = store.devices.all()
    assert (device["ratings"], device["gaps"], device["seq_jumps"], device["last_seq"]) == (6, 1, 1, 2)


def test_a_phone_calls_ratings_keep_their_integrations_history_too(store: Store) -> None:
    for minute in range(3):
        made = rating(minute=minute)
        call = contact_rating({"v": 1, "id": made.id, "score": 4, "created_at": made.created_at}, "ivr")
        store_contact(store, call, "site-a", None, call.to_json(), NOW)

    assert store.seq_history.runs() == from_every_rating(store.path)
    assert [(d, r.ratings, r.hi, r.gaps) for d, r in store.seq_history.runs()] == [("taqyeem-api-ivr", 3, 3, 0)]
