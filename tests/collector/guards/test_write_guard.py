"""No HTTP write answered as kept once the database file is gone (issue 20 point 3; collector/guards/write_guard.py).

The hostile run moved the collector's file away: /healthz said 503 and MQTT stopped
acking, yet POST /api/v1/ratings answered 201 "stored" and POST /r/{token} 201, into a
file no longer at its path. Here the app is served by uvicorn on a real SQLite file,
which is then deleted, moved away, or replaced by another file; every write route of
the app's route table, sent a request that would otherwise succeed, answers 503 and
never says it stored anything, and the moved file gains nothing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from collector.access import UNSAFE_METHODS
from collector.guards.write_guard import WriteGuard
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.people.auth import Accounts
from collector.reviews.rules import closure_from
from collector.store import Store
from collector.visits.links import token_hash
from shared.clock import now_text, uuid7
from tests.collector.api.test_employee_reach import route_table
from tests.collector.conftest import serve_app, serve_collector
from tests.support.rating_links import make_link
from tests.support.two_sites_today import PASSWORDS, desk_config, make_rating, seed
from tests.support.web_session import csrf_of, sign_in

EMPLOYEE = ("guard-emp", "guard-emp-password", "E2")


def _break(db: Path, how: str) -> Path | None:
    """Delete, move or replace the database file under the running app; the moved file's new path, if any."""
    if how == "deleted":
        db.unlink()
        return None
    moved = db.with_name("moved-away.db")
    os.rename(db, moved)
    if how == "replaced":
        shutil.copy(moved, db)  # the same content, another file: writes to the old one would be lost
    return moved


def _hearing_states(store: Store) -> dict[str, str]:
    """Eight of E2's negatives, each where one review write succeeds: a formal warning proposed by another
    supervisor (to approve), a closed review held against E2 (to appeal), an appealed one (to decide), an open
    one (to assign).
    """
    now = datetime.now(UTC)
    store.devices.register("dev-guard", desk_config("site-a", "desk-05"), now_text())
    ratings = [make_rating("dev-guard", i + 1, 1, now - timedelta(minutes=10 - i), employee_id="E2") for i in range(8)]
    ids = store_batch(store, Batch(ratings=ratings), now_text()).new_rating_ids
    names = [
        "api_approve",
        "web_approve",
        "api_appeal",
        "me_appeal",
        "api_decide",
        "web_decide",
        "api_assign",
        "web_assign",
    ]
    states = dict(zip(names, ids, strict=True))
    warning = closure_from("staff_conduct", "formal_warning", "raised his voice").as_dict()
    held = closure_from("staff_conduct", "coaching", "spoke about courtesy").as_dict()
    for name in names[:2]:
        store.hearings.propose(states[name], "sup-a", warning, now_text())
    for name in names[2:6]:
        store.reviews.close(states[name], "sup-a", held, now_text())
    for name in names[4:6]:
        store.hearings.appeal(states[name], EMPLOYEE[0], EMPLOYEE[2], "the queue system was down", now_text())
    return states


class Writer:
    """Signed-in clients and the ids each write route needs, made while the file was in place."""

    def __init__(self, base: str, store: Store, stack: ExitStack) -> None:
        self.admin = stack.enter_context(sign_in(base, "admin", follow_redirects=False))
        self.employee = stack.enter_context(sign_in(base, EMPLOYEE[0], EMPLOYEE[1], follow_redirects=False))
        self.stranger = stack.enter_context(httpx.Client(base_url=base, timeout=10))
        self.admin_csrf = csrf_of(self.admin.get("/users").text)
        self.employee_csrf = csrf_of(self.employee.get("/me").text)
        self.login_csrf = csrf_of(self.stranger.get("/login").text)
        self.integration = store.accounts.create_token("guard-ivr", "integration", ["site-a"], now_text())
        self.review = next(i["rating"]["id"] for i in store.reviews.all() if i["rating"]["employee_id"] == "E2")
        self.other_review = next(i["rating"]["id"] for i in store.reviews.all() if i["rating"]["employee_id"] != "E2")
        store.callbacks.add([(self.review, "+966512345678")], "2026-12-08T06:00:00.000Z")  # its outcome is a write
        self.link = make_link(store, "V-guard")
        self.rating_id = str(uuid7())
        self.hearing = _hearing_states(store)

    def requests(self) -> dict[tuple[str, str], Callable[[], httpx.Response]]:
        """Each write route with a request that succeeds while the file is in place."""
        bearer = {"Authorization": f"Bearer {self.integration}"}
        admin_form = {"csrf": self.admin_csrf}
        closing = {"cause": "waiting_time", "action": "process_fix", "note": "a second desk opens"}
        rating = {
            "v": 1,
            "id": self.rating_id,
            "site_id": "site-a",
            "score": 1,
            "reasons": ["waiting_time"],
            "created_at": now_text(),
            "channel": "call",
        }
        employee = {"name_ar": "نورة", "name_en": "Noura", "site_id": "site-c", "active": False}
        review, admin, stranger = self.review, self.admin, self.stranger
        return {
            ("POST", "/api/v1/ratings"): lambda: stranger.post("/api/v1/ratings", json=rating, headers=bearer),
            ("POST", "/api/v1/visits"): lambda: stranger.post(
                "/api/v1/visits", json={"visit_id": "A-1", "site_id": "site-a", "channel": "call"}, headers=bearer
            ),
            ("POST", "/r/{token}"): lambda: stranger.post(f"/r/{self.link}", json={"score": 2}),
            ("POST", "/api/v1/enrol"): lambda: stranger.post("/api/v1/enrol", json={"code": "7KQ2-M9XD-4HPA"}),
            ("POST", "/api/v1/reviews/{rating_id}"): lambda: admin.post(
                f"/api/v1/reviews/{review}", json=closing, headers={"X-CSRF-Token": self.admin_csrf}
            ),
            ("POST", "/api/v1/reviews/{rating_id}/response"): lambda: admin.post(
                f"/api/v1/reviews/{review}/response", json={"response": "r"}, headers={"X-CSRF-Token": self.admin_csrf}
            ),
            ("POST", "/api/v1/reviews/{rating_id}/callback"): lambda: admin.post(
                f"/api/v1/reviews/{review}/callback",
                json={"outcome": "reached"},
                headers={"X-CSRF-Token": self.admin_csrf},
            ),
            ("PUT", "/api/v1/employees/{employee_id}"): lambda: admin.put(
                "/api/v1/employees/E9", json=employee, headers={"X-CSRF-Token": self.admin_csrf}
            ),
            ("PUT", "/api/v1/employees/{employee_id}/pin"): lambda: admin.put(
                "/api/v1/employees/E2/pin", json={"pin": "2580"}, headers={"X-CSRF-Token": self.admin_csrf}
            ),
            ("POST", "/reviews/{rating_id}/close"): lambda: admin.post(
                f"/reviews/{self.other_review}/close", data={**admin_form, **closing}
            ),
            ("POST", "/reviews/{rating_id}/response"): lambda: admin.post(
                f"/reviews/{review}/response", data={**admin_form, "response": "r"}
            ),
            ("POST", "/reviews/{rating_id}/callback"): lambda: admin.post(
                f"/reviews/{review}/callback", data={**admin_form, "outcome": "reached"}
            ),
            ("POST", "/users"): lambda: admin.post(
                "/users", data={**admin_form, "name": "guard-new", "role": "viewer", "sites": "site-a"}
            ),
            ("POST", "/users/{name}/password"): lambda: admin.post("/users/sup-b/password", data=admin_form),
            ("POST", "/users/{name}/disable"): lambda: admin.post("/users/sup-b/disable", data=admin_form),
            ("POST", "/users/{name}/enable"): lambda: admin.post("/users/viewer-a/enable", data=admin_form),
            ("POST", "/me/reviews/{rating_id}/response"): lambda: self.employee.post(
                f"/me/reviews/{review}/response", data={"csrf": self.employee_csrf, "response": "r"}
            ),
            ("POST", "/api/v1/reviews/{rating_id}/approve"): lambda: admin.post(
                f"/api/v1/reviews/{self.hearing['api_approve']}/approve", headers={"X-CSRF-Token": self.admin_csrf}
            ),
            ("POST", "/reviews/{rating_id}/approve"): lambda: admin.post(
                f"/reviews/{self.hearing['web_approve']}/approve", data=admin_form
            ),
            ("POST", "/api/v1/reviews/{rating_id}/appeal"): lambda: self.employee.post(
                f"/api/v1/reviews/{self.hearing['api_appeal']}/appeal",
                json={"text": "the queue system was down"},
                headers={"X-CSRF-Token": self.employee_csrf},
            ),
            ("POST", "/me/reviews/{rating_id}/appeal"): lambda: self.employee.post(
                f"/me/reviews/{self.hearing['me_appeal']}/appeal", data={"csrf": self.employee_csrf, "text": "down"}
            ),
            ("POST", "/api/v1/reviews/{rating_id}/appeal/decision"): lambda: admin.post(
                f"/api/v1/reviews/{self.hearing['api_decide']}/appeal/decision",
                json={"upheld": True, "note": "outage confirmed"},
                headers={"X-CSRF-Token": self.admin_csrf},
            ),
            ("POST", "/reviews/{rating_id}/appeal/decision"): lambda: admin.post(
                f"/reviews/{self.hearing['web_decide']}/appeal/decision",
                data={**admin_form, "upheld": "no", "note": "the wait was the desk's"},
            ),
            ("POST", "/api/v1/reviews/{rating_id}/assign"): lambda: admin.post(
                f"/api/v1/reviews/{self.hearing['api_assign']}/assign",
                json={"owner": "sup-a"},
                headers={"X-CSRF-Token": self.admin_csrf},
            ),
            ("POST", "/reviews/{rating_id}/assign"): lambda: admin.post(
                f"/reviews/{self.hearing['web_assign']}/assign", data={**admin_form, "owner": "sup-a"}
            ),
            ("POST", "/reviews/away"): lambda: admin.post("/reviews/away", data={**admin_form, "away": "no"}),
            ("POST", "/me/pin"): lambda: self.employee.post(
                "/me/pin", data={"csrf": self.employee_csrf, "pin": "2580", "pin_again": "2580"}
            ),
            ("POST", "/login"): lambda: stranger.post(
                "/login", data={"name": "sup-a", "password": PASSWORDS["sup-a"], "csrf": self.login_csrf}
            ),
            ("POST", "/logout"): lambda: admin.post("/logout", data=admin_form),
        }


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Store, Writer]]:
    db = tmp_path / "taqyeem.db"
    store = Store(db)
    seed(store)
    Accounts(store).add_user(EMPLOYEE[0], "employee", ["site-a"], EMPLOYEE[1], employee_id=EMPLOYEE[2])
    with store.transaction() as conn:
        conn.table("sites").insert({"site_id": "site-c", "name_ar": "موقع", "name_en": "C", "updated_at": now_text()})
    # E2 (the employee account's staff number) at site-c, which has no desks: a new PIN needs no broker.
    row = {"employee_id": "E2", "name_ar": "خالد", "name_en": "Khalid", "site_id": "site-c", "section_id": None}
    store.employees.save([{**row, "active": True}], "test", now_text())
    with ExitStack() as stack:
        base = stack.enter_context(serve_collector(store))
        yield db, store, Writer(base, store, stack)
    store.close()


def test_the_table_below_holds_every_write_route(served: tuple[Path, Store, Writer]) -> None:
    _, store, writer = served
    writes = {(m, p) for m, p in route_table(store) if m in UNSAFE_METHODS}
    assert writes == set(writer.requests())


@pytest.mark.parametrize("how", ["deleted", "moved", "replaced"])
def test_every_write_route_answers_503_once_the_file_is_gone(served: tuple[Path, Store, Writer], how: str) -> None:
    db, store, writer = served
    requests = writer.requests()
    ratings_before = store.ratings.by_ids([writer.rating_id])
    moved = _break(db, how)
    answers: dict[tuple[str, str], Any] = {}
    for route, send in requests.items():
        response = send()
        answers[route] = response.status_code
        assert "stored" not in response.text.lower(), (route, response.text)
        if response.status_code == 503:
            assert "Nothing was kept" in response.json()["detail"]
    assert {route: code for route, code in answers.items() if code != 503} == {}
    assert writer.stranger.get("/healthz").status_code == 503
    if moved is not None:  # nothing went into the file that was moved away (the app's store still has it open)
        assert ratings_before == store.ratings.by_ids([writer.rating_id]) == []
        assert store.visits.link(token_hash(writer.link))["used_at"] is None  # type: ignore[index]


def test_with_the_file_in_place_the_same_requests_are_kept(served: tuple[Path, Store, Writer]) -> None:
    """The control: the table's requests succeed (2xx or a page's redirect) while nothing is wrong."""
    _, _, writer = served
    requests = writer.requests()
    answers = {route: requests[route]().status_code for route in requests if route[1] != "/logout"}
    refused = {route: code for route, code in answers.items() if code >= 400}
    assert refused == {("POST", "/api/v1/enrol"): 404}, refused  # that code was never issued


def test_a_write_whose_file_goes_away_while_it_runs_is_not_answered_as_kept(tmp_path: Path) -> None:
    """The second check, as ingest's after its commit: the route commits, then the file is moved; 503."""
    db = tmp_path / "taqyeem.db"
    store = Store(db)
    app = FastAPI()

    @app.post("/write")
    def write() -> JSONResponse:
        store.probe_write()  # a real commit, to the file still at its path
        os.rename(db, tmp_path / "moved-away.db")
        return JSONResponse({"stored": True}, status_code=201)

    app.add_middleware(WriteGuard, store=store)
    try:
        with serve_app(app) as base:
            response = httpx.post(base + "/write", timeout=10)
    finally:
        store.close()
    assert response.status_code == 503
    assert "stored" not in response.text and "was deleted or moved away" in response.json()["detail"]
