"""Retention of free-text comments: blanked after their time in a real SQLite file, by schedule and by command."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.cli import cli
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch, DeadLetter
from collector.settings import SettingsError, load_collector_settings
from collector.store import Store
from collector.upkeep.retention import PurgeSchedule, purge_comments
from shared.clock import format_time, uuid7
from shared.contract import Rating
from tests.collector.conftest import serve_app
from tests.support.db_files import rows

T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def commented(seq: int, score: int, comment: str | None, at: datetime) -> Rating:
    return Rating(
        id=str(uuid7(int(at.timestamp() * 1000) + seq)),
        seq=seq,
        device_id="dev-a1",
        employee_id="E1",
        score=score,
        created_at=format_time(at),
        comment=comment,
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "collector" / "taqyeem.db"


@pytest.fixture
def store(db_path: Path) -> Store:
    store = Store(db_path)
    yield store  # type: ignore[misc]
    store.close()


def comments_in(path: Path) -> dict[str, tuple[str | None, str | None]]:
    return {i: (c, p) for i, c, p in rows(path, "SELECT id, comment, comment_purged_at FROM ratings")}


def test_a_comment_older_than_the_retention_is_blanked_and_a_newer_one_stays(store: Store, db_path: Path) -> None:
    old = commented(1, 1, "the clerk was rude", T0)
    new = commented(2, 5, "شكرا جزيلا", T0 + timedelta(days=80))
    store_batch(store, Batch([old]), format_time(T0))
    store_batch(store, Batch([new]), format_time(T0 + timedelta(days=80)))
    now = T0 + timedelta(days=91)

    done = purge_comments(store, 90, now)

    assert (done.purged.ratings, done.purged.dead_letters) == (1, 0)
    assert comments_in(db_path) == {old.id: (None, format_time(now)), new.id: ("شكرا جزيلا", None)}
    score, negative = rows(db_path, "SELECT score, negative FROM ratings WHERE id = ?", [old.id])[0]
    assert (score, negative) == (1, 1)  # the rating itself stays
    assert rows(db_path, "SELECT kind, ran_at, ratings, dead_letters FROM purges") == [
        ("comments", format_time(now), 1, 0)
    ]


def test_the_purge_is_idempotent_and_a_dry_run_changes_nothing(store: Store, db_path: Path) -> None:
    store_batch(store, Batch([commented(1, 4, "fine", T0)]), format_time(T0))
    now = T0 + timedelta(days=100)

    dry = purge_comments(store, 90, now, dry_run=True)
    assert dry.purged.ratings == 1
    assert [c for c, _ in comments_in(db_path).values()] == ["fine"]

    assert purge_comments(store, 90, now).purged.ratings == 1
    again = purge_comments(store, 90, now + timedelta(hours=1))
    assert (again.purged.ratings, again.purged.dead_letters) == (0, 0)
    assert len(rows(db_path, "SELECT id FROM purges")) == 1  # a purge that blanked nothing is not logged


def test_a_reviews_history_keeps_working_after_its_ratings_comment_is_blanked(store: Store) -> None:
    negative = commented(1, 1, "waited two hours", T0)
    store_batch(store, Batch([negative]), format_time(T0))
    closure = {"cause": "waiting_time", "action": "process_fix", "note": "n", "attributable": False}
    assert store.reviews.close(negative.id, "huda", {**closure, "attributable_from": "supervisor"}, format_time(T0))

    purge_comments(store, 90, T0 + timedelta(days=91))

    review = store.reviews.get(negative.id)
    assert review is not None
    assert review["rating"]["score"] == 1
    assert review["review"]["status"] == "closed"
    assert [e["kind"] for e in review["history"]] == ["opened", "closed"]


def test_a_resend_of_a_rating_whose_comment_was_blanked_is_a_duplicate_not_a_conflict(
    store: Store, db_path: Path
) -> None:
    rating = commented(1, 3, "private words", T0)
    store_batch(store, Batch([rating]), format_time(T0))
    purge_comments(store, 90, T0 + timedelta(days=91))

    stored = store_batch(store, Batch([rating]), format_time(T0 + timedelta(days=92)))

    assert stored.duplicate_ids == [rating.id] and stored.conflict_ids == []
    assert rows(db_path, "SELECT count(*) FROM dead_letters") == [(0,)]  # the words did not come back
    other = rating.model_copy(update={"score": 4})
    assert store_batch(store, Batch([other]), format_time(T0 + timedelta(days=92))).conflict_ids == [rating.id]


def test_a_dead_letters_comment_is_blanked_too_and_the_rest_of_its_payload_stays(store: Store, db_path: Path) -> None:
    payload = json.dumps({"v": 1, "id": "x", "score": 9, "comment": "my phone is 0500000000"}).encode()
    store.ratings.add_dead_letter(
        DeadLetter("taqyeem/v1/devices/dev-a1/ratings", "dev-a1", payload, "bad"), "2026-09-01T09:00:00.000Z"
    )
    store.ratings.add_dead_letter(DeadLetter("t", None, b"\xff not json comment", "bad"), "2026-09-01T09:00:00.000Z")

    done = purge_comments(store, 90, T0 + timedelta(days=91))

    assert done.purged.dead_letters == 1
    kept = [
        json.loads(p) if p.startswith(b"{") else p
        for (p,) in rows(db_path, "SELECT payload FROM dead_letters ORDER BY id")
    ]
    assert kept[0] == {"v": 1, "id": "x", "score": 9, "comment": None}
    assert kept[1] == b"\xff not json comment"


def test_the_schedule_purges_at_start_with_its_own_clock_and_logs_it(
    store: Store, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store_batch(store, Batch([commented(1, 2, "slow", T0)]), format_time(T0))
    schedule = PurgeSchedule(store, 30, every_s=3600, clock=lambda: T0 + timedelta(days=31))
    with caplog.at_level(logging.INFO, logger="taqyeem.collector.retention"):
        schedule.start()
        schedule.stop()
    assert [c for c, _ in comments_in(db_path).values()] == [None]
    assert "blanked 1 comments of ratings" in caplog.text


def test_the_schedule_also_forgets_the_phones_of_expired_links(store: Store, db_path: Path) -> None:
    # An idle collector gets no request that would purge them: the hourly run does.
    for token, expires in (("a" * 64, T0 + timedelta(hours=48)), ("b" * 64, T0 + timedelta(days=30))):
        store.visits.record(
            {
                "site_id": "riyadh-hq",
                "visit_id": token[:4],
                "channel": "call",
                "recorded_at": format_time(T0),
                "token_name": "ivr",
            }
        )
        store.visits.add_link(
            {
                "token_hash": token,
                "site_id": "riyadh-hq",
                "visit_id": token[:4],
                "desk_id": None,
                "employee_id": None,
                "phone": "+966500000000",
                "created_at": format_time(T0),
                "expires_at": format_time(expires),
            }
        )
    PurgeSchedule(store, 90, every_s=3600, clock=lambda: T0 + timedelta(days=3)).run_once()
    assert rows(db_path, "SELECT token_hash, phone FROM rating_links ORDER BY token_hash") == [
        ("a" * 64, None),
        ("b" * 64, "+966500000000"),
    ]


def test_the_setting_defaults_to_90_days_and_refuses_unknown_keys(tmp_path: Path) -> None:
    base = {"broker": "mqtt://127.0.0.1:1883", "db": str(tmp_path / "t.db")}
    assert load_collector_settings(**base).retention.comments_days == 90
    toml = tmp_path / "collector.toml"
    toml.write_text('broker = "mqtt://127.0.0.1:1883"\ndb = "x.db"\n[retention]\ncomments_days = 30\n')
    assert load_collector_settings(toml).retention.comments_days == 30
    toml.write_text('broker = "mqtt://127.0.0.1:1883"\ndb = "x.db"\n[retention]\ncomment_days = 30\n')
    with pytest.raises(SettingsError, match="comment_days"):
        load_collector_settings(toml)


def test_the_command_counts_in_a_dry_run_then_blanks(store: Store, db_path: Path, tmp_path: Path) -> None:
    store_batch(
        store,
        Batch([commented(1, 2, "old words", datetime.now(UTC) - timedelta(days=40))]),
        format_time(datetime.now(UTC) - timedelta(days=40)),
    )
    toml = tmp_path / "collector.toml"
    toml.write_text(f'broker = "mqtt://127.0.0.1:1883"\ndb = "{db_path}"\n[retention]\ncomments_days = 30\n')
    runner = CliRunner()

    dry = runner.invoke(cli, ["purge", "comments", "--config", str(toml), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith("would blank 1 rating comments and 0 dead-letter comments")
    assert "(kept 30 days)" in dry.output and "comments held now: 1" in dry.output

    done = runner.invoke(cli, ["purge", "comments", "--db", str(db_path), "--days", "30"])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("blanked 1 rating comments")
    assert "comments held now: 0" in done.output and "last purge: " in done.output
    assert [c for c, _ in comments_in(db_path).values()] == [None]


def test_healthz_shows_the_setting_the_comments_held_and_the_last_purge_over_http(store: Store, tmp_path: Path) -> None:
    store_batch(
        store, Batch([commented(1, 2, "a", T0), commented(2, 4, "b", T0 + timedelta(days=60))]), format_time(T0)
    )
    store_batch(store, Batch([commented(3, 4, "c", T0 + timedelta(days=60))]), format_time(T0 + timedelta(days=60)))
    purge_comments(store, 30, T0 + timedelta(days=61))
    settings = load_collector_settings(
        broker="mqtt://127.0.0.1:1883", db=str(store.path), retention={"comments_days": 30}
    )

    with serve_app(create_app(AppDeps(store, settings=settings))) as base:
        body = httpx.get(base + "/healthz", timeout=10).json()

    assert body["retention"] == {
        "comments_days": 30,
        "comments_held": 1,
        "oldest_comment_received_at": format_time(T0 + timedelta(days=60)),
        "last_purge": {
            "ran_at": format_time(T0 + timedelta(days=61)),
            "cutoff": format_time(T0 + timedelta(days=31)),
            "ratings": 2,
            "dead_letters": 0,
        },
    }
