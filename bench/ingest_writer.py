"""The ingest writer's own cost per rating, without a broker: CPU time and SQL statements.

Runs ``Ingest._commit_and_ack`` (classify, the batch transaction, PUBACKs and Acks
to a client that only counts them) over N ratings shaped as bench/ingest.py sends
them (``bench/ingest.py:bench_rating``), in batches of 500, and prints the writer's CPU time per rating
(``time.process_time``: what a loaded machine changes least) and, with ``--trace``,
each SQL statement's count per batch (sqlite3's trace callback).

    .venv/bin/python bench/ingest_writer.py --ratings 30000 --trace

It imports the tree it sits in: to compare with an older commit, copy it into that
commit's worktree (``git worktree add /tmp/old <commit>``) and run the copy.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ingest import bench_rating
from collector.ingest.classify import Incoming
from collector.ingest.subscriber import Ingest
from collector.settings import CollectorSettings
from collector.store import Store
from shared import topics

LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


class CountingClient:
    """Stands for paho's client after the commit: counts PUBACKs and publications."""

    def __init__(self) -> None:
        self.acks = 0
        self.published = 0

    def ack(self, _mid: int, _qos: int) -> None:
        self.acks += 1

    def publish(self, _topic: str, _payload: bytes, qos: int = 0, retain: bool = False) -> None:
        self.published += 1


def incoming(total: int, devices: int) -> list[Incoming]:
    """``total`` ratings as paho hands them over, the devices interleaved as the broker delivers them."""
    per_device = total // devices
    received_at = datetime.now(UTC)
    items = []
    for seq in range(1, per_device + 1):
        for n in range(1, devices + 1):
            device_id = f"bench-{n:02d}"
            topic, body = topics.ratings(device_id), json.dumps(bench_rating(device_id, seq)).encode()
            items.append(Incoming(topic, body, len(items) + 1, 1, False, received_at))
    return items


def statement_shape(sql: str) -> str:
    """The statement with its values (the trace callback writes them in) as ?: one line per statement."""
    return " ".join(LITERALS.sub("?", sql).split())[:100]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=30_000)
    parser.add_argument("--devices", type=int, default=10)
    parser.add_argument("--trace", action="store_true", help="count each SQL statement per batch")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the writer here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = CollectorSettings(broker="mqtt://bench:x@127.0.0.1:1", db=Path(tmp) / "w.db", client_id="bench")
        store = Store(settings.db)
        ingest = Ingest(settings, store)
        client = CountingClient()
        ingest.client = client  # type: ignore[assignment]
        items = incoming(args.ratings, args.devices)
        size = settings.batch_size
        batches = [items[i : i + size] for i in range(0, len(items), size)]
        statements: Counter[str] = Counter()
        if args.trace:
            store.ratings._conn.db.conn.set_trace_callback(lambda sql: statements.update([statement_shape(sql)]))
        profile = cProfile.Profile() if args.profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profile:
            profile.enable()
        for batch in batches:
            ingest._commit_and_ack(batch)
        if profile:
            profile.disable()
            profile.dump_stats(args.profile)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        store.ratings._conn.db.conn.set_trace_callback(None)
        rows = store.ratings._conn.db.execute("SELECT count(*) FROM ratings").fetchone()[0]
        store.close()
    print(f"ratings:            {len(items)} in {len(batches)} batches, {rows} rows stored")
    print(f"writer CPU:         {cpu / len(items) * 1e6:.1f} us per rating ({wall / len(items) * 1e6:.1f} us wall)")
    print(f"PUBACKs, publishes: {client.acks}, {client.published}")
    if args.trace:
        print(f"SQL statements:     {sum(statements.values()) / len(batches):.1f} per batch; per batch, each:")
        for sql, count in statements.most_common(25):
            print(f"  {count / len(batches):6.1f}  {sql}")


if __name__ == "__main__":
    main()
