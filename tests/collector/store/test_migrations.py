"""Schema versions: named steps, idempotent, compatible with databases made before them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.store import SCHEMA_VERSION, Store, StoreError
from collector.store.connection import open_database
from collector.store.migrations import MIGRATIONS, link_employee_accounts, migrate
from collector.store.rollups import fill_rollups
from tests.support.db_files import count, execute, rows
from tests.support.fixed_time_ratings import NOW, rating

SNAPSHOT = Path(__file__).with_name("schema_latest.sql")  # regenerate deliberately when a step is added
SCHEMA_V4 = Path(__file__).with_name("schema_v4.sql")  # what collectors made before migrations were named steps


def schema_of(path: Path) -> str:
    found = rows(path, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
    return "\n".join(sql + ";" for (sql,) in found) + "\n"


def snapshot(path: Path = SNAPSHOT) -> str:
    lines = path.read_text().splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith("--"))


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


def test_every_step_has_a_name_that_says_what_it_does() -> None:
    assert len(MIGRATIONS) == SCHEMA_VERSION
    assert SNAPSHOT.read_text().startswith(f"-- The schema (v{SCHEMA_VERSION})")
    assert len({step.__name__ for step in MIGRATIONS}) == len(MIGRATIONS)
    assert all(step.__doc__ for step in MIGRATIONS)


def test_a_fresh_database_has_exactly_the_snapshot_schema(db_path: Path) -> None:
    Store(db_path).close()
    assert schema_of(db_path) == snapshot()


def test_a_database_made_by_a_v4_collector_is_brought_up_to_the_snapshot_schema(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.executescript(snapshot(SCHEMA_V4))
    conn.executemany("INSERT INTO schema_migrations (version) VALUES (?)", [(v,) for v in range(1, 5)])
    conn.commit()
    conn.close()

    Store(db_path).close()

    assert schema_of(db_path) == snapshot()
    assert rows(db_path, "SELECT max(version) FROM schema_migrations") == [(SCHEMA_VERSION,)]


def test_a_database_left_at_an_older_version_is_brought_up_to_date(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        assert migrate(db, MIGRATIONS[:2]) == 2
    finally:
        db.close()
    old = rating()
    execute(
        db_path,
        "INSERT INTO ratings (id, device_id, seq, score, created_at, received_at, negative) "
        "VALUES (?, ?, ?, ?, ?, ?, 0)",
        [old.id, old.device_id, old.seq, old.score, old.created_at, NOW],
    )

    store = Store(db_path)
    try:
        assert store.ratings.page()[0][0]["id"] == old.id
    finally:
        store.close()
    assert rows(db_path, "SELECT version FROM schema_migrations ORDER BY version") == [
        (v,) for v in range(1, SCHEMA_VERSION + 1)
    ]
    assert schema_of(db_path) == snapshot()


def test_tablets_serving_before_hashes_were_recorded_are_taken_to_hold_their_whole_sites(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        assert migrate(db, MIGRATIONS[:20]) == 20
    finally:
        db.close()
    for device_id, revoked_at in (("tab-1", None), ("old", NOW)):
        execute(
            db_path,
            "INSERT INTO devices (device_id, site_id, provisioned, revoked_at) VALUES (?, 'riyadh-hq', 1, ?)",
            [device_id, revoked_at],
        )
    for employee_id, site, pin_hash in (("E1", "riyadh-hq", "pbkdf2_sha256$1$aa$bb"), ("E2", "riyadh-hq", None)):
        execute(
            db_path,
            "INSERT INTO employees (employee_id, name_ar, name_en, site_id, pin_hash, pin_set_at, updated_at) "
            "VALUES (?, 'م', 'E', ?, ?, ?, ?)",
            [employee_id, site, pin_hash, NOW, NOW],
        )
    store = Store(db_path)
    try:  # the lost tablet's withdrawal then knows whose PINs it held; a revoked tablet is left out
        assert (store.employees.hashes_held_by("tab-1"), store.employees.hashes_held_by("old")) == (["E1"], [])
    finally:
        store.close()


def test_reopening_a_store_keeps_its_data(db_path: Path) -> None:
    first = Store(db_path)
    store_batch(first, Batch([rating()]), NOW)
    first.close()

    again = Store(db_path)
    try:
        assert count(again.path, "ratings") == 1
        assert rows(db_path, "SELECT count(*) FROM schema_migrations") == [(len(MIGRATIONS),)]
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


def test_an_upgrade_fills_the_rollups_from_the_ratings_already_stored(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        migrate(db, MIGRATIONS[:7])
        for seq, score in ((1, 5), (2, 1), (3, 5)):
            old = rating(seq=seq, score=score, minute=seq)
            db.execute(
                "INSERT INTO ratings (id, device_id, seq, employee_id, score, created_at, received_at, negative) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [old.id, old.device_id, old.seq, old.employee_id, old.score, old.created_at, NOW, int(score == 1)],
            )
        db.conn.commit()
    finally:
        db.close()

    store = Store(db_path)
    try:
        # 09:0x UTC is 12:0x in Riyadh, the default zone; no site or desk is known for dev-a1.
        assert store.rollups.all() == [("2026-11-28", 12, "", "", "dev-a1", "E1", "desk", 1, 0, 0, 0, 2, 1)]
        assert store.rollups.zone() == "Asia/Riyadh"
    finally:
        store.close()


def test_an_old_database_upgrades_and_its_ratings_count_on_the_day_they_were_made(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        migrate(db, MIGRATIONS[:8])
        old = rating(score=5)
        db.execute(
            "INSERT INTO ratings (id, device_id, seq, employee_id, score, created_at, received_at, negative) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            [old.id, old.device_id, old.seq, old.employee_id, old.score, old.created_at, "2026-12-01T10:00:00.000Z"],
        )
        fill_rollups(db, column="created_at", by_channel=False)
        db.conn.commit()
    finally:
        db.close()

    store = Store(db_path)
    try:
        assert [r["counted_at"] for r in store.ratings.window(NOW[:10], "2100")] == [old.created_at]
        before = store.rollups.all()
        store.rollups.rebuild()
        assert store.rollups.all() == before == [("2026-11-28", 12, "", "", "dev-a1", "E1", "desk", 0, 0, 0, 0, 1, 0)]
    finally:
        store.close()
    assert schema_of(db_path) == snapshot()


def test_reviews_closed_before_attributable_existed_follow_their_causes_default(db_path: Path) -> None:
    db = open_database(db_path)
    causes = ("staff_conduct", "system_outage", "procedure_policy", "visitor_misunderstanding", "waiting_time")
    try:
        migrate(db, MIGRATIONS[:9])
        for seq, cause in enumerate((*causes, None), start=1):
            old = rating(seq=seq, score=1, minute=seq)
            db.execute(
                "INSERT INTO ratings (id, device_id, seq, employee_id, score, created_at, received_at, counted_at, "
                "negative) VALUES (?, ?, ?, ?, 1, ?, ?, ?, 1)",
                [old.id, old.device_id, old.seq, old.employee_id, old.created_at, NOW, old.created_at],
            )
            db.execute(
                "INSERT INTO reviews (rating_id, status, opened_at, closed_at, closed_by, cause, action, note) "
                "VALUES (?, ?, ?, ?, 'sup', ?, 'coaching', 'n')",
                [old.id, "open" if cause is None else "closed", NOW, None if cause is None else NOW, cause],
            )
        db.conn.commit()
    finally:
        db.close()

    store = Store(db_path)
    try:
        found = {i["review"]["cause"]: i for i in store.reviews.all()}
        assert {cause: found[cause]["review"]["attributable"] for cause in causes} == {
            "staff_conduct": True,
            "system_outage": False,
            "procedure_policy": False,
            "visitor_misunderstanding": False,
            "waiting_time": True,
        }
        assert found[None]["review"]["attributable"] is None  # open: decided when it closes
        outage = store.reviews.get(found["system_outage"]["rating"]["id"])
        assert outage is not None and outage["review"]["attributable_from"] == "cause"
        assert outage["history"][-1]["kind"] == "attributable" and outage["history"][-1]["actor"] == "system"
        assert outage["history"][-1]["data"] == {"attributable": False, "attributable_from": "cause"}
        assert [r["cause"] for r in store.reviews.not_attributable(NOW[:10], "2100")] == list(causes[1:4])
    finally:
        store.close()
    assert schema_of(db_path) == snapshot()


def test_linking_employee_accounts_keeps_every_user_and_their_open_sessions(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        migrate(db, MIGRATIONS[: MIGRATIONS.index(link_employee_accounts)])
        db.execute(
            "INSERT INTO users (id, name, password_hash, role, sites, lang, created_at) "
            "VALUES (7, 'sara', 'h', 'supervisor', '[\"riyadh-hq\"]', 'en', ?)",
            [NOW],
        )
        db.execute("INSERT INTO sessions VALUES ('hash-1', 7, 'csrf-1', ?, '2100-01-01T00:00:00.000Z')", [NOW])
        db.conn.commit()
    finally:
        db.close()

    Store(db_path).close()

    assert rows(db_path, "SELECT id, name, role, sites, lang, employee_id, notify_url FROM users") == [
        (7, "sara", "supervisor", '["riyadh-hq"]', "en", None, None)
    ]
    assert rows(db_path, "SELECT id_hash, user_id FROM sessions") == [("hash-1", 7)]
    assert rows(db_path, "PRAGMA foreign_key_check") == []
    insert = "INSERT INTO users (name, password_hash, role, created_at, employee_id) VALUES (?, 'h', ?, ?, ?)"
    execute(db_path, insert, ["e1", "employee", NOW, "E1042"])
    for name, role, employee_id in (("e2", "employee", None), ("e3", "viewer", "E7"), ("e4", "employee", "E1042")):
        with pytest.raises(sqlite3.IntegrityError):  # an employee names one staff number, once; no one else does
            execute(db_path, insert, [name, role, NOW, employee_id])


def test_ratings_and_tokens_made_before_channels_keep_them_as_desk_ratings_and_live_tokens(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        migrate(db, MIGRATIONS[:13])
        old = rating(score=1)
        db.execute(
            "INSERT INTO ratings (id, device_id, seq, employee_id, score, reasons, lang, created_at, received_at, "
            "counted_at, negative) VALUES (?, ?, ?, ?, 1, '[\"waiting_time\"]', 'ar', ?, ?, ?, 1)",
            [old.id, old.device_id, old.seq, old.employee_id, old.created_at, NOW, old.created_at],
        )
        db.execute(
            "INSERT INTO api_tokens (id, name, token_hash, role, sites, created_at) "
            "VALUES (7, 'portal', 'h', 'viewer', '[\"site-a\"]', ?)",
            [NOW],
        )
        db.conn.commit()
    finally:
        db.close()

    store = Store(db_path)
    try:
        [row] = store.ratings.by_ids([old.id])
        assert (row["channel"], row["answers"], row["comment"]) == ("desk", {}, None)
        again = store_batch(store, Batch([old.model_copy(update={"reasons": ["waiting_time"]})]), NOW)
        assert again.duplicate_ids == [old.id] and again.conflict_ids == []  # a resend is still a duplicate
        assert [t["id"] for t in store.accounts.tokens()] == [7]
        store.accounts.create_token("ivr", "integration", ["site-a"], NOW)
    finally:
        store.close()
    assert schema_of(db_path) == snapshot()
