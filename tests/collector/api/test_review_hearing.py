"""A fair hearing over the real API (PROTOCOL 1.2): a formal warning approved by a second person, the employee's appeal.

Real uvicorn, real SQLite; supervisors and employees act through signed-in sessions, as
the pages do. Each refusal is checked for its status, its reason and that nothing was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from collector.access import Identity
from collector.fleet.sites import SitesFile, apply_sites
from collector.people.auth import Accounts
from collector.people.own_figures import own_figures
from collector.reviews.hearing_workflow import appeal, decide
from collector.reviews.rules import closure_from
from collector.store import Store
from collector.store.excluded_rollups import fill_excluded_sums
from shared.clock import format_time
from tests.support.two_sites_today import CALENDAR, PASSWORDS, seed
from tests.support.web_session import csrf_of, sign_in

PASSWORDS_HERE = {"sup-a2": "sup-a2-password-1", "emp-e2": "emp-e2-password-1", "emp-e3": "emp-e3-password-1"}
WARNING = {"cause": "staff_conduct", "action": "formal_warning", "note": "Raised his voice at the visitor"}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("hearing") / "taqyeem.db")
    seed(store)  # E2's negatives (1 and 2) and E3's (2) at site-a, B7's (1) at site-b
    accounts = Accounts(store)
    accounts.add_user("sup-a2", "supervisor", ["site-a"], PASSWORDS_HERE["sup-a2"])
    accounts.add_user("emp-e2", "employee", ["site-a"], PASSWORDS_HERE["emp-e2"], employee_id="E2")
    accounts.add_user("emp-e3", "employee", ["site-a"], PASSWORDS_HERE["emp-e3"], employee_id="E3")
    yield live_api(store), store
    store.close()


@contextmanager
def session(base: str, name: str) -> Iterator[Callable[..., httpx.Response]]:
    """``post(path, body)`` as ``name``, with the session's CSRF token, as the pages' scripts send it."""
    password = PASSWORDS_HERE.get(name) or PASSWORDS[name]
    with sign_in(base, name, password) as client:
        csrf = csrf_of(client.get("/me" if name.startswith("emp-") else "/reviews").text)

        def post(path: str, body: dict[str, Any] | None = None) -> httpx.Response:
            return client.post(path, json=body or {}, headers={"X-CSRF-Token": csrf})

        yield post


def negatives_of(store: Store, employee_id: str) -> list[str]:
    return sorted(i["rating"]["id"] for i in store.reviews.all(employee_id=employee_id))


def stored(store: Store, rating_id: str) -> tuple[dict[str, Any], int]:
    """The review's row and how many events it has: what a refusal must leave as it was."""
    item = store.reviews.get(rating_id)
    assert item is not None
    return item["review"], len(item["history"])


def test_a_formal_warning_waits_for_a_second_supervisor_and_its_closer_cannot_approve(web: tuple[str, Store]) -> None:
    base, store = web
    rating_id = negatives_of(store, "E2")[0]
    with session(base, "sup-a") as sup_a, session(base, "sup-a2") as sup_a2, session(base, "sup-b") as sup_b:
        proposed = sup_a(f"/api/v1/reviews/{rating_id}", WARNING)
        assert proposed.status_code == 202, proposed.text
        body = proposed.json()
        assert body["status"] == "pending_approval"
        assert body["review"]["status"] == "open" and body["review"]["closed_at"] is None  # not closed until approved
        assert body["pending_approval"]["by"] == "sup-a" and body["pending_approval"]["action"] == "formal_warning"
        assert [(e["kind"], e["by"]) for e in body["events"]] == [("opened", "system"), ("pending_approval", "sup-a")]
        before = stored(store, rating_id)

        own = sup_a(f"/api/v1/reviews/{rating_id}/approve")
        assert own.status_code == 403
        assert "another supervisor of the site or an admin" in own.json()["detail"]
        assert sup_b(f"/api/v1/reviews/{rating_id}/approve").status_code == 404  # not a supervisor of that site
        assert stored(store, rating_id) == before  # nothing half-stored

        approved = sup_a2(f"/api/v1/reviews/{rating_id}/approve")
        assert approved.status_code == 200, approved.text
        review = approved.json()["review"]
        assert (review["status"], review["closed_by"], review["approved_by"]) == ("closed", "sup-a", "sup-a2")
        assert approved.json()["pending_approval"] is None
        events = approved.json()["events"]
        assert [(e["kind"], e["by"]) for e in events][-1] == ("approved", "sup-a2")
        assert all(e["at"] for e in events)
        again = sup_a2(f"/api/v1/reviews/{rating_id}/approve")
        assert again.status_code == 409 and "nothing awaits approval" in again.json()["detail"]


def test_the_employee_appeals_once_and_another_supervisor_upholds_it(web: tuple[str, Store]) -> None:
    base, store = web
    rating_id = negatives_of(store, "E2")[0]
    if store.reviews.get(rating_id)["review"]["status"] != "closed":  # type: ignore[index]
        store.reviews.close(rating_id, "sup-a", closure_from(**WARNING).as_dict(), format_time(datetime.now(UTC)))
    with session(base, "emp-e2") as e2, session(base, "emp-e3") as e3, session(base, "sup-a") as sup_a:
        before = stored(store, rating_id)
        theirs = e3(f"/api/v1/reviews/{rating_id}/appeal", {"text": "not me"})
        assert theirs.status_code == 404 and "among yours" in theirs.json()["detail"]  # someone else's review
        supervisor = sup_a(f"/api/v1/reviews/{rating_id}/appeal", {"text": "on their behalf"})
        assert supervisor.status_code == 403 and "only the employee" in supervisor.json()["detail"]
        empty = e2(f"/api/v1/reviews/{rating_id}/appeal", {"text": "   "})
        assert empty.status_code == 422 and "text is required" in empty.json()["detail"]
        assert stored(store, rating_id) == before

        made = e2(f"/api/v1/reviews/{rating_id}/appeal", {"text": "The visitor shouted first; my colleague saw it"})
        assert made.status_code == 201, made.text
        assert made.json()["appeal"] == {
            "text": "The visitor shouted first; my colleague saw it",
            "at": made.json()["review"]["appeal_at"],
            "upheld": None,
            "decided_by": None,
            "decided_at": None,
            "note": None,
        }
        assert made.json()["events"][-1]["kind"] == "appealed" and made.json()["events"][-1]["by"] == "emp-e2"
        after_one = stored(store, rating_id)
        second = e2(f"/api/v1/reviews/{rating_id}/appeal", {"text": "again"})
        assert second.status_code == 409 and "already appealed" in second.json()["detail"]
        assert stored(store, rating_id) == after_one

        closer = sup_a(f"/api/v1/reviews/{rating_id}/appeal/decision", {"upheld": True, "note": "mine"})
        assert closer.status_code == 403 and "you closed this review" in closer.json()["detail"]
        assert stored(store, rating_id) == after_one
    with session(base, "sup-a2") as sup_a2:
        decided = sup_a2(f"/api/v1/reviews/{rating_id}/appeal/decision", {"upheld": True, "note": "Colleague confirms"})
        assert decided.status_code == 200, decided.text
        appeal = decided.json()["appeal"]
        assert (appeal["upheld"], appeal["decided_by"]) == (True, "sup-a2") and appeal["decided_at"]
        assert decided.json()["review"]["attributable"] is False
        assert [e["kind"] for e in decided.json()["events"]][-1] == "decided"
        final = sup_a2(f"/api/v1/reviews/{rating_id}/appeal/decision", {"upheld": False, "note": "changed my mind"})
        assert final.status_code == 409 and "decided already" in final.json()["detail"]
    listed = {i["rating"]["id"]: i for i in store.reviews.all(employee_id="E2")}
    assert listed[rating_id]["review"]["attributable"] is False


def test_after_an_upheld_appeal_the_employees_figures_equal_a_count_from_every_rating(web: tuple[str, Store]) -> None:
    _, store = web
    if not any(i["review"].get("appeal_upheld") for i in store.reviews.all(employee_id="E2")):  # run alone
        rating_id = negatives_of(store, "E2")[0]
        store.reviews.close(rating_id, "sup-a", closure_from(**WARNING).as_dict(), format_time(datetime.now(UTC)))
        appeal(store, Identity("emp-e2", "employee", employee_id="E2"), rating_id, "not me")
        decide(store, Identity("sup-a2", "supervisor", ["site-a"]), rating_id, True, "confirmed")
    rows, _ = store.ratings.page(employee_id="E2", limit=1000)
    not_held = {i["rating"]["id"] for i in store.reviews.all(employee_id="E2") if i["review"]["attributable"] is False}
    counted = [r["score"] for r in rows if r["id"] not in not_held]
    figures = own_figures(store, CALENDAR, "E2")
    assert not_held and figures["count"] == len(counted) == len(rows) - len(not_held)
    assert figures["mean"] == pytest.approx(sum(counted) / len(counted))
    # The period report's kept sums follow the appeal, and equal a rebuild from every review.
    today = CALENDAR.today().isoformat()
    since, until = CALENDAR.day_bounds(CALENDAR.today())
    kept = store.rollups.excluded.counts((today, today))
    assert kept == store.reviews.not_attributable_counts(since, until)
    assert {r["employee_id"] for r in kept} >= {"E2"}
    with store._conn.transaction() as db:
        fill_excluded_sums(db, store.rollups.zone())
    assert store.rollups.excluded.counts((today, today)) == kept


def test_a_late_appeal_is_refused_with_the_day_it_ended_and_nothing_is_stored(web: tuple[str, Store]) -> None:
    base, store = web
    rating_id = negatives_of(store, "E2")[1]
    eight_days_ago = format_time(datetime.now(UTC) - timedelta(days=8))
    closure = closure_from("staff_conduct", "coaching", "Spoke to him").as_dict()
    assert store.reviews.close(rating_id, "sup-a", closure, eight_days_ago)
    before = stored(store, rating_id)
    with session(base, "emp-e2") as e2:
        late = e2(f"/api/v1/reviews/{rating_id}/appeal", {"text": "too late?"})
    assert late.status_code == 409
    assert late.json()["detail"].startswith("the 7 days to appeal ended on ")
    assert stored(store, rating_id) == before


def test_a_review_that_does_not_hold_the_employee_to_account_cannot_be_appealed(web: tuple[str, Store]) -> None:
    base, store = web
    rating_id = negatives_of(store, "E3")[0]
    with session(base, "sup-a") as sup_a:
        closed = sup_a(
            f"/api/v1/reviews/{rating_id}", {"cause": "system_outage", "action": "no_action", "note": "down"}
        )
    assert closed.status_code == 200 and closed.json()["review"]["attributable"] is False
    with session(base, "emp-e3") as e3:
        refused = e3(f"/api/v1/reviews/{rating_id}/appeal", {"text": "why"})
    assert refused.status_code == 409 and "does not hold you to account" in refused.json()["detail"]


def test_a_site_chooses_which_causes_are_held_against_the_employee_by_default(web: tuple[str, Store]) -> None:
    base, store = web
    rating_id = negatives_of(store, "B7")[0]
    sites = {"id": "site-b", "name_ar": "الفرع", "name_en": "Branch", "not_attributable_causes": ["waiting_time"]}
    apply_sites(store, SitesFile.model_validate({"sites": [sites]}), format_time(datetime.now(UTC)))
    with sign_in(base, "sup-b") as client:
        page = client.get(f"/reviews/{rating_id}").text
        assert 'data-attributable="no"' in page.split('value="waiting_time"')[1].split(">")[0]
        csrf = csrf_of(page)
        closing = {"cause": "waiting_time", "action": "process_fix", "note": "A counter was closed"}
        closed = client.post(f"/api/v1/reviews/{rating_id}", json=closing, headers={"X-CSRF-Token": csrf})
    assert closed.status_code == 200
    assert (closed.json()["review"]["attributable"], closed.json()["review"]["attributable_from"]) == (False, "cause")
    with pytest.raises(ValidationError, match="not_attributable_causes names 'traffic'"):
        SitesFile.model_validate({"sites": [{**sites, "not_attributable_causes": ["traffic"]}]})
