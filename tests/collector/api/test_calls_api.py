"""A phone system's ratings over real HTTP: POST /api/v1/ratings with an integration token.

The same checks, storage, reviews and reports as a desk's rating over MQTT; refused
in the same words an Ack would use.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch, StoredBatch
from collector.ingest.classify import Incoming, acks_for, classify
from collector.store import Store
from shared import topics
from shared.clock import uuid7
from shared.contract import DeviceConfig, Rating
from tests.support.db_files import rows

NOW = "2026-11-28T12:00:00.000Z"
DAY = "2026-11-28"
MOMENT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _config(site_id: str, desk_id: str, threshold: int) -> DeviceConfig:
    return DeviceConfig(
        site_id=site_id, desk_id=desk_id, desk_name_ar="مكتب", desk_name_en="Desk", negative_max_score=threshold
    )


def employee(employee_id: str, site_id: str, active: bool = True) -> dict[str, Any]:
    """A registry row: an integration may name only active employees of its token's sites (PROTOCOL 1.2)."""
    names = {"name_ar": f"موظف {employee_id}", "name_en": f"Employee {employee_id}"}
    return {"employee_id": employee_id, **names, "site_id": site_id, "section_id": None, "active": active}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("calls") / "taqyeem.db")
    store.devices.register("dev-a1", _config("site-a", "desk-01", 2), NOW)
    store.devices.register("dev-a2", _config("site-a", "desk-02", 3), NOW)
    store.devices.register("dev-b1", _config("site-b", "desk-09", 2), NOW)
    registry = [employee("E7", "site-a"), employee("E9", "site-b"), employee("E8", "site-a", active=False)]
    store.employees.save(registry, "hr", NOW)
    yield store
    store.close()


@pytest.fixture(scope="module")
def tokens(store: Store) -> dict[str, str]:
    return {
        "ivr": store.accounts.create_token("ivr", "integration", ["site-a"], NOW),
        "ivr_b": store.accounts.create_token("ivr-b", "integration", ["site-b"], NOW),
        "admin": store.accounts.create_token("admin", "admin", [], NOW),
        "supervisor": store.accounts.create_token("sup", "supervisor", ["*"], NOW),
        "viewer": store.accounts.create_token("viewer", "viewer", ["site-a"], NOW),
    }


@pytest.fixture(scope="module")
def http(store: Store, live_api: Callable[[Store], str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_api(store), timeout=10) as client:
        yield client


Post = Callable[..., httpx.Response]


@pytest.fixture(scope="module")
def post(http: httpx.Client, tokens: dict[str, str]) -> Post:
    def send(body: dict[str, Any] | bytes, holder: str = "ivr") -> httpx.Response:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {tokens[holder]}", "Content-Type": "application/json"}
        return http.post("/api/v1/ratings", content=content, headers=headers)

    return send


_minute = iter(range(1, 10_000))


def call(score: int = 4, **extra: Any) -> dict[str, Any]:
    """A phone call's rating as the phone system posts it, with a fresh id a minute after the last."""
    at = MOMENT.timestamp() + 60 * next(_minute)
    return {
        "v": 1,
        "id": str(uuid7(int(at * 1000))),
        "site_id": "site-a",
        "desk_id": "desk-01",
        "employee_id": "E7",
        "score": score,
        "reasons": ["waiting_time"] if score <= 2 else [],
        "created_at": datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        **extra,
    }


def stored(http: httpx.Client, tokens: dict[str, str], rating_id: str) -> list[dict[str, Any]]:
    answer = http.get("/api/v1/ratings", params={"limit": 1000}, headers={"Authorization": f"Bearer {tokens['admin']}"})
    return [r for r in answer.json()["ratings"] if r["id"] == rating_id]


def test_a_call_is_stored_once_201_then_200_with_its_channel_answers_and_comment(
    post: Post, http: httpx.Client, tokens: dict[str, str]
) -> None:
    body = call(5, answers={"obstacles": "no", "ease": 4}, comment="الموظف كان متعاونًا", visit_id="C-17")
    first = post(body)
    assert first.status_code == 201, first.text
    again = post(body)
    assert again.status_code == 200, again.text
    assert (first.json()["stored"], again.json()["stored"], again.json()["conflict"]) == (True, False, False)
    [row] = stored(http, tokens, body["id"])
    assert row == again.json()["rating"] == {**first.json()["rating"]}
    assert (row["channel"], row["answers"], row["comment"]) == ("call", {"ease": 4, "obstacles": "no"}, body["comment"])
    assert (row["site_id"], row["desk_id"], row["device_id"], row["employee_id"]) == (
        "site-a",
        "desk-01",
        "taqyeem-api-ivr",
        "E7",
    )
    later = post(call(4))
    assert later.json()["rating"]["seq"] == row["seq"] + 1  # a counter of the integration's own, without gaps


def test_a_desk_ratings_api_answer_says_its_channel_too(
    store: Store, http: httpx.Client, tokens: dict[str, str]
) -> None:
    desk = Rating(id=str(uuid7()), seq=1, device_id="dev-a1", score=5, created_at=NOW)
    store_batch(store, Batch([desk]), NOW)
    [row] = stored(http, tokens, desk.id)
    assert (row["channel"], row["answers"], row["comment"]) == ("desk", {}, None)


@pytest.mark.parametrize("role", ["admin", "supervisor", "viewer"])
def test_only_an_integration_token_posts_ratings(post: Post, http: httpx.Client, role: str) -> None:
    body = call(4)
    refused = post(body, holder=role)
    assert refused.status_code == 403 and "integration token" in refused.json()["detail"]
    nobody = http.post("/api/v1/ratings", json=body)
    assert nobody.status_code == 401
    assert post(body).status_code == 201  # nothing was stored by the refused ones


def test_an_integration_posts_only_for_its_own_sites(post: Post) -> None:
    elsewhere = call(4, site_id="site-b", desk_id="desk-09", employee_id="E9")
    refused = post(elsewhere)
    assert refused.status_code == 403 and "site-a" in refused.json()["detail"]
    assert post(elsewhere, holder="ivr_b").status_code == 201
    assert post({**call(4), "desk_id": None}, holder="ivr_b").status_code == 403


@pytest.mark.parametrize(
    "employee_id", ["E9", "E8", "NOBODY<script>", "=1+2"], ids=["other-site", "inactive", "script", "formula"]
)
def test_a_call_naming_no_active_employee_of_the_tokens_sites_is_refused_naming_the_field(
    post: Post, http: httpx.Client, tokens: dict[str, str], employee_id: str
) -> None:
    body = call(2, employee_id=employee_id)
    answer = post(body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"].startswith("employee_id: not an active employee of this token's sites (site-a)")
    assert stored(http, tokens, body["id"]) == []
    assert post({k: v for k, v in body.items() if k != "employee_id"}).status_code == 201  # without it: stored


def ack_error(payload: dict[str, Any] | bytes) -> str:
    """The error a desk's Ack carries for this rating published over MQTT."""
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    item = Incoming(topics.ratings("dev-a1"), raw, 1, 1, False, datetime.now(UTC))
    [ack] = acks_for(classify([item]), StoredBatch([], [], []))["dev-a1"]
    return ack.rejected[0].error


BROKEN: list[dict[str, Any] | bytes] = [
    {"score": 7},
    {"score": "5"},
    {"id": "not-a-uuid"},
    {"created_at": "yesterday"},
    {"reasons": ["waiting_time", "waiting_time"]},
    {"answers": {"obstacles": "Yes please"}},
    {"answers": {"ease": 9}},
    {"comment": "x" * 501},
    {"lang": "xx-long"},
    {"v": 2},
    b"{not json",
    b"\xff\xfe",
    b"[1, 2]",
    b'{"v": 1, "pad": "' + b"x" * 5000 + b'"}',
]


@pytest.mark.parametrize("broken", BROKEN)
def test_a_broken_call_is_refused_in_the_words_of_a_desks_ack(post: Post, broken: dict[str, Any] | bytes) -> None:
    if isinstance(broken, bytes):
        posted, published = broken, broken
    else:
        body = {**call(2), **broken}
        posted = body
        published = {k: v for k, v in body.items() if k not in ("site_id", "desk_id")}
        published.update(device_id="dev-a1", seq=1)
    answer = post(posted)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == ack_error(published)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"site_id": None}, "site_id: required"),
        ({"desk_id": "Desk 1"}, "desk_id: must be a desk id"),
        ({"device_id": "dev-a1"}, "device_id: leave it out"),
        ({"seq": 4}, "seq: leave it out"),
        ({"channel": "link"}, "channel: 'link' ratings come only from the rating link's page"),
        ({"channel": "sms"}, "channel: Input should be 'desk', 'call' or 'link'"),
    ],
)
def test_what_only_a_posted_rating_can_get_wrong_is_refused_with_what_to_do(
    post: Post, change: dict[str, Any], words: str
) -> None:
    body = {k: v for k, v in {**call(4), **change}.items() if v is not None}
    answer = post(body)
    assert answer.status_code == 422 and answer.json()["detail"].startswith(words), answer.text


def test_the_same_id_with_other_content_is_answered_as_a_duplicate_and_kept_as_a_conflict(
    store: Store, post: Post, http: httpx.Client, tokens: dict[str, str]
) -> None:
    body = call(4)
    assert post(body).status_code == 201
    changed = {**body, "score": 1, "reasons": ["staff_courtesy"]}
    answer = post(changed)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"id": body["id"], "stored": False, "conflict": True, "differs": ["score", "reasons"]}
    [row] = stored(http, tokens, body["id"])
    assert row["score"] == 4 and not row["negative"]  # the first stays
    letters = rows(store.path, "SELECT topic, device_id, payload, reason FROM dead_letters ORDER BY id DESC LIMIT 1")
    topic, device_id, payload, reason = letters[0]
    assert (topic, device_id, json.loads(payload)) == ("POST /api/v1/ratings", "taqyeem-api-ivr", changed)
    assert reason.startswith("conflict:") and "score 4 stored, 1 now" in reason
    assert store.reviews.get(body["id"]) is None  # a conflict opens no review


def test_another_sites_rating_id_posted_again_answers_only_that_it_conflicts(
    store: Store, post: Post, http: httpx.Client, tokens: dict[str, str]
) -> None:
    theirs = call(1, site_id="site-b", desk_id="desk-09", employee_id="E9", comment="رقم هاتفي 0551234567")
    assert post(theirs, holder="ivr_b").status_code == 201
    for guess in (1, 2, 3, 4, 5):  # naming the fields that differ would tell which score is stored
        mine = {**call(guess), "id": theirs["id"], "created_at": theirs["created_at"], "reasons": theirs["reasons"]}
        answer = post(mine)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"id": theirs["id"], "stored": False, "conflict": True, "differs": ["device_id"]}
    [row] = stored(http, tokens, theirs["id"])
    assert (row["site_id"], row["score"], row["comment"]) == ("site-b", 1, theirs["comment"])  # theirs stays


def test_a_negative_call_opens_a_review_judged_by_its_desks_threshold(
    store: Store, post: Post, http: httpx.Client, tokens: dict[str, str]
) -> None:
    at_desk_2 = call(3, desk_id="desk-02")  # desk-02 counts 3 as negative
    at_desk_1 = call(3)  # desk-01 does not
    no_desk = {k: v for k, v in call(3).items() if k != "desk_id"}  # site-a's desks differ: the default, 2
    answers = [post(body).json()["rating"]["negative"] for body in (at_desk_2, at_desk_1, no_desk)]
    assert answers == [True, False, False]
    review = http.get(f"/api/v1/reviews/{at_desk_2['id']}", headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert review.status_code == 200 and review.json()["review"]["status"] == "open"
    listed = http.get("/api/v1/reviews", headers={"Authorization": f"Bearer {tokens['supervisor']}"})
    assert at_desk_2["id"] in {item["rating"]["id"] for item in listed.json()["reviews"]}


def test_the_daily_report_splits_the_day_by_channel(post: Post, http: httpx.Client, tokens: dict[str, str]) -> None:
    auth = {"Authorization": f"Bearer {tokens['admin']}"}
    before = http.get("/api/v1/reports/daily", params={"date": DAY, "site_id": "site-a"}, headers=auth).json()
    for score in (1, 5, 5):
        assert post(call(score)).status_code == 201
    report = http.get("/api/v1/reports/daily", params={"date": DAY, "site_id": "site-a"}, headers=auth).json()
    assert set(report["by_channel"]) == {"desk", "call", "link"}
    calls, was = report["by_channel"]["call"], before["by_channel"]["call"]
    assert calls["count"] == was["count"] + 3 and calls["negatives"] == was["negatives"] + 1
    assert report["by_channel"]["link"] == {
        "count": 0,
        "mean": None,
        "negatives": 0,
        "share_negative": None,
        "open_reviews": 0,
    }
    assert sum(part["count"] for part in report["by_channel"].values()) == report["totals"]["count"]


def test_calls_posted_over_http_are_counted_in_the_daily_sums_of_answers_and_languages(
    post: Post, store: Store
) -> None:
    for body in (call(4, lang="en", answers={"ease": 2}), call(3, answers={"obstacles": "yes", "ease": 5})):
        assert post(body).status_code == 201
        assert post(body).status_code == 200  # sent again: counted once
    since, until = "2026-11-26T21:00:00.000Z", "2026-11-29T21:00:00.000Z"  # Riyadh's 27th to 29th
    for site_id in (None, "site-a", "site-b"):
        counts = store.answers.counts(since, until, site_id=site_id)
        assert store.rollups.answers.counts(("2026-11-27", "2026-11-29"), site_id=site_id) == counts
        languages = store.answers.languages(since, until, site_id=site_id)
        assert store.rollups.answers.languages(("2026-11-27", "2026-11-29"), site_id=site_id) == languages
    assert store.rollups.answers.counts(("2026-11-27", "2026-11-29"))["ease"]["2"] >= 1
