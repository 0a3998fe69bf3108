"""The daily counts of the comments' themes (store/theme_rollups.py) equal the matcher over every comment held.

On varied data: ratings stored in batches as the collector stores them (Store.add_batch), at
sites and at none, with comments from the labelled set (Arabic, Gulf, English, mixed, and ones
no theme matches) and without, with a theme of site-a's own beside the shipped ones, around
local midnight, in several zones; then after ``taqyeem rollups rebuild``. After the purge blanks
the comments, the counts stay, and a rebuild keeps them.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collector.ingest.batch import sorted_against_store
from collector.ingest.batch_records import Batch
from collector.store import Store
from collector.store.local_days import local_day_hour
from collector.themes.lexicon import Lexicon, Theme, phrases
from collector.themes.match import shipped, themes_of
from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig, Rating
from tests.collector.themes.labelled import labelled

START = datetime(2026, 3, 27, 18, tzinfo=UTC)
DEVICES = ("dev-a", "dev-b", "dev-none")  # dev-none is never placed: no site
NOW = "2026-04-02T00:00:00.000Z"
COMMENTS = [c.text for c in labelled()]
# The shipped themes and site-a's own (a word some labelled comments hold): matched only at site-a.
OWN = Theme("parking_far", "المواقف", "Parking", phrases(["مواقف", "parking"]), (), frozenset({"site-a"}))
LEXICON = Lexicon((*shipped().themes, OWN))

rating = st.tuples(
    st.sampled_from(DEVICES),
    st.integers(0, 4 * 24 * 60),  # minutes after START
    st.one_of(st.none(), st.sampled_from(COMMENTS)),
)
batches = st.lists(st.lists(rating, min_size=1, max_size=12), min_size=1, max_size=5)


def _store(path: Path, zone: str, data: list[list[tuple[Any, ...]]]) -> Store:
    store = Store(path)
    store.themes.lexicon = LEXICON
    store.rollups.rebuild(zone)
    for index, device_id in enumerate(DEVICES[:2]):
        config = DeviceConfig(site_id=f"site-{'ab'[index]}", desk_id="desk-1", desk_name_ar="م", desk_name_en="D")
        store.devices.register(device_id, config, NOW)
    seqs = dict.fromkeys(DEVICES, 0)
    for number, batch in enumerate(data):
        ratings = []
        for device_id, minutes, comment in batch:
            seqs[device_id] += 1
            moment = START + timedelta(minutes=minutes)
            ratings.append(
                Rating(
                    id=str(uuid7(int(moment.timestamp() * 1000) + seqs[device_id])),
                    seq=seqs[device_id],
                    device_id=device_id,
                    score=2,
                    comment=comment,
                    created_at=format_time(moment),
                )
            )
        store.add_batch(sorted_against_store(store, Batch(ratings)), format_time(START + timedelta(hours=17 * number)))
    return store


def _matcher_over_every_comment(path: Path, zone: str) -> list[tuple[str, str, str, int]]:
    with sqlite3.connect(path) as conn:
        held = conn.execute("SELECT counted_at, site_id, comment FROM ratings WHERE comment IS NOT NULL").fetchall()
    counts: dict[tuple[str, str, str], int] = {}
    for counted_at, site_id, comment in held:
        for theme in themes_of(comment, LEXICON, site_id):
            key = (local_day_hour(zone, counted_at[:16])[0], site_id or "", theme)
            counts[key] = counts.get(key, 0) + 1
    return sorted((*key, n) for key, n in counts.items())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=batches, zone=st.sampled_from(["Asia/Riyadh", "Asia/Kolkata", "Europe/London"]))
def test_the_counts_kept_batch_by_batch_equal_the_matcher_over_every_comment(data: list[Any], zone: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = _store(Path(folder) / "t.db", zone, data)
        try:
            assert store.themes.all() == _matcher_over_every_comment(store.path, zone)
            kept = store.themes.all()
            store.rollups.rebuild()
            store.themes.rebuild()
            assert store.themes.all() == kept
            other = "Asia/Kolkata" if zone != "Asia/Kolkata" else "Europe/London"
            store.rollups.rebuild(other)
            store.themes.rebuild()
            assert store.themes.all() == _matcher_over_every_comment(store.path, other)
        finally:
            store.close()


def _sample() -> list[list[tuple[Any, ...]]]:
    return [
        [
            ("dev-a", 60, "الانتظار طويل جدا"),
            ("dev-a", 70, "The staff were rude and I waited two hours"),
            ("dev-b", 80, "النظام واقف من الصبح"),
            ("dev-b", 90, "ابي اعرف متى تفتحون يوم السبت"),
            ("dev-none", 95, "hello"),
            ("dev-a", 100, None),
        ]
    ]


def test_counts_are_read_for_a_span_of_days_and_the_sites_a_reader_may_see(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db", "Asia/Riyadh", _sample())
    try:
        days = ("2026-03-27", "2026-03-28")
        assert store.themes.counts(days) == [
            {"theme": "waiting", "count": 2},
            {"theme": "conduct", "count": 1},
            {"theme": "system_down", "count": 1},
        ]
        assert store.themes.counts(days, site_id="site-b") == [{"theme": "system_down", "count": 1}]
        assert store.themes.counts(days, sites=["site-a"]) == [
            {"theme": "waiting", "count": 2},
            {"theme": "conduct", "count": 1},
        ]
        assert store.themes.counts(days, sites=[]) == []
        assert store.themes.counts(("2026-04-01", "2026-04-30")) == []
    finally:
        store.close()


def test_the_unmatched_comments_still_held_are_listed_newest_first_for_a_person_to_read(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db", "Asia/Riyadh", _sample())
    try:
        span = ("2026-03-27T00:00:00.000Z", "2026-03-29T00:00:00.000Z")
        assert [u.comment for u in store.themes.unmatched(span)] == ["hello", "ابي اعرف متى تفتحون يوم السبت"]
        assert [u.site_id for u in store.themes.unmatched(span, sites=["site-b"])] == ["site-b"]
        assert store.themes.unmatched(span, site_id="site-a") == []
        assert len(store.themes.unmatched(span, limit=1)) == 1
    finally:
        store.close()


def test_after_the_purge_blanks_the_comments_their_theme_counts_remain_even_after_a_rebuild(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db", "Asia/Riyadh", _sample())
    try:
        kept = store.themes.all()
        assert kept
        purged = store.retention.purge_comments("2026-05-01T00:00:00.000Z", NOW)
        assert purged.ratings == 5
        assert store.themes.all() == kept
        assert store.themes.unmatched(("2026-03-27T00:00:00.000Z", "2026-03-29T00:00:00.000Z")) == []
        store.rollups.rebuild()
        assert store.themes.all() == kept
        assert store.themes.rebuild() == len(kept)
        assert store.themes.all() == kept
    finally:
        store.close()
