"""Every state-changing route signed by a session cookie needs the session's CSRF token (issue 20 point 8).

The guard is the app's own dependency (collector/access.py:session_csrf), so a route cannot
forget it: the walk below takes every POST, PUT, PATCH and DELETE of the app's route table,
sends it with an admin's (or, on /me, an employee's) session cookie, a plausible body and no
token, and wants 403 naming the token. Only the routes on which a cookie grants nothing
(collector.access.SESSIONLESS_ROUTES) answer the same with and without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from collector.access import SESSIONLESS_ROUTES, UNSAFE_METHODS
from collector.people.auth import SESSION_COOKIE, Accounts
from collector.store import Store
from shared.clock import now_text
from tests.collector.api.test_employee_reach import route_table
from tests.support.rating_links import make_link
from tests.support.two_sites_today import seed
from tests.support.web_session import csrf_of, sign_in

EMPLOYEE = ("csrf-emp", "csrf-emp-password", "E2")
# E9 works at site-c, which has no desks: changing her sends no tablet a staff list (no broker needed).
EMPLOYEE_ROW = {"name_ar": "نورة", "name_en": "Noura", "site_id": "site-c", "section_id": None, "active": True}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("csrf") / "taqyeem.db")
    seed(store)
    Accounts(store).add_user(EMPLOYEE[0], "employee", ["site-a"], EMPLOYEE[1], employee_id=EMPLOYEE[2])
    with store.transaction() as db:
        site = {"site_id": "site-c", "name_ar": "موقع", "name_en": "Site C", "updated_at": now_text()}
        db.table("sites").insert(site)
    store.employees.save([{"employee_id": "E9", **EMPLOYEE_ROW}], "test", now_text())
    yield live_api(store), store
    store.close()


def _request(client: httpx.Client, method: str, path: str, store: Store) -> httpx.Response:
    """The route with everything it needs but the token: a JSON body for the API, a form for the pages."""
    if path.startswith("/api/"):
        body: dict[str, Any] = {"cause": "other", "action": "coaching", "note": "n", "response": "r"}
        if "/employees/" in path:
            body = {**EMPLOYEE_ROW, "active": False}
        return client.request(method, path, json=body)
    form = {"cause": "other", "action": "coaching", "note": "n", "response": "r", "name": "x-new", "role": "viewer"}
    return client.request(method, path, data={**form, "sites": "site-a", "pin": "2580", "pin_again": "2580"})


def _values(store: Store) -> dict[str, str]:
    rating_id = next(i["rating"]["id"] for i in store.reviews.all() if i["rating"]["employee_id"] == EMPLOYEE[2])
    return {"rating_id": rating_id, "name": "sup-b", "employee_id": "E9", "token": make_link(store, "V-csrf")}


def test_every_state_changing_route_with_a_session_cookie_and_no_token_is_403(web: tuple[str, Store]) -> None:
    base, store = web
    values = _values(store)
    unsafe = [(m, p) for m, p in route_table(store) if m in UNSAFE_METHODS and (m, p) not in SESSIONLESS_ROUTES]
    assert len(unsafe) >= 14, unsafe
    answers = {}
    with (
        sign_in(base, "admin", follow_redirects=False) as admin,
        sign_in(base, EMPLOYEE[0], EMPLOYEE[1], follow_redirects=False) as employee,
    ):
        for method, path in unsafe:
            client = employee if path.startswith("/me/") else admin
            response = _request(client, method, path.format(**values), store)
            answers[(method, path)] = (response.status_code, "CSRF" in response.text)
    assert {route: answer for route, answer in answers.items() if answer != (403, True)} == {}
    # Nothing changed: the employee is still active, no account was made, sup-b still signs in.
    employee_row = store.employees.get("E9")
    assert employee_row is not None and employee_row["active"]
    assert store.accounts.user(name="x-new") is None
    assert store.accounts.user(name="sup-b")["disabled_at"] is None  # type: ignore[index]


def test_the_token_in_the_header_lets_the_same_put_through(web: tuple[str, Store]) -> None:
    """The hostile run's request (an admin's session deactivating an employee), now with the token: it works."""
    base, _ = web
    with sign_in(base, "admin", follow_redirects=False) as admin:
        csrf = csrf_of(admin.get("/users").text)
        body = {**EMPLOYEE_ROW, "name_en": "Noura A."}
        forged = admin.put("/api/v1/employees/E9", json=body, headers={"X-CSRF-Token": "forged"})
        assert forged.status_code == 403
        put = admin.put("/api/v1/employees/E9", json=body, headers={"X-CSRF-Token": csrf})
        assert put.status_code == 200, put.text
        assert put.json()["name_en"] == "Noura A."


def test_an_api_token_needs_no_csrf_token_even_beside_a_cookie(web: tuple[str, Store]) -> None:
    base, store = web
    token = store.accounts.create_token("csrf-admin", "admin", [], now_text())
    with sign_in(base, "admin", follow_redirects=False) as admin:
        put = admin.put("/api/v1/employees/E9", json=EMPLOYEE_ROW, headers={"Authorization": f"Bearer {token}"})
    assert put.status_code == 200, put.text


@pytest.mark.parametrize("route", sorted(SESSIONLESS_ROUTES))
def test_routes_a_cookie_grants_nothing_on_answer_the_same_with_it(web: tuple[str, Store], route: Any) -> None:
    """The sign-in form (its own token), the rating link and a tablet's enrolment code."""
    base, store = web
    method, path = route
    bodies = {
        "/login": {"data": {"name": "admin", "password": "wrong"}},
        "/r/{token}": {"json": [1]},
        "/api/v1/enrol": {"json": {"code": "AAAA-BBBB-CCCC"}},
    }
    url = path.format(token=make_link(store, f"V-sessionless-{path[1]}"))
    with sign_in(base, "admin", follow_redirects=False) as admin:
        signed = admin.request(method, url, **bodies[path])
        assert admin.cookies.get(SESSION_COOKIE)
    with httpx.Client(base_url=base) as stranger:
        unsigned = stranger.request(method, url, **bodies[path])
    assert signed.status_code == unsigned.status_code != 500
