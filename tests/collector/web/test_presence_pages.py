"""The sign-in log page and the review page's word on presence at the tap, in both languages, over real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from collector.store import Store
from tests.collector.api.test_presence_api import seed_presence
from tests.support.html_tree import parse
from tests.support.web_session import sign_in


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, dict[str, Any]]]:
    store = Store(tmp_path_factory.mktemp("presence-pages") / "taqyeem.db")
    found = seed_presence(store)
    yield live_api(store), found
    store.close()


def review_of(found: dict[str, Any], device_id: str, index: int = 0) -> str:
    return [rid for key, rid in sorted(found["negatives"].items()) if key.startswith(device_id + "@")][index]


def test_the_review_page_says_since_when_the_rated_employee_was_signed_in(web) -> None:
    base, found = web
    with sign_in(base, "sup-a") as client:  # Arabic, right to left
        page = client.get(f"/reviews/{review_of(found, 'dev-a1')}").text
        assert 'dir="rtl"' in page and "عند التقييم" in page
        assert "كان مسجّل الدخول منذ \u206809:00\u2069" in page
        client.get("/lang/en")
        page = client.get(f"/reviews/{review_of(found, 'dev-a1')}").text
        assert 'class="presence signed_in"' in page and "signed in since \u206809:00\u2069" in page
        later = client.get(f"/reviews/{review_of(found, 'dev-a1', 1)}").text
        assert "not signed in at the tap (the rating names \u2068unknown employee (E2)\u2069)" in later


def test_the_review_page_says_when_the_desk_never_sent_a_sign_in(web) -> None:
    base, found = web
    with sign_in(base, "sup-b") as client:  # English by the account's choice
        page = client.get(f"/reviews/{review_of(found, 'dev-b1')}").text
    assert 'class="presence no_record"' in page and "no sign-in recorded for this desk" in page


def test_the_sign_in_log_page_lists_the_readers_sites_in_both_languages(web) -> None:
    base, _ = web
    with sign_in(base, "viewer-a") as client:
        page = client.get("/presence").text
        assert 'href="/presence" aria-current="page"' in page
        assert page.count('<tr class="sign_in">') == 2 and page.count('<tr class="sign_out">') == 1
        assert "سجل الحضور" in page and "برمزه السري" in page
        only = client.get("/presence", params={"device_id": "dev-a1", "employee_id": "E2"}).text
        devices = [c.text() for c in parse(only).find_all("code") if c.text().startswith("dev-")]
        assert devices == ["dev-a1", "dev-a1"]  # the two rows of dev-a1 and E2, no other tablet
    with sign_in(base, "sup-b") as client:
        page = client.get("/presence").text
        assert "Sign-in log" in page and page.count('<tr class="sign_') == 0 and "Nothing yet" in page
        assert client.get("/presence", params={"site_id": "site-a"}).status_code == 403
