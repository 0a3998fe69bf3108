"""The reviewers' figures at scale: a year's and a day's, and the overdue count, over many reviews.

Reviews are about one per negative rating, so a year of a ministry's 10M ratings holds
several hundred thousand. This fills a throwaway database with ``--reviews`` negative ratings
over a year (20 sites, 3 owners each, 5,000 left open and past due), each with its review,
then times ``collector.reports.reviewers.reviewer_figures`` for the whole year and for one
day, and ``ReviewOwners.overdue_count`` (the Today tile, and the escalation sweep's query).

    .venv/bin/python bench/reviewers.py --reviews 300000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collector.reports.reviewers import reviewer_figures
from collector.store import Store
from shared.clock import format_time, uuid7

START = datetime(2025, 1, 1, 5, tzinfo=UTC)


def fill(path: Path, count: int, open_now: int) -> None:
    store = Store(path)
    store.close()
    db = Database(path)
    rng = random.Random(7)
    ratings, reviews = [], []
    for i in range(count):
        at = START + timedelta(minutes=rng.randrange(365 * 24 * 60))
        rating_id = str(uuid7(int(at.timestamp() * 1000)))
        site = f"site-{i % 20:02d}"
        stamp = format_time(at)
        ratings.append((rating_id, f"dev-{i % 400}", i, 1, stamp, stamp, stamp, site, 1))
        due = format_time(at + timedelta(hours=6))
        is_open = i < open_now
        closed = None if is_open else format_time(at + timedelta(hours=rng.choice((1, 2, 5, 30))))
        reviews.append(
            (rating_id, "open" if is_open else "closed", stamp, closed, f"sup-{site}-{i % 3}", due, due, site)
        )
    with db.conn:
        db.conn.executemany(
            "INSERT INTO ratings (id, device_id, seq, score, created_at, received_at, counted_at, site_id, negative) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ratings,
        )
        db.conn.executemany(
            "INSERT INTO reviews (rating_id, status, opened_at, closed_at, owner, due_at, director_at, site_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            reviews,
        )
    db.close()


def timed(what: str, call: object, repeat: int = 5) -> None:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    size = len(result) if isinstance(result, list) else result
    print(f"{what}: median {sorted(times)[repeat // 2]:.0f} ms over {repeat} runs ({size})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=300_000)
    parser.add_argument("--open", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        started = time.perf_counter()
        fill(path, args.reviews, args.open)
        print(f"{args.reviews} reviews filled in {time.perf_counter() - started:.0f} s")
        store = Store(path)
        now = format_time(START + timedelta(days=366))
        year = (format_time(START - timedelta(hours=5)), format_time(START + timedelta(days=365)))
        day = (format_time(START + timedelta(days=100)), format_time(START + timedelta(days=101)))
        timed("a year, every site", lambda: reviewer_figures(store, *year, now))
        timed("a year, one site", lambda: reviewer_figures(store, *year, now, site_id="site-03"))
        timed("a day, every site", lambda: reviewer_figures(store, *day, now))
        timed("overdue now, every site", lambda: store.review_owners.overdue_count(now))
        timed("escalations due now", lambda: store.review_owners.due_escalations(now))
        store.close()


if __name__ == "__main__":
    main()
