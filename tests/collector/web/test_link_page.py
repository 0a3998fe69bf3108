"""The rating link's page over real HTTP: one rating per link, 410 after, 404 unknown, 429 for a flood.

The rating is stored with channel 'link', the visit's id and employee; the phone number is
forgotten once the link is used or expired.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.store import Store
from collector.visits.links import RateLimit, token_hash
from collector.web.routes import link as link_route
from shared.clock import format_time
from tests.collector.conftest import serve_app
from tests.support.rating_links import make_link, survey_desk

NOW = "2026-11-28T12:00:00.000Z"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("links") / "taqyeem.db")
    store.devices.register("dev-a1", survey_desk(), NOW)
    yield store
    store.close()


@pytest.fixture(scope="module")
def http(store: Store) -> Iterator[httpx.Client]:
    with serve_app(create_app(AppDeps(store))) as base, httpx.Client(base_url=base, timeout=10) as client:
        yield client


def answer(http: httpx.Client, token: str, body: Any) -> httpx.Response:
    return http.post(f"/r/{token}", content=json.dumps(body), headers={"Content-Type": "application/json"})


def test_a_link_takes_one_rating_stored_as_a_link_rating_of_the_visit(store: Store, http: httpx.Client) -> None:
    token = make_link(store, "V-1")
    page = http.get(f"/r/{token}")
    assert page.status_code == 200
    assert 'dir="rtl"' in page.text and "هل واجهت أي عائق" in page.text
    body = {"score": 2, "reasons": ["waiting_time"], "answers": {"obstacles": "yes"}, "comment": "<b>late</b>"}
    first = answer(http, token, body)
    assert first.status_code == 201, first.text
    stored = store.ratings.by_ids([first.json()["id"]])[0]
    assert (stored["channel"], stored["visit_id"], stored["employee_id"], stored["score"]) == ("link", "V-1", "E7", 2)
    assert (stored["site_id"], stored["desk_id"], stored["comment"]) == ("site-a", "desk-01", "<b>late</b>")
    assert stored["answers"] == {"obstacles": "yes"}
    assert store.reviews.get(stored["id"]) is not None  # a negative opens a review, as from a desk
    again = answer(http, token, {"score": 5})
    assert again.status_code == 410
    assert http.get(f"/r/{token}").status_code == 410
    link = store.visits.link(token_hash(token))
    assert link is not None and link["phone"] is None and link["rating_id"] == stored["id"]


def test_an_expired_link_answers_410_and_its_phone_is_purged(store: Store, http: httpx.Client) -> None:
    token = make_link(store, "V-2", hours=-1)
    assert store.visits.link(token_hash(token))["phone"] is not None  # type: ignore[index]
    assert answer(http, token, {"score": 4}).status_code == 410
    assert store.visits.link(token_hash(token))["phone"] is None  # type: ignore[index]
    assert "انتهت صلاحية" in http.get(f"/r/{token}").text


def test_unknown_tokens_are_404(http: httpx.Client) -> None:
    assert http.get("/r/nope").status_code == 404
    assert answer(http, "nope", {"score": 4}).status_code == 404


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"score": 6}, "score: choose one of the five faces"),
        ({"score": 1, "reasons": ["made_up"]}, "reasons: at most"),
        ({"score": 4, "answers": {"obstacles": "maybe"}}, "obstacles has no option 'maybe'"),
        ({"score": 4, "answers": {"mystery": "x"}}, "mystery is not a question"),
        ({"score": 4, "comment": "x" * 501}, "comment: at most 500"),
    ],
)
def test_a_wrong_answer_is_422_and_leaves_the_link_usable(
    store: Store, http: httpx.Client, body: dict[str, Any], detail: str
) -> None:
    token = make_link(store, f"V-bad-{len(str(body))}-{detail[:5]}")
    refused = answer(http, token, body)
    assert refused.status_code == 422
    assert detail in refused.json()["detail"]
    assert answer(http, token, {"score": 4}).status_code == 201


def test_a_plain_form_post_works_without_javascript(store: Store, http: httpx.Client) -> None:
    token = make_link(store, "V-form")
    form = "lang=en&score=1&reasons=waiting_time&q_obstacles=no&q_applicant=resident"
    form += "&comment=%3Cscript%3Ex%3C%2Fscript%3E"
    done = http.post(f"/r/{token}", content=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert done.status_code == 201
    assert "Thank you" in done.text and "&lt;script&gt;x&lt;/script&gt;" in done.text and "<script>" not in done.text


def test_a_flood_from_one_address_is_429(store: Store, http: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(link_route, "limit", RateLimit(hits=3, window_s=60))
    token = make_link(store, "V-flood")
    assert [http.get(f"/r/{token}").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "Too many requests" in http.get(f"/r/{token}").text


def test_purging_forgets_only_numbers_of_used_or_expired_links(tmp_path: Path) -> None:
    store = Store(tmp_path / "purge.db")
    try:
        live, expired = make_link(store, "P-1"), make_link(store, "P-2", hours=-2)
        assert store.visits.purge_phones(format_time(datetime.now(UTC))) == 1  # the expired one only
        assert store.visits.link(token_hash(live))["phone"] == "+966500000009"  # type: ignore[index]
        assert store.visits.link(token_hash(expired))["phone"] is None  # type: ignore[index]
        assert store.visits.purge_phones("2100-01-01T00:00:00.000Z") == 1  # the live one, once it has expired
    finally:
        store.close()
