"""GET /api/v1/reports/comments/unmatched over real HTTP: the comments no theme matched, to whom, for which span.

Ratings with comments stored as the collector stores them (store_batch) at two sites; the theme
counts the causes report reads (Store.themes.counts) beside the comments the route lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.store import Store
from tests.support.two_sites_today import CALENDAR, desk_config, make_rating

NOW = "2026-11-28T12:00:00.000Z"
DAY = datetime(2026, 11, 20, 9, tzinfo=CALENDAR.zone)
COMMENTS = [
    ("dev-a1", "الانتظار طويل جدا"),
    ("dev-a1", "ابي اعرف متى تفتحون يوم السبت"),
    ("dev-a1", "The staff were rude"),
    ("dev-b1", "Is there a branch in Jeddah?"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("themes") / "taqyeem.db")
    store.devices.register("dev-a1", desk_config("site-a", "desk-01"), NOW)
    store.devices.register("dev-b1", desk_config("site-b", "desk-09"), NOW)
    batch = [
        make_rating(device, i + 1, 2, DAY + timedelta(minutes=i), comment=text)
        for i, (device, text) in enumerate(COMMENTS)
    ]
    store_batch(store, Batch(batch), NOW)
    yield store
    store.close()


@pytest.fixture(scope="module")
def get(store: Store, live_api: Callable[[Store], str]) -> Iterator[Callable[..., httpx.Response]]:
    tokens = {
        "admin": store.accounts.create_token("admin", "admin", [], NOW),
        "sup-a": store.accounts.create_token("sup-a", "supervisor", ["site-a"], NOW),
        "viewer-a": store.accounts.create_token("viewer-a", "viewer", ["site-a"], NOW),
    }
    with httpx.Client(base_url=live_api(store), timeout=30) as client:

        def send(holder: str = "admin", **params: Any) -> httpx.Response:
            headers = {"Authorization": f"Bearer {tokens[holder]}"}
            return client.get("/api/v1/reports/comments/unmatched", params=params, headers=headers)

        yield send


WEEK = {"from": "2026-11-16", "to": "2026-11-22"}


def test_an_admin_reads_every_sites_unmatched_comments_newest_first(get: Callable[..., httpx.Response]) -> None:
    answer = get(**WEEK)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["from"], found["to"]) == ("2026-11-16", "2026-11-22")
    newest_first = ["Is there a branch in Jeddah?", "ابي اعرف متى تفتحون يوم السبت"]
    assert [c["comment"] for c in found["comments"]] == newest_first
    assert found["comments"][1]["site_id"] == "site-a"
    assert found["comments"][1]["score"] == 2


def test_a_supervisor_reads_only_their_sites_and_a_viewer_none(get: Callable[..., httpx.Response]) -> None:
    assert [c["site_id"] for c in get("sup-a", **WEEK).json()["comments"]] == ["site-a"]
    assert get("sup-a", **WEEK, site_id="site-b").status_code == 403
    assert get("viewer-a", **WEEK).status_code == 403


def test_a_wrong_span_is_refused_with_its_reason_never_a_500(get: Callable[..., httpx.Response]) -> None:
    backwards = get(**{"from": "2026-11-22", "to": "2026-11-16"})
    assert backwards.status_code == 422
    assert "before" in backwards.json()["detail"]
    assert get(**{"from": "2000-01-01", "to": "2026-11-22"}).status_code == 422
    assert get(**{"from": "2026-11-16"}).status_code == 422
    assert get(**{"from": "2026-13-40", "to": "2026-11-22"}).status_code == 422
    assert get(**{"from": "2026-01-01", "to": "2026-01-31"}).json()["comments"] == []


def test_the_theme_counts_for_the_causes_report_stand_beside_them(store: Store) -> None:
    assert store.themes.counts(("2026-11-16", "2026-11-22"), sites=["site-a"]) == [
        {"theme": "conduct", "count": 1},
        {"theme": "waiting", "count": 1},
    ]
