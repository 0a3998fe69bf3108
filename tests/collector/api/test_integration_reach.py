"""The integration role over real HTTP: a phone system's token posts ratings for its sites, and nothing else.

The route-table test walks every route the app has, so a route added later is closed to
an integration token unless it is put on collector.access.INTEGRATION_ROUTES on purpose.
People never hold the role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from collector.access import EMPLOYEE_ROUTES, INTEGRATION_ROUTES
from collector.people.auth import Accounts, AuthError
from collector.store import Store
from tests.collector.api.test_employee_reach import PUBLIC, route_table
from tests.support.two_sites_today import seed

NOW = "2026-11-28T00:00:00.000Z"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("integration") / "taqyeem.db")
    seed(store)
    yield live_api(store), store
    store.close()


@pytest.fixture(scope="module")
def ivr(web: tuple[str, Store]) -> Iterator[httpx.Client]:
    base, store = web
    token = store.accounts.create_token("ivr", "integration", ["site-a"], NOW)
    with httpx.Client(base_url=base, timeout=10, headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


def test_the_allow_list_names_only_routes_that_exist_and_none_an_employee_reaches(web: tuple[str, Store]) -> None:
    assert set(route_table(web[1])) >= INTEGRATION_ROUTES
    assert not INTEGRATION_ROUTES & EMPLOYEE_ROUTES


def test_an_integration_token_is_refused_every_route_not_on_its_allow_list(
    web: tuple[str, Store], ivr: httpx.Client
) -> None:
    _, store = web
    rating_id = store.reviews.all()[0]["rating"]["id"]
    values = {"rating_id": rating_id, "name": "sup-a", "code": "en", "employee_id": "E1"}
    reached = {}
    for method, path in route_table(store):
        if (method, path) in PUBLIC or (method, path) in INTEGRATION_ROUTES:
            continue
        url = path.format(**values)
        body = {"cause": "other", "action": "coaching", "note": "n", "response": "r", "name_ar": "x", "name_en": "x"}
        response = ivr.request(method, url, json=body if method != "GET" else None, follow_redirects=False)
        reached[(method, path)] = response.status_code
        if path.startswith("/api/"):
            assert response.status_code == 403, (method, path, response.text)
            assert "integration token only posts ratings" in response.json()["detail"]
    # The pages take no token at all: to them an integration is nobody, sent to sign in.
    pages = {route: code for route, code in reached.items() if not route[1].startswith("/api/")}
    assert pages and set(pages.values()) <= {303, 403}, pages
    assert len(reached) > 30
    item = store.reviews.get(rating_id)
    assert item is not None and item["review"]["status"] == "open"


def test_an_integration_token_posts_for_its_sites_only(ivr: httpx.Client) -> None:
    body = {
        "v": 1,
        "id": "0193f0a2-7d3b-7c6a-9a43-2f1b7f3c9e10",
        "site_id": "site-b",
        "score": 4,
        "created_at": "2026-11-28T09:15:02.123Z",
    }
    assert ivr.post("/api/v1/ratings", json=body).status_code == 403
    assert ivr.post("/api/v1/ratings", json={**body, "site_id": "site-a"}).status_code == 201


def test_a_person_never_has_the_integration_role(web: tuple[str, Store]) -> None:
    _, store = web
    with pytest.raises(AuthError, match="role must be one of"):
        Accounts(store).add_user("phone-bot", "integration", ["site-a"], "a-long-enough-password")
    with pytest.raises(Exception, match="CHECK"):
        store.accounts.add_user("phone-bot", "x", "integration", ["site-a"], "ar", NOW)
