"""The Today page's tiles and latest ratings, read from the day's rollups, are those of every rating of the day."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import timedelta
from html.parser import HTMLParser

import pytest

from collector.ingest.batch import sorted_against_store
from collector.ingest.batch_records import Batch
from collector.reports.maths import summarize
from collector.store import Store
from shared.clock import format_time
from tests.support.two_sites_today import CALENDAR, desk_config, make_rating, seed, today_start
from tests.support.web_session import sign_in

CALLS = "taqyeem-api-ivr"  # a phone system's ratings: no device of that id, each placed by the call
TILES = ("s-count", "s-mean", "s-share", "s-neg")


class TodayPage(HTMLParser):
    """The text of the tiles by id, and the feed's rating ids in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.tiles: dict[str, str] = {}
        self.rating_ids: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id") in TILES:
            self._open = found["id"]
        if tag == "tr" and found.get("data-id"):
            self.rating_ids.append(str(found["data-id"]))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.tiles[self._open] = data.strip()
            self._open = None


def _read(html: str) -> TodayPage:
    page = TodayPage()
    page.feed(html)
    return page


def _fill(store: Store, seed_: int) -> None:
    """Ratings around today at two sites and a phone line: some the day before and after, some counted
    when received (a wrong clock), in batches, so the latest 25 are a choice among many."""
    rng = random.Random(seed_)
    store.devices.register("dev-a3", desk_config("site-a", "desk-03"), "2026-01-01T00:00:00.000Z")
    devices = ["dev-a1", "dev-a2", "dev-a3", "dev-b1", CALLS]
    seqs = dict.fromkeys(devices, 100)
    start = today_start()
    for _ in range(6):
        batch, places = [], {}
        for _ in range(rng.randint(10, 40)):
            device_id = rng.choice(devices)
            seqs[device_id] += 1
            at = start + timedelta(minutes=rng.randint(-180, 24 * 60 + 180), milliseconds=rng.randint(0, 999))
            channel = "call" if device_id == CALLS else "desk"
            batch.append(make_rating(device_id, seqs[device_id], rng.randint(1, 5), at, channel=channel))
            if device_id == CALLS:
                places[batch[-1].id] = (rng.choice(("site-a", "site-b")), None)
        received = start + timedelta(minutes=rng.randint(0, 24 * 60))
        late = [r.id for r in batch if rng.random() < 0.15]
        negative = [r.id for r in batch if r.score <= 2]
        decided = Batch(batch, negative_ids=set(negative), counted_on_receipt=set(late), rating_places=places)
        store.add_batch(sorted_against_store(store, decided), format_time(received))


@pytest.fixture(scope="module")
def today(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("today") / "taqyeem.db")
    seed(store)
    _fill(store, 22)
    yield live_api(store), store
    store.close()


def _expected(store: Store, sites: list[str] | None) -> tuple[dict[str, object], list[str]]:
    since, until = CALENDAR.day_bounds(CALENDAR.today())
    rows = store.ratings.window(since, until, sites=sites)
    return summarize(rows), [r["id"] for r in rows[-25:][::-1]]


@pytest.mark.parametrize(("user", "sites"), [("admin", None), ("sup-a", ["site-a"])])
def test_the_today_page_from_the_rollups_shows_what_every_rating_of_the_day_gives(
    today: tuple[str, Store], user: str, sites: list[str] | None
) -> None:
    base, store = today
    summary, latest = _expected(store, sites)
    assert int(summary["count"]) > 25  # type: ignore[call-overload]
    with sign_in(base, user) as client:
        from_rollups = _read(client.get("/today").text)
        assert from_rollups.tiles["s-count"] == str(summary["count"])
        assert from_rollups.tiles["s-neg"] == str(summary["negatives"])
        assert from_rollups.rating_ids == latest
        zone = store.rollups.zone()
        store.rollups.rebuild("America/New_York")  # rollups for another zone: the page reads every rating
        try:
            from_ratings = _read(client.get("/today").text)
        finally:
            store.rollups.rebuild(zone)
    assert from_ratings.tiles == from_rollups.tiles and set(from_rollups.tiles) == set(TILES)
    assert from_ratings.rating_ids == latest


def test_latest_gives_the_windows_last_ratings_newest_first(today: tuple[str, Store]) -> None:
    _, store = today
    since, until = CALENDAR.day_bounds(CALENDAR.today())
    for sites in (None, ["site-b"], ["site-a", "site-b"], ["site-z"]):
        rows = store.ratings.window(since, until, sites=sites)
        for limit in (1, 25, len(rows) + 5):
            assert store.ratings.latest(since, until, sites, limit) == rows[-limit:][::-1]
