"""The employee role over real HTTP: their own ratings and reviews, and nothing of anyone else's.

The route-table test walks every route the app has, so a route added later is closed
to an employee's session unless it is put on collector.access.EMPLOYEE_ROUTES on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from starlette.routing import Mount

from collector.access import EMPLOYEE_ROUTES
from collector.app import create_app
from collector.app_deps import AppDeps
from collector.people.auth import Accounts
from collector.store import Store
from tests.support.two_sites_today import seed
from tests.support.web_session import csrf_of, sign_in

# Reached without signing in (or to sign in and out): the same for an employee as for anyone.
PUBLIC = {
    ("GET", "/"),
    ("GET", "/healthz"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/start.js"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/lang/{code}"),
    ("GET", "/favicon.ico"),
    ("GET", "/fonts/arabic.ttf"),
    ("GET", "/r/{token}"),  # the rating link page: the token is the key, no sign-in
    ("POST", "/r/{token}"),
    ("GET", "/api/v1/releases/{version}/download"),  # a tablet's download: the link's token is the key
    ("POST", "/api/v1/enrol"),  # a new tablet's one-time enrolment code: the code is the key, no sign-in
}
PUBLIC_MOUNTS = {"/static", "/docs-assets"}
EMPLOYEE = ("emp-e2", "emp-e2-password", "E2")  # E2 served at site-a's desk 01; E3 is a colleague there


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("employee") / "taqyeem.db")
    seed(store)
    Accounts(store).add_user(EMPLOYEE[0], "employee", ["site-a"], EMPLOYEE[1], employee_id=EMPLOYEE[2])
    Accounts(store).add_user("emp-b7", "employee", [], "emp-b7-password", lang="en", employee_id="B7")
    yield live_api(store), store
    store.close()


@pytest.fixture
def employee(web: tuple[str, Store]) -> Iterator[httpx.Client]:
    with sign_in(web[0], EMPLOYEE[0], EMPLOYEE[1], follow_redirects=False) as client:
        yield client


def reviews_of(store: Store, employee_id: str) -> list[str]:
    return [i["rating"]["id"] for i in store.reviews.all() if i["rating"]["employee_id"] == employee_id]


def flat_routes(routes: list[Any]) -> Iterator[Any]:
    """Each route with its full path: FastAPI 0.165 keeps an included router as one entry of ``app.routes``."""
    for route in routes:
        if hasattr(route, "effective_candidates"):
            yield from route.effective_candidates()
        else:
            yield route


def route_table(store: Store) -> list[tuple[str, str]]:
    """(method, path) of every route of the app the service serves, mounts aside."""
    table = []
    for route in flat_routes(create_app(AppDeps(store)).routes):
        if isinstance(route, Mount):
            assert route.path in PUBLIC_MOUNTS, f"a new mount {route.path}: is it public?"
            continue
        table += [(method, route.path) for method in sorted(route.methods) if method != "HEAD"]
    assert len(table) > 35, "the walk lost routes: has FastAPI changed how app.routes holds included routers?"
    return table


def ask(client: httpx.Client, method: str, path: str, csrf: str) -> httpx.Response:
    """The request with a valid CSRF token and a plausible body, so only access control can refuse it."""
    if method == "GET":
        return client.get(path)
    if path.startswith("/api/"):
        closing = {"cause": "other", "action": "coaching", "note": "n"}
        body = (
            {"response": "r"} if path.endswith("/response") else {"text": "t"} if path.endswith("/appeal") else closing
        )
        return client.request(method, path, json=body, headers={"X-CSRF-Token": csrf})
    form = {
        "csrf": csrf,
        "cause": "other",
        "action": "coaching",
        "note": "n",
        "response": "r",
        "name": "x-new",
        "text": "t",
    }
    return client.request(method, path, data={**form, "role": "admin"})


def test_the_allow_list_names_only_routes_that_exist(web: tuple[str, Store]) -> None:
    table = set(route_table(web[1]))
    assert table >= EMPLOYEE_ROUTES
    assert table >= PUBLIC


def test_an_employee_is_refused_every_route_not_on_the_allow_list(
    web: tuple[str, Store], employee: httpx.Client
) -> None:
    _, store = web
    colleague_review = reviews_of(store, "E3")[0]
    values = {"rating_id": colleague_review, "name": "sup-a", "code": "en", "employee_id": "E3"}
    csrf = csrf_of(employee.get("/me").text)
    reached = {}
    for method, path in route_table(store):
        if (method, path) in PUBLIC:
            continue
        response = ask(employee, method, path.format(**values), csrf)
        if (method, path) == ("POST", "/me/pin"):  # their own PIN: let in, refused here only for its empty form
            assert response.status_code == 422, response.text
            continue
        if (method, path) in EMPLOYEE_ROUTES and "{rating_id}" not in path:
            assert response.status_code == 200, (method, path)  # their own: checked in the tests below
            continue
        reached[(method, path)] = response.status_code
    assert {route: code for route, code in reached.items() if code not in (403, 404)} == {}
    theirs = {route: code for route, code in reached.items() if route in EMPLOYEE_ROUTES}
    assert set(theirs.values()) == {404} and len(theirs) == 6  # a colleague's review: as if there were none
    # Not one thing changed: the colleague's review, the accounts.
    item = store.reviews.get(colleague_review)
    assert item is not None and item["review"]["status"] == "open" and item["review"]["response"] is None
    assert store.accounts.user(name="x-new") is None
    assert len(reached) > 20


def test_an_employee_reads_only_their_own_ratings_whatever_they_ask(employee: httpx.Client) -> None:
    own = employee.get("/api/v1/ratings").json()["ratings"]
    assert len(own) == 5 and {r["employee_id"] for r in own} == {"E2"}
    assert employee.get("/api/v1/ratings", params={"employee_id": "E2", "negative": True}).json()["ratings"] == [
        r for r in own if r["negative"]
    ]
    for asked in ({"employee_id": "E3"}, {"employee_id": "B7"}):
        refused = employee.get("/api/v1/ratings", params=asked)
        assert refused.status_code == 403 and "only their own" in refused.json()["detail"]
    assert employee.get("/api/v1/ratings", params={"site_id": "site-b"}).json()["ratings"] == []


def test_a_colleagues_review_is_404_exactly_like_one_that_does_not_exist(
    web: tuple[str, Store], employee: httpx.Client
) -> None:
    _, store = web
    own = sorted(reviews_of(store, "E2"))
    listed = employee.get("/api/v1/reviews").json()["reviews"]
    assert sorted(i["rating"]["id"] for i in listed) == own and len(own) == 2
    assert employee.get(f"/api/v1/reviews/{own[0]}").json()["rating"]["employee_id"] == "E2"
    asked_own = employee.get("/api/v1/reviews", params={"employee_id": "E2"}).json()["reviews"]
    assert [i["rating"]["id"] for i in asked_own] == [i["rating"]["id"] for i in listed]  # their own: as without it
    other_site = reviews_of(store, "B7")[0]
    nowhere = "00000000-0000-7000-8000-000000000000"
    answers = [employee.get(f"/api/v1/reviews/{rating_id}") for rating_id in (reviews_of(store, "E3")[0], other_site)]
    answers.append(employee.get(f"/api/v1/reviews/{nowhere}"))
    assert {(a.status_code, a.json()["detail"]) for a in answers} == {(404, "no review for that rating among yours")}


def test_asking_for_a_colleagues_reviews_is_refused_as_on_ratings_never_quietly_ignored(
    web: tuple[str, Store], employee: httpx.Client
) -> None:
    for path in ("/api/v1/ratings", "/api/v1/reviews"):
        for asked in ("E3", "B7"):
            refused = employee.get(path, params={"employee_id": asked})
            assert (refused.status_code, refused.json()["detail"]) == (
                403,
                "an employee reads only their own ratings and reviews",
            ), path
    with sign_in(web[0], "sup-a") as supervisor:  # a supervisor may filter the queue by employee, within their sites
        listed = supervisor.get("/api/v1/reviews", params={"employee_id": "E3"}).json()["reviews"]
        assert sorted(i["rating"]["id"] for i in listed) == sorted(reviews_of(web[1], "E3"))
        assert supervisor.get("/api/v1/reviews", params={"employee_id": "B7"}).json()["reviews"] == []  # site b's


def test_an_employees_response_is_recorded_as_themselves_and_they_cannot_close(
    web: tuple[str, Store], employee: httpx.Client
) -> None:
    base, store = web
    rating_id = reviews_of(store, "E2")[-1]
    csrf = csrf_of(employee.get("/me").text)
    closing = {"cause": "other", "action": "no_action", "note": "fine"}
    refused = employee.post(f"/api/v1/reviews/{rating_id}", json=closing, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403
    forged = employee.post(f"/api/v1/reviews/{rating_id}/response", json={"response": "x"})
    assert forged.status_code == 403  # a browser session's POST needs its CSRF token
    answer = employee.post(
        f"/api/v1/reviews/{rating_id}/response", json={"response": "الطابور كان طويلًا"}, headers={"X-CSRF-Token": csrf}
    )
    assert answer.status_code == 200, answer.text
    last = answer.json()["history"][-1]
    assert (last["actor"], last["kind"], last["data"]) == (
        "emp-e2",
        "response",
        {"response": "الطابور كان طويلًا", "employee_id": "E2"},
    )
    assert answer.json()["review"]["status"] == "open"  # a response never closes a review
    with sign_in(base, "sup-a") as supervisor:  # the supervisor sees who wrote it
        page = supervisor.get(f"/reviews/{rating_id}").text
    by = page.split('class="response-by">')[1].split("</dd>")[0]
    assert "<bdi>emp-e2</bdi>" in by and '<bdi dir="ltr">E2</bdi>' in by


def test_an_employee_of_another_site_sees_theirs_and_a_token_never_is_an_employee(web: tuple[str, Store]) -> None:
    base, store = web
    with sign_in(base, "emp-b7", "emp-b7-password", follow_redirects=False) as client:
        own = client.get("/api/v1/ratings").json()["ratings"]
        assert {r["employee_id"] for r in own} == {"B7"} and len(own) == 3
        assert client.get("/api/v1/reports/daily").status_code == 403
    with pytest.raises(Exception, match="CHECK"):
        store.accounts.create_token("portal", "employee", [], "2026-11-28T00:00:00.000Z")
