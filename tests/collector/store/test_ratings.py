"""Reading ratings (filters, pages, cursors) and dead letters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch, DeadLetter
from collector.store import Store
from collector.store.ratings import decode_cursor, encode_cursor
from shared.clock import format_time, uuid7
from shared.contract import Rating
from tests.support.db_files import count
from tests.support.fixed_time_ratings import NOW, T0, config, rating


def test_add_dead_letter_and_listing_newest_first(store: Store) -> None:
    for k in range(5):
        store.ratings.add_dead_letter(DeadLetter(f"t/{k}", None, b"\xff" + str(k).encode(), f"reason {k}"), NOW)

    page = store.ratings.dead_letters(limit=2)
    assert [row["topic"] for row in page] == ["t/4", "t/3"]
    assert page[0]["payload"] == "\ufffd4"  # readable text, with the bytes it could not decode marked
    assert page[0]["payload_bytes"] == 2
    rest = store.ratings.dead_letters(limit=10, before_id=page[-1]["id"])
    assert [row["topic"] for row in rest] == ["t/2", "t/1", "t/0"]


@pytest.fixture
def seeded(store: Store) -> Store:
    store.devices.register("dev-a1", config("site-a", "desk-1"), NOW)
    store.devices.register("dev-b1", config("site-b", "desk-9"), NOW)
    batch = [rating("dev-a1", s, score=1 + s % 5, employee_id=f"E{s % 3}") for s in range(1, 31)]
    batch += [rating("dev-b1", s, score=1 + s % 5, minute=s * 2 + 1) for s in range(1, 21)]
    store_batch(store, Batch(batch), NOW)
    return store


def _all(store: Store, **filters: Any) -> list[dict[str, Any]]:
    rows, _ = store.ratings.page(limit=100_000, **filters)
    return rows


def test_ratings_are_newest_first(seeded: Store) -> None:
    rows = _all(seeded)
    assert len(rows) == 50
    keys = [(r["created_at"], r["id"]) for r in rows]
    assert keys == sorted(keys, reverse=True)


def test_ratings_limit(seeded: Store) -> None:
    rows, next_cursor = seeded.ratings.page(limit=7)
    assert len(rows) == 7
    assert next_cursor is not None
    rows, next_cursor = seeded.ratings.page(limit=50)
    assert len(rows) == 50
    assert next_cursor is None


@pytest.mark.parametrize("limit", [1, 3, 7, 49, 50])
def test_cursor_pagination_covers_every_row_once(seeded: Store, limit: int) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        rows, cursor = seeded.ratings.page(limit=limit, cursor=cursor)
        seen += [r["id"] for r in rows]
        if cursor is None:
            break
    assert seen == [r["id"] for r in _all(seeded)]
    assert len(set(seen)) == 50


def test_cursor_pagination_with_equal_timestamps(store: Store) -> None:
    same = format_time(T0)
    batch = [
        Rating(id=str(uuid7(int(T0.timestamp() * 1000))), seq=s, device_id="dev-a1", score=3, created_at=same)
        for s in range(1, 11)
    ]
    store_batch(store, Batch(batch), NOW)

    seen, cursor = [], None
    while True:
        rows, cursor = store.ratings.page(limit=3, cursor=cursor)
        seen += [r["id"] for r in rows]
        if cursor is None:
            break
    assert sorted(seen) == sorted(r.id for r in batch)
    assert len(seen) == 10


def test_cursor_pagination_with_filters(seeded: Store) -> None:
    expected = [r["id"] for r in _all(seeded, site_id="site-a", negative=True)]
    seen, cursor = [], None
    while True:
        rows, cursor = seeded.ratings.page(site_id="site-a", negative=True, limit=2, cursor=cursor)
        seen += [r["id"] for r in rows]
        if cursor is None:
            break
    assert seen == expected
    assert expected


def test_ratings_filters(seeded: Store) -> None:
    assert {r["site_id"] for r in _all(seeded, site_id="site-b")} == {"site-b"}
    assert len(_all(seeded, site_id="site-b")) == 20
    assert len(_all(seeded, desk_id="desk-1")) == 30
    assert len(_all(seeded, device_id="dev-b1")) == 20
    assert {r["employee_id"] for r in _all(seeded, employee_id="E1")} == {"E1"}
    assert all(r["score"] <= 2 for r in _all(seeded, negative=True))
    assert all(r["score"] > 2 for r in _all(seeded, negative=False))
    assert len(_all(seeded, negative=True)) + len(_all(seeded, negative=False)) == 50
    assert len(_all(seeded, sites=["site-a"])) == 30
    assert _all(seeded, sites=[]) == []
    assert _all(seeded, site_id="site-a", sites=["site-b"]) == []


def test_ratings_time_window_is_half_open(seeded: Store) -> None:
    since = format_time(T0 + timedelta(minutes=5))
    until = format_time(T0 + timedelta(minutes=10))
    rows = _all(seeded, device_id="dev-a1", since=since, until=until)
    assert [r["seq"] for r in rows] == [9, 8, 7, 6, 5]


def test_ratings_filters_are_parameters_not_sql(seeded: Store) -> None:
    for attack in ("x' OR '1'='1", "1; DROP TABLE ratings", "' UNION SELECT * FROM api_tokens --"):
        assert _all(seeded, site_id=attack) == []
        assert _all(seeded, employee_id=attack) == []
        assert _all(seeded, device_id=attack) == []
        _all(seeded, since=attack, until=attack)  # compared as text, never run
    assert count(seeded.path, "ratings") == 50


def test_a_foreign_cursor_is_a_value_error(seeded: Store) -> None:
    for bad in ("not a cursor", "!!!", encode_cursor("a", "b")[:-3] + "@@@", "WzFd"):  # "WzFd" is [1]
        with pytest.raises(ValueError, match="cursor"):
            seeded.ratings.page(cursor=bad)


def test_cursor_round_trip() -> None:
    assert decode_cursor(encode_cursor("2026-11-28T09:00:00.000Z", "abc")) == ("2026-11-28T09:00:00.000Z", "abc")


@pytest.mark.parametrize(("limit", "batch"), [(7, 3), (7, 7), (7, 8), (49, 10), (50, 10), (50, 1000)])
def test_page_batches_read_the_page_and_one_more_in_batches(seeded: Store, limit: int, batch: int) -> None:
    cursor = seeded.ratings.page(limit=3)[1]
    batches = list(seeded.ratings.page_batches(limit=limit, batch=batch, cursor=cursor, site_id="site-a"))
    rows = [row for chunk in batches for row in chunk]
    assert all(0 < len(chunk) <= batch for chunk in batches)
    page, _ = seeded.ratings.page(limit=limit + 1, cursor=cursor, site_id="site-a")
    assert rows == page


def test_page_batches_refuse_a_bad_cursor_before_reading(seeded: Store) -> None:
    with pytest.raises(ValueError, match="not one this API gave out"):
        seeded.ratings.page_batches(cursor="bm90IGEgY3Vyc29y")
