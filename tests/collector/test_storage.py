"""The collector's SQLite store (collector/storage.py) on a real file."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from collector.storage import (
    MIGRATIONS,
    DeadLetter,
    Store,
    StoreError,
    decode_cursor,
    encode_cursor,
    hash_token,
    migrate,
    open_database,
)
from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig, Rating, Status

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
NOW = "2026-11-28T10:00:00.000Z"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "collector" / "taqyeem.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    store = Store(db_path)
    yield store
    store.close()


def rating(
    device_id: str = "dev-a1",
    seq: int = 1,
    score: int = 4,
    *,
    minute: int | None = None,
    employee_id: str | None = "E1",
    reasons: list[str] | None = None,
) -> Rating:
    moment = T0 + timedelta(minutes=seq if minute is None else minute)
    return Rating(
        id=str(uuid7(int(moment.timestamp() * 1000))),
        seq=seq,
        device_id=device_id,
        employee_id=employee_id,
        score=score,
        reasons=reasons or [],
        created_at=format_time(moment),
    )


def config(site_id: str = "site-a", desk_id: str = "desk-1", **extra: Any) -> DeviceConfig:
    return DeviceConfig(site_id=site_id, desk_id=desk_id, desk_name_ar="مكتب", desk_name_en="Desk", **extra)


def raw(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- migrations ------------------------------------------------------------------


def test_migrate_is_idempotent(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        assert migrate(db) == len(MIGRATIONS)
        assert migrate(db) == len(MIGRATIONS)
        versions = [row[0] for row in db.execute("SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == list(range(1, len(MIGRATIONS) + 1))
        assert {"ratings", "reviews", "review_events", "devices", "dead_letters", "api_tokens"} <= set(db.table_names())
    finally:
        db.close()


def test_reopening_a_store_keeps_its_data(db_path: Path) -> None:
    first = Store(db_path)
    first.store_batch([rating()], [], NOW)
    first.close()

    again = Store(db_path)
    try:
        assert again.count_ratings() == 1
        assert raw(db_path, "SELECT count(*) FROM schema_migrations") == [(len(MIGRATIONS),)]
    finally:
        again.close()


def test_a_newer_schema_is_refused_with_advice(db_path: Path) -> None:
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 'now')", (len(MIGRATIONS) + 1,))
    conn.commit()
    conn.close()

    with pytest.raises(StoreError, match=r"newer than this collector.*upgrade"):
        Store(db_path)


# --- storing ratings ---------------------------------------------------------------


def test_store_batch_stores_the_contract_fields(store: Store) -> None:
    r = rating(reasons=["waiting_time", "procedure"])

    result = store.store_batch([r], [], NOW)

    assert result.new_rating_ids == [r.id]
    assert result.duplicate_ids == []
    (row,), _ = store.ratings()
    assert row["id"] == r.id
    assert (row["device_id"], row["seq"], row["score"], row["employee_id"]) == ("dev-a1", 1, 4, "E1")
    assert row["reasons"] == ["waiting_time", "procedure"]
    assert row["created_at"] == r.created_at
    assert row["received_at"] == NOW
    assert row["negative"] is False


def test_the_same_rating_across_batches_is_stored_once_and_reported_duplicate(store: Store, db_path: Path) -> None:
    r = rating()
    first = store.store_batch([r], [], NOW)
    second = store.store_batch([r], [], "2026-11-28T10:05:00.000Z")

    assert first.new_rating_ids == [r.id]
    assert second.new_rating_ids == []
    assert second.duplicate_ids == [r.id]
    assert raw(db_path, "SELECT count(*), min(received_at) FROM ratings") == [(1, NOW)]


def test_the_same_rating_twice_in_one_batch_is_stored_once(store: Store, db_path: Path) -> None:
    r = rating()
    result = store.store_batch([r, r], [], NOW)

    assert result.new_rating_ids == [r.id]
    assert raw(db_path, "SELECT count(*) FROM ratings") == [(1,)]


def test_the_same_rating_twice_in_one_batch_is_reported_duplicate(store: Store) -> None:
    r = rating()
    result = store.store_batch([r, r], [], NOW)

    assert result.duplicate_ids == [r.id]


def test_a_duplicate_negative_does_not_open_a_second_review(store: Store, db_path: Path) -> None:
    r = rating(score=1)
    store.store_batch([r, r], [], NOW)
    again = store.store_batch([r], [], NOW)

    assert again.negatives == []
    assert raw(db_path, "SELECT count(*) FROM reviews") == [(1,)]
    assert raw(db_path, "SELECT count(*) FROM review_events") == [(1,)]


def test_ratings_are_never_updated_by_a_resend(store: Store, db_path: Path) -> None:
    r = rating(score=5)
    store.store_batch([r], [], NOW)
    forged = r.model_copy(update={"score": 1})
    store.store_batch([forged], [], "2026-11-28T11:00:00.000Z")

    assert raw(db_path, "SELECT score, received_at FROM ratings") == [(5, NOW)]


# --- negatives and reviews ------------------------------------------------------------


@pytest.mark.parametrize(("score", "negative"), [(1, True), (2, True), (3, False), (4, False), (5, False)])
def test_default_threshold_is_two(store: Store, db_path: Path, score: int, negative: bool) -> None:
    store.register_device("dev-a1", config(), NOW)
    result = store.store_batch([rating(score=score)], [], NOW)

    assert bool(result.negatives) is negative
    assert raw(db_path, "SELECT negative FROM ratings") == [(int(negative),)]


def test_a_negative_opens_exactly_one_review_and_one_opened_event(store: Store, db_path: Path) -> None:
    store.register_device("dev-a1", config(), NOW)
    bad, good = rating(seq=1, score=2), rating(seq=2, score=5)

    result = store.store_batch([bad, good], [], NOW)

    assert [n["id"] for n in result.negatives] == [bad.id]
    assert result.negatives[0]["site_id"] == "site-a"
    assert raw(db_path, "SELECT rating_id, status, opened_at, closed_at FROM reviews") == [(bad.id, "open", NOW, None)]
    assert raw(db_path, "SELECT rating_id, actor, kind, at FROM review_events") == [(bad.id, "system", "opened", NOW)]


def test_a_device_with_threshold_three_flags_threes(store: Store, db_path: Path) -> None:
    store.register_device("dev-a1", config(negative_max_score=3), NOW)
    store.register_device("dev-b1", config("site-b"), NOW)

    result = store.store_batch([rating("dev-a1", 1, 3), rating("dev-b1", 1, 3), rating("dev-a1", 2, 4)], [], NOW)

    assert [(n["device_id"], n["score"]) for n in result.negatives] == [("dev-a1", 3)]
    assert raw(db_path, "SELECT count(*) FROM reviews") == [(1,)]


def test_an_unknown_device_uses_the_default_threshold(store: Store) -> None:
    result = store.store_batch([rating("stranger-1", 1, 2), rating("stranger-1", 2, 3)], [], NOW)
    assert [n["score"] for n in result.negatives] == [2]
    assert result.negatives[0]["site_id"] is None


def test_ratings_take_site_and_desk_from_the_registered_device(store: Store) -> None:
    store.register_device("dev-a1", config("site-a", "desk-7"), NOW)
    store.store_batch([rating("dev-a1")], [], NOW)

    (row,), _ = store.ratings()
    assert (row["site_id"], row["desk_id"]) == ("site-a", "desk-7")


def test_reviews_show_the_rating_and_its_review(store: Store) -> None:
    store.register_device("dev-a1", config(), NOW)
    bad = rating(score=1, employee_id="E9", reasons=["staff_courtesy"])
    store.store_batch([bad, rating(seq=2, score=5)], [], NOW)

    (item,) = store.reviews(status="open")
    assert item["rating"]["id"] == bad.id
    assert item["rating"]["employee_id"] == "E9"
    assert item["rating"]["reasons"] == ["staff_courtesy"]
    assert item["rating"]["negative"] is True
    assert item["review"]["status"] == "open"
    assert store.reviews(status="closed") == []
    assert len(store.reviews(date=bad.created_at[:10])) == 1
    assert store.reviews(date="2020-01-01") == []
    assert store.reviews(sites=["site-b"]) == []


# --- devices --------------------------------------------------------------------------


def test_an_unknown_device_gets_a_row_listed_unassigned(store: Store) -> None:
    store.store_batch([rating("stranger-1")], [], NOW)

    (device,) = store.devices()
    assert device["device_id"] == "stranger-1"
    assert device["assigned"] is False
    assert device["site_id"] is None
    assert device["first_seen"] == NOW
    assert device["last_seen"] == NOW
    assert device["ratings"] == 1


def test_a_registered_device_is_assigned_and_keeps_its_config(store: Store) -> None:
    store.register_device("dev-a1", config("site-a", "desk-3", negative_max_score=3), NOW)

    (device,) = store.devices()
    assert device["assigned"] is True
    assert (device["site_id"], device["desk_id"]) == ("site-a", "desk-3")
    assert device["config"]["negative_max_score"] == 3
    assert store.device_config("dev-a1") == config("site-a", "desk-3", negative_max_score=3)
    assert store.device_config("nobody") is None


def test_registering_a_device_seen_before_assigns_it(store: Store) -> None:
    store.store_batch([rating("dev-a1")], [], NOW)
    store.register_device("dev-a1", config(), NOW)

    (device,) = store.devices()
    assert device["assigned"] is True
    assert device["ratings"] == 1


def test_devices_count_gaps_and_seq_gaps_gives_ranges(store: Store) -> None:
    store.store_batch([rating("dev-a1", s) for s in (1, 2, 5)], [], NOW)
    store.store_batch([rating("dev-b1", s) for s in (3, 4, 8, 10)], [], NOW)
    store.store_batch([rating("dev-c1", s) for s in (1, 2, 3)], [], NOW)

    by_id = {d["device_id"]: d for d in store.devices()}
    assert (by_id["dev-a1"]["last_seq"], by_id["dev-a1"]["gaps"]) == (5, 2)
    assert (by_id["dev-b1"]["last_seq"], by_id["dev-b1"]["gaps"]) == (10, 6)
    assert (by_id["dev-c1"]["last_seq"], by_id["dev-c1"]["gaps"]) == (3, 0)

    assert store.seq_gaps("dev-a1") == [(3, 4)]
    assert store.seq_gaps("dev-b1") == [(1, 2), (5, 7), (9, 9)]
    assert store.seq_gaps("dev-c1") == []
    assert store.seq_gaps("nobody") == []
    assert store.seq_gaps("dev-b1", limit=1) == [(1, 2), (5, 7)]  # the leading gap is extra to the limit


def test_a_gap_filled_later_is_no_longer_counted(store: Store) -> None:
    store.store_batch([rating("dev-a1", s) for s in (1, 2, 5)], [], NOW)
    store.store_batch([rating("dev-a1", s) for s in (3, 4)], [], NOW)

    (device,) = store.devices()
    assert device["gaps"] == 0
    assert store.seq_gaps("dev-a1") == []


def test_a_registered_device_without_ratings_has_no_gaps(store: Store) -> None:
    store.register_device("dev-a1", config(), NOW)
    (device,) = store.devices()
    assert (device["last_seq"], device["gaps"], device["ratings"]) == (0, 0, 0)


def test_devices_can_be_limited_to_sites(store: Store) -> None:
    store.register_device("dev-a1", config("site-a"), NOW)
    store.register_device("dev-b1", config("site-b"), NOW)
    store.store_batch([rating("stranger-1")], [], NOW)

    assert [d["device_id"] for d in store.devices(sites=["site-b"])] == ["dev-b1"]
    assert len(store.devices()) == 3


def test_record_status_live_updates_last_seen(store: Store) -> None:
    status = Status(
        state="online", app_version="0.1.0", outbox=3, employee_id="E7", last_seq=42, at="2026-11-28T09:59:59.000Z"
    )
    store.record_status("dev-a1", status, NOW, live=True)

    (device,) = store.devices()
    assert device["state"] == "online"
    assert device["last_seen"] == NOW
    assert device["status_at"] == "2026-11-28T09:59:59.000Z"
    assert (device["outbox"], device["employee_id"], device["app_version"], device["reported_seq"]) == (
        3,
        "E7",
        "0.1.0",
        42,
    )


def test_record_status_retained_does_not_count_as_seen(store: Store) -> None:
    store.record_status("dev-a1", Status(state="online", outbox=1), NOW, live=False)

    (device,) = store.devices()
    assert device["state"] == "online"
    assert device["last_seen"] is None
    assert device["first_seen"] == NOW


def test_the_last_will_keeps_what_was_known(store: Store) -> None:
    store.record_status("dev-a1", Status(state="online", outbox=3, employee_id="E7", last_seq=9), NOW, live=True)
    store.record_status("dev-a1", Status(state="offline"), "2026-11-28T10:10:00.000Z", live=True)

    (device,) = store.devices()
    assert device["state"] == "offline"
    assert (device["outbox"], device["employee_id"], device["reported_seq"]) == (3, "E7", 9)
    assert device["last_seen"] == "2026-11-28T10:10:00.000Z"


def test_clock_skew_is_noted(store: Store) -> None:
    store.store_batch([rating("dev-a1")], [], NOW)
    store.store_batch([rating("dev-b1")], [], NOW)
    store.note_clock_skew("dev-a1", 300.0)
    store.note_clock_skew("dev-b1", 2.0)

    by_id = {d["device_id"]: d for d in store.devices()}
    assert by_id["dev-a1"]["clock_skew_s"] == 300.0
    assert by_id["dev-a1"]["clock_off"] is True
    assert by_id["dev-b1"]["clock_off"] is False


# --- dead letters ------------------------------------------------------------------------


def test_dead_letters_are_stored_whole_with_their_reason(store: Store, db_path: Path) -> None:
    big = b'{"v": 1, "pad": "' + b"x" * 5000 + b'"}'
    not_utf8 = b"\xff\xfe\x00{rating}\x80"
    letters = [
        DeadLetter("taqyeem/v1/devices/dev-a1/ratings", "dev-a1", big, "payload is 5019 bytes; the limit is 4096"),
        DeadLetter("taqyeem/v1/devices/dev-a1/ratings", "dev-a1", not_utf8, "payload is not UTF-8"),
        DeadLetter("somewhere/else", None, b"", "unexpected topic"),
    ]

    store.store_batch([], letters, NOW)

    rows = raw(db_path, "SELECT topic, device_id, payload, reason, received_at FROM dead_letters ORDER BY id")
    assert rows == [(d.topic, d.device_id, d.payload, d.reason, NOW) for d in letters]
    assert all(isinstance(row[2], bytes) for row in rows)
    assert store.count_dead_letters() == 3


def test_add_dead_letter_and_listing_newest_first(store: Store) -> None:
    for k in range(5):
        store.add_dead_letter(DeadLetter(f"t/{k}", None, b"\xff" + str(k).encode(), f"reason {k}"), NOW)

    page = store.dead_letters(limit=2)
    assert [row["topic"] for row in page] == ["t/4", "t/3"]
    assert page[0]["payload"] == "\ufffd4"  # readable text, with the bytes it could not decode marked
    assert page[0]["payload_bytes"] == 2
    rest = store.dead_letters(limit=10, before_id=page[-1]["id"])
    assert [row["topic"] for row in rest] == ["t/2", "t/1", "t/0"]


# --- reading ratings -----------------------------------------------------------------------


@pytest.fixture
def seeded(store: Store) -> Store:
    store.register_device("dev-a1", config("site-a", "desk-1"), NOW)
    store.register_device("dev-b1", config("site-b", "desk-9"), NOW)
    batch = [rating("dev-a1", s, score=1 + s % 5, employee_id=f"E{s % 3}") for s in range(1, 31)]
    batch += [rating("dev-b1", s, score=1 + s % 5, minute=s * 2 + 1) for s in range(1, 21)]
    store.store_batch(batch, [], NOW)
    return store


def _all(store: Store, **filters: Any) -> list[dict[str, Any]]:
    rows, _ = store.ratings(limit=100_000, **filters)
    return rows


def test_ratings_are_newest_first(seeded: Store) -> None:
    rows = _all(seeded)
    assert len(rows) == 50
    keys = [(r["created_at"], r["id"]) for r in rows]
    assert keys == sorted(keys, reverse=True)


def test_ratings_limit(seeded: Store) -> None:
    rows, next_cursor = seeded.ratings(limit=7)
    assert len(rows) == 7
    assert next_cursor is not None
    rows, next_cursor = seeded.ratings(limit=50)
    assert len(rows) == 50
    assert next_cursor is None


@pytest.mark.parametrize("limit", [1, 3, 7, 49, 50])
def test_cursor_pagination_covers_every_row_once(seeded: Store, limit: int) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        rows, cursor = seeded.ratings(limit=limit, cursor=cursor)
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
    store.store_batch(batch, [], NOW)

    seen, cursor = [], None
    while True:
        rows, cursor = store.ratings(limit=3, cursor=cursor)
        seen += [r["id"] for r in rows]
        if cursor is None:
            break
    assert sorted(seen) == sorted(r.id for r in batch)
    assert len(seen) == 10


def test_cursor_pagination_with_filters(seeded: Store) -> None:
    expected = [r["id"] for r in _all(seeded, site_id="site-a", negative=True)]
    seen, cursor = [], None
    while True:
        rows, cursor = seeded.ratings(site_id="site-a", negative=True, limit=2, cursor=cursor)
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
    assert seeded.count_ratings() == 50


def test_a_foreign_cursor_is_a_value_error(seeded: Store) -> None:
    for bad in ("not a cursor", "!!!", encode_cursor("a", "b")[:-3] + "@@@", "WzFd"):  # "WzFd" is [1]
        with pytest.raises(ValueError, match="cursor"):
            seeded.ratings(cursor=bad)


def test_cursor_round_trip() -> None:
    assert decode_cursor(encode_cursor("2026-11-28T09:00:00.000Z", "abc")) == ("2026-11-28T09:00:00.000Z", "abc")


# --- tokens -------------------------------------------------------------------------------------


def test_tokens_are_verified_and_only_their_hash_is_stored(store: Store, db_path: Path) -> None:
    token = store.create_token("reporting", "supervisor", ["site-a"], NOW)

    assert token.startswith("tq_")
    assert store.token_identity(token) == {"name": "reporting", "role": "supervisor", "sites": ["site-a"]}
    stored = raw(db_path, "SELECT token_hash, name, role, sites, created_at FROM api_tokens")
    assert stored == [(hash_token(token), "reporting", "supervisor", json.dumps(["site-a"]), NOW)]
    dump = "\n".join(sqlite3.connect(db_path).iterdump())
    assert token not in dump
    assert token[3:] not in dump


def test_unknown_and_revoked_tokens_are_refused(store: Store, db_path: Path) -> None:
    token = store.create_token("x", "admin", [], NOW)
    other = store.create_token("y", "viewer", [], NOW)
    assert token != other

    assert store.token_identity("tq_not-a-token") is None
    assert store.token_identity("") is None
    assert store.token_identity(token + "x") is None

    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE api_tokens SET revoked_at = ? WHERE name = 'x'", (NOW,))
    conn.commit()
    conn.close()
    assert store.token_identity(token) is None
    assert store.token_identity(other) is not None


def test_an_unknown_role_is_refused_by_the_schema(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.create_token("x", "root", [], NOW)


def test_ping(store: Store) -> None:
    assert store.ping() is True
