"""The Why page (/reports/causes) over real HTTP: what it cannot read is a sentence on the page, never a 500.

A site the collector does not know, a span over ten years, a site outside the reader's scope, an
employee's session, and rollups built for another timezone; the seeded data is the causes report's
(tests/support/reasons_and_causes.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from collector.people.auth import Accounts
from collector.store import Store
from tests.support.html_tree import parse
from tests.support.reasons_and_causes import seed_reasons_and_causes
from tests.support.two_sites_today import PASSWORDS
from tests.support.web_session import sign_in

MARCH = {"kind": "custom", "from": "2025-03-01", "to": "2025-03-28"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[[Store], str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("why-pages") / "taqyeem.db")
    seed_reasons_and_causes(store)
    accounts = Accounts(store)
    accounts.add_user("admin", "admin", [], PASSWORDS["admin"])
    accounts.add_user("sup-b", "supervisor", ["site-b"], PASSWORDS["sup-b"], lang="en")
    yield live_api(store), store
    store.close()


def _message(html: str, element_id: str) -> str:
    return parse(html).by_id(element_id).text()


def test_the_page_shows_the_span_asked_for_and_its_reasons(served: tuple[str, Store]) -> None:
    with sign_in(served[0], "admin") as client:
        page = client.get("/reports/causes", params={**MARCH, "site_id": "site-a"})
        assert page.status_code == 200
        tree = parse(page.text)
        assert tree.by_id("w-negatives").text() == "104"
        rows = tree.by_id("w-reasons").find_all("tr", **{"data-code": None})
        assert [r.attrs["data-code"] for r in rows] == ["waiting_time", "rude", "documents"]
        assert rows[1].attrs.get("class") == "rising" and "class" not in rows[0].attrs


def test_what_cannot_be_read_is_a_message_on_the_page(served: tuple[str, Store]) -> None:
    with sign_in(served[0], "admin") as client:
        unknown = client.get("/reports/causes", params={**MARCH, "site_id": "site-z"})
        assert unknown.status_code == 200 and "site-z" in _message(unknown.text, "pick-error")
        long = client.get("/reports/causes", params={"kind": "custom", "from": "2013-01-01", "to": "2025-03-01"})
        assert long.status_code == 200 and "عشر سنوات" in _message(long.text, "pick-error")
    with sign_in(served[0], "sup-b") as client:
        assert client.get("/reports/causes", params={**MARCH, "site_id": "site-a"}).status_code == 403


def test_rollups_of_another_zone_are_said_with_the_command_to_run(served: tuple[str, Store]) -> None:
    base, store = served
    with store.transaction() as db:
        db.execute("UPDATE rollup_zone SET zone = 'Europe/London'")
    try:
        with sign_in(base, "sup-b") as client:
            page = client.get("/reports/causes", params=MARCH)
            assert page.status_code == 200
            assert "taqyeem rollups rebuild" in _message(page.text, "rollups-error")
            api = client.get("/api/v1/reports/causes", params={"from": "2025-03-01", "to": "2025-03-28"})
            assert api.status_code == 422 and "rebuild" in api.json()["detail"]
    finally:
        with store.transaction() as db:
            db.execute("UPDATE rollup_zone SET zone = 'Asia/Riyadh'")
