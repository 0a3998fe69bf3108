"""The review workflow: rules (pure) and POST /api/v1/reviews/{rating_id} over real HTTP."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.reviews.rules import CAUSES, ReviewError, attributable_default, closure_from, queue_order, response_from
from collector.store import Store
from shared.clock import format_time
from tests.support.two_sites_today import make_rating, seed
from tests.support.web_session import csrf_of, sign_in

# --- rules --------------------------------------------------------------------------------------


def test_a_closure_needs_a_known_cause_action_and_a_note() -> None:
    assert closure_from("waiting_time", "coaching", "  spoke with him ").note == "spoke with him"
    with pytest.raises(ReviewError, match="cause must be one of"):
        closure_from("bad luck", "coaching", "x")
    with pytest.raises(ReviewError, match="action must be one of"):
        closure_from("other", "fire", "x")
    with pytest.raises(ReviewError, match="reason for taking no action"):
        closure_from("other", "no_action", "   ")
    with pytest.raises(ReviewError, match="too long"):
        closure_from("other", "coaching", "x" * 2001)
    with pytest.raises(ReviewError, match="response is required"):
        response_from("")


def test_whether_a_rating_is_attributable_defaults_from_the_cause_and_the_supervisor_decides() -> None:
    assert {cause for cause in CAUSES if not attributable_default(cause)} == {
        "system_outage",
        "procedure_policy",
        "visitor_misunderstanding",
    }
    outage = closure_from("system_outage", "process_fix", "queue system down")
    assert (outage.attributable, outage.attributable_from) == (False, "cause")
    kept = closure_from("system_outage", "process_fix", "he could have used the paper form", attributable=True)
    assert (kept.attributable, kept.attributable_from) == (True, "supervisor")
    assert closure_from("staff_conduct", "coaching", "x", "no").attributable is False  # the page's yes/no
    assert closure_from("staff_conduct", "coaching", "x", "").as_dict()["attributable"] is True  # none chosen
    with pytest.raises(ReviewError, match="attributable must be true or false"):
        closure_from("other", "coaching", "x", "maybe")


def test_queue_puts_todays_open_reviews_first() -> None:
    def item(created: str, status: str) -> dict[str, Any]:
        return {"rating": {"created_at": created}, "review": {"status": status}}

    items = [
        item("2026-11-27T10:00:00.000Z", "open"),
        item("2026-11-28T08:00:00.000Z", "closed"),
        item("2026-11-28T07:00:00.000Z", "open"),
        item("2026-11-28T09:00:00.000Z", "open"),
    ]
    ordered = queue_order(items, "2026-11-27T21:00:00.000Z")
    assert [(i["rating"]["created_at"][:13], i["review"]["status"]) for i in ordered] == [
        ("2026-11-28T09", "open"),
        ("2026-11-28T07", "open"),
        ("2026-11-27T10", "open"),
        ("2026-11-28T08", "closed"),
    ]


# --- the API ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("reviews") / "taqyeem.db")
    seed(store)
    yield live_api(store), store
    store.close()


_SEQ = itertools.count(1000)  # after the seeded ratings' seqs
_DESK_OF = {"site-a": ("dev-a1", "E1"), "site-b": ("dev-b1", "B7")}


def _open_review(store: Store, site: str) -> str:
    """A new negative rating at the site's desk, its review open: each test its own, so the order never matters
    (site b was seeded with one negative, which a test closing it took from the tests after it)."""
    device_id, employee_id = _DESK_OF[site]
    now = datetime.now(UTC)
    rating = make_rating(device_id, next(_SEQ), 1, now, employee_id)
    store_batch(store, Batch([rating]), format_time(now))
    return rating.id


def _token(store: Store, role: str, sites: list[str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.accounts.create_token(role, role, sites, '2026-11-28T00:00:00.000Z')}"}


GOOD = {"cause": "waiting_time", "action": "process_fix", "note": "added a second counter at noon"}


def test_a_supervisor_closes_a_review_and_who_and_when_are_recorded(web: tuple[str, Store]) -> None:
    base, store = web
    rating_id = _open_review(store, "site-a")
    response = httpx.post(
        f"{base}/api/v1/reviews/{rating_id}", json=GOOD, headers=_token(store, "supervisor", ["site-a"])
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["review"]["status"] == "closed"
    assert body["review"]["closed_by"] == "supervisor"
    assert body["review"]["closed_at"].endswith("Z")
    assert (body["review"]["cause"], body["review"]["action"], body["review"]["note"]) == tuple(GOOD.values())
    assert [e["kind"] for e in body["history"]] == ["opened", "closed"]
    assert body["review"]["attributable"] is True  # waiting time: held against the employee unless told otherwise
    assert body["review"]["attributable_from"] == "cause"
    assert body["history"][1]["data"] == {**GOOD, "attributable": True, "attributable_from": "cause"}
    again = httpx.post(
        f"{base}/api/v1/reviews/{rating_id}",
        json={**GOOD, "note": "rewrite history"},
        headers=_token(store, "admin", []),
    )
    assert again.status_code == 409
    assert store.reviews.get(rating_id)["review"]["note"] == GOOD["note"]  # type: ignore[index]


def test_responses_are_appended_never_replaced(web: tuple[str, Store]) -> None:
    base, store = web
    rating_id = _open_review(store, "site-a")
    headers = _token(store, "supervisor", ["site-a"])
    for text in ("the system was down", "and the queue was long"):
        assert (
            httpx.post(
                f"{base}/api/v1/reviews/{rating_id}/response", json={"response": text}, headers=headers
            ).status_code
            == 200
        )
    item = httpx.get(f"{base}/api/v1/reviews/{rating_id}", headers=headers).json()
    assert item["review"]["response"] == "and the queue was long"
    assert [e["data"].get("response") for e in item["history"] if e["kind"] == "response"] == [
        "the system was down",
        "and the queue was long",
    ]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"cause": "luck", "action": "coaching", "note": "x"}, "cause must be one of"),
        ({"cause": "other", "action": "coaching", "note": ""}, "note is required"),
        ({"cause": "other", "action": "coaching"}, "note"),
        ({"cause": "other", "action": "coaching", "note": "x", "score": 5}, "score"),
        ({"cause": 5, "action": "coaching", "note": "x"}, "cause"),
    ],
)
def test_bad_closures_are_422_with_a_detail(web: tuple[str, Store], body: dict[str, Any], detail: str) -> None:
    base, store = web
    rating_id = _open_review(store, "site-a")
    response = httpx.post(f"{base}/api/v1/reviews/{rating_id}", json=body, headers=_token(store, "admin", []))
    assert response.status_code == 422
    assert detail in str(response.json()["detail"])
    assert store.reviews.get(rating_id)["review"]["status"] == "open"  # type: ignore[index]


@pytest.mark.parametrize("rating_id", ["not-a-uuid", "00000000-0000-7000-8000-000000000000", "' OR 1=1 --"])
def test_unknown_or_malformed_ids_are_4xx(web: tuple[str, Store], rating_id: str) -> None:
    base, store = web
    response = httpx.post(f"{base}/api/v1/reviews/{rating_id}", json=GOOD, headers=_token(store, "admin", []))
    assert response.status_code in (404, 422)


def test_roles_and_sites_are_enforced(web: tuple[str, Store]) -> None:
    base, store = web
    rating_b = _open_review(store, "site-b")
    viewer = httpx.post(f"{base}/api/v1/reviews/{rating_b}", json=GOOD, headers=_token(store, "viewer", []))
    assert viewer.status_code == 403
    other_site = httpx.post(
        f"{base}/api/v1/reviews/{rating_b}", json=GOOD, headers=_token(store, "supervisor", ["site-a"])
    )
    assert other_site.status_code == 404
    assert (
        httpx.get(f"{base}/api/v1/reviews/{rating_b}", headers=_token(store, "supervisor", ["site-a"])).status_code
        == 404
    )
    assert httpx.post(f"{base}/api/v1/reviews/{rating_b}", json=GOOD).status_code == 401
    assert store.reviews.get(rating_b)["review"]["status"] == "open"  # type: ignore[index]


def test_a_browser_session_needs_the_csrf_header_for_the_json_api(web: tuple[str, Store]) -> None:
    base, store = web
    rating_id = _open_review(store, "site-b")
    with sign_in(base, "sup-b") as client:
        refused = client.post(f"/api/v1/reviews/{rating_id}", json=GOOD)
        assert refused.status_code == 403
        assert "CSRF" in refused.json()["detail"]
        token = csrf_of(client.get(f"/reviews/{rating_id}").text)
        accepted = client.post(f"/api/v1/reviews/{rating_id}", json=GOOD, headers={"X-CSRF-Token": token})
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["review"]["closed_by"] == "sup-b"


def test_the_review_page_closes_with_cause_and_action(web: tuple[str, Store]) -> None:
    base, store = web
    rating_id = _open_review(store, "site-a")
    with sign_in(base, "sup-a") as client:
        page = client.get(f"/reviews/{rating_id}")
        assert page.status_code == 200
        missing = client.post(
            f"/reviews/{rating_id}/close",
            data={"csrf": csrf_of(page.text), "cause": "other", "action": "coaching", "note": ""},
        )
        assert missing.status_code == 422
        assert "note is required" in missing.text
        done = client.post(
            f"/reviews/{rating_id}/close",
            data={
                "csrf": csrf_of(page.text),
                "cause": "staff_conduct",
                "action": "coaching",
                "note": "talked it through",
            },
            follow_redirects=True,
        )
        assert done.status_code == 200
        assert "سلوك الموظف" in done.text and "talked it through" in done.text and "sup-a" in done.text
        closed_list = client.get("/reviews", params={"status": "closed"}).text
        assert rating_id in closed_list
