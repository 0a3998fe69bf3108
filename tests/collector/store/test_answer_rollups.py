"""The daily sums of answers and languages (store/answer_rollups.py) equal a count from every rating.

On varied data: ratings stored in batches as the collector stores them (Store.add_batch,
the path of MQTT and HTTP alike), at sites and at none, in several languages and none,
with survey answers (option codes and scale answers) and without, around local
midnight, some counted on receipt (a wrong clock), in every zone; then after
``taqyeem rollups rebuild`` (also for another zone) and after the comments' purge.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collector.ingest.batch import sorted_against_store
from collector.ingest.batch_records import Batch
from collector.reports.maths import Calendar
from collector.store import Store
from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig, Rating

START = datetime(2026, 3, 27, 18, tzinfo=UTC)  # around Europe's change to summer time
DAYS = [date(2026, 3, 27) + timedelta(days=i) for i in range(6)]
DEVICES = ("dev-a", "dev-b", "dev-c", "dev-none")  # dev-none is never placed: no site
SCOPES = ((None, None), (None, "site-a"), (["site-b", "site-c"], None), (["site-b"], "site-b"), ([], None))
NOW = "2026-04-02T00:00:00.000Z"

answers = st.dictionaries(
    st.sampled_from(["waited", "clear", "again"]),
    st.one_of(st.sampled_from(["yes", "no", "maybe"]), st.integers(1, 5)),
    max_size=3,
)
rating = st.tuples(
    st.sampled_from(DEVICES),
    st.integers(0, 5 * 24 * 60),  # minutes after START
    st.sampled_from(["ar", "en", "ur", "fr"]),
    answers,
    st.booleans(),  # counted on receipt
)
batches = st.lists(st.lists(rating, min_size=1, max_size=15), min_size=1, max_size=6)


def _store(path: Path, zone: str, data: list[list[tuple[Any, ...]]]) -> Store:
    store = Store(path)
    store.rollups.rebuild(zone)
    for index, device_id in enumerate(DEVICES[:3]):
        config = DeviceConfig(site_id=f"site-{'abc'[index]}", desk_id="desk-1", desk_name_ar="م", desk_name_en="D")
        store.devices.register(device_id, config, NOW)
    seqs = dict.fromkeys(DEVICES, 0)
    for number, batch in enumerate(data):
        ratings, late = [], []
        for device_id, minutes, lang, given_answers, on_receipt in batch:
            seqs[device_id] += 1
            moment = START + timedelta(minutes=minutes)
            item = Rating(
                id=str(uuid7(int(moment.timestamp() * 1000) + seqs[device_id])),
                seq=seqs[device_id],
                device_id=device_id,
                score=3,
                lang=lang,
                answers=given_answers,
                created_at=format_time(moment),
            )
            ratings.append(item)
            if on_receipt:
                late.append(item.id)
        received = format_time(START + timedelta(hours=17 * number))
        store.add_batch(sorted_against_store(store, Batch(ratings, counted_on_receipt=late)), received)
    return store


def _assert_sums_equal_every_rating(store: Store, calendar: Calendar) -> None:
    for first in DAYS:
        for last in (first, first + timedelta(days=2)):
            since, until = calendar.day_bounds(first)[0], calendar.day_bounds(last)[1]
            days = (first.isoformat(), last.isoformat())
            for scope, site_id in SCOPES:
                assert store.rollups.answers.counts(days, scope, site_id) == store.answers.counts(
                    since, until, scope, site_id
                )
                assert store.rollups.answers.languages(days, scope, site_id) == store.answers.languages(
                    since, until, scope, site_id
                )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=batches, zone=st.sampled_from(["Asia/Riyadh", "Asia/Kolkata", "Europe/London"]))
def test_the_sums_kept_batch_by_batch_equal_a_count_of_every_rating(data: list[list[Any]], zone: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = _store(Path(folder) / "t.db", zone, data)
        try:
            _assert_sums_equal_every_rating(store, Calendar.from_settings(zone))
            kept = _sums(store.path)
            store.rollups.rebuild()
            assert _sums(store.path) == kept
            store.rollups.rebuild("Asia/Kolkata" if zone != "Asia/Kolkata" else "Europe/London")
            _assert_sums_equal_every_rating(store, Calendar.from_settings(store.rollups.zone()))
        finally:
            store.close()


def test_ratings_of_no_language_are_counted_as_not_given_and_the_purge_leaves_every_sum(tmp_path: Path) -> None:
    data = [[("dev-a", 60 * h, "en", {"waited": "yes", "clear": 4}, False) for h in range(30)]]
    store = _store(tmp_path / "t.db", "Asia/Riyadh", data)
    try:
        with store.transaction() as db:  # a rating stored before ratings had to name a language
            db.execute("UPDATE ratings SET lang = NULL WHERE rowid IN (SELECT rowid FROM ratings LIMIT 4)")
            db.execute("UPDATE ratings SET comment = 'long wait'")
        store.rollups.rebuild()
        calendar = Calendar.from_settings()
        _assert_sums_equal_every_rating(store, calendar)
        assert store.rollups.answers.languages(("2026-03-01", "2026-04-30")) == {None: 4, "en": 26}
        kept = _sums(store.path)
        purged = store.retention.purge_comments("2026-05-01T00:00:00.000Z", NOW)
        assert purged.ratings == 30
        assert _sums(store.path) == kept
        _assert_sums_equal_every_rating(store, calendar)
    finally:
        store.close()


def _sums(path: Path) -> tuple[list[Any], list[Any]]:
    with sqlite3.connect(path) as conn:
        answers = conn.execute("SELECT * FROM answer_rollups ORDER BY 1, 2, 3, 4").fetchall()
        languages = conn.execute("SELECT * FROM language_rollups ORDER BY 1, 2, 3").fetchall()
    return answers, languages
