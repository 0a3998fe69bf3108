"""A JSON body holding NaN or Infinity is refused with 422, never a 500, on every API write.

Python's json reads ``NaN``, ``Infinity`` and ``-Infinity``; FastAPI's 422 echoes the input
back, and writing that answer failed on them (``Out of range float values are not JSON
compliant``): ``POST /api/v1/enrol`` answered 500 to ``{"code": NaN}`` without a sign-in. The
walk below takes every POST, PUT, PATCH and DELETE under /api/ of the app's route table, over
real HTTP on a real SQLite file, with an admin token (an integration token where only it
is let in), and sends each value in a field the route reads and in one it does not.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest

from collector.access import UNSAFE_METHODS
from collector.store import Store
from shared.clock import now_text
from tests.collector.api.test_employee_reach import route_table
from tests.support.two_sites_today import seed

NON_FINITE = ("NaN", "Infinity", "-Infinity")
INTEGRATION_ONLY = ("/api/v1/ratings", "/api/v1/visits")


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("nonfinite") / "taqyeem.db")
    seed(store)
    yield live_api(store), store
    store.close()


def _bodies(value: str) -> list[str]:
    """The value where the routes read a field (score, code, pin, active, note) and in a field nobody reads."""
    fields = ("score", "code", "pin", "active", "note", "response", "name_ar", "unknown")
    return [json.dumps({name: "x"}).replace('"x"', value) for name in fields]


def test_nan_or_infinity_in_any_api_write_is_422_not_500(web: tuple[str, Store]) -> None:
    base, store = web
    now = now_text()
    tokens = {
        "admin": store.accounts.create_token("nan-admin", "admin", [], now),
        "integration": store.accounts.create_token("nan-ivr", "integration", ["site-a"], now),
    }
    rating_id = store.reviews.all()[0]["rating"]["id"]
    writes = [(m, p) for m, p in route_table(store) if m in UNSAFE_METHODS and p.startswith("/api/")]
    assert len(writes) >= 7, writes
    answers = {}
    for method, path in writes:
        token = tokens["integration" if path in INTEGRATION_ONLY else "admin"]
        url = base + path.format(rating_id=rating_id, employee_id="E1")
        for value in NON_FINITE:
            for body in _bodies(value):
                response = httpx.request(
                    method,
                    url,
                    content=body,
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                )
                answers[(method, path, body)] = response.status_code
                assert response.headers["content-type"].startswith("application/json"), (path, body)
    assert {key: status for key, status in answers.items() if status >= 500} == {}
    assert answers[("POST", "/api/v1/enrol", '{"code": NaN}')] == 422


def test_the_422_names_the_field_and_shows_the_value_as_text(web: tuple[str, Store]) -> None:
    base, _ = web
    response = httpx.post(
        f"{base}/api/v1/enrol", content=b'{"code": Infinity}', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["loc"], error["input"]) == (["body", "code"], "inf")
