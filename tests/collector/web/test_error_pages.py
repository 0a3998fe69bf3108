"""A wrong address or a page not theirs: browsers get a page in their language, API clients keep JSON."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from collector.store import Store
from tests.support.two_sites_today import seed
from tests.support.web_session import sign_in

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[str]:
    store = Store(tmp_path_factory.mktemp("errors") / "taqyeem.db")
    seed(store)
    yield live_api(store)
    store.close()


def _title(response: httpx.Response) -> str:
    match = re.search(r"<h1>([^<]*)</h1>", response.text)
    assert match, response.text[:200]
    return match.group(1)


def test_a_wrong_address_is_an_arabic_page_by_default_and_english_with_the_cookie(base: str) -> None:
    response = httpx.get(base + "/no-such-page", headers=BROWSER)
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert '<html lang="ar" dir="rtl">' in response.text and _title(response) == "غير موجود"
    assert '<a href="/">رجوع</a>' in response.text  # a way back
    english = httpx.get(base + "/no-such-page", headers=BROWSER, cookies={"taqyeem_lang": "en"})
    assert english.status_code == 404 and _title(english) == "Not found" and 'lang="en"' in english.text


def test_a_signed_in_browser_gets_its_own_language_and_the_menu(base: str) -> None:
    with sign_in(base, "sup-b", headers=BROWSER) as client:  # sup-b reads English
        missing = client.get("/reviews/0190f1e2-0000-7000-8000-000000000000")
        assert missing.status_code == 404 and _title(missing) == "Not found"
        assert '<nav class="nav">' in missing.text and 'href="/reports"' in missing.text
        refused = client.get("/reports", params={"site_id": "site-a"})  # not one of sup-b's sites
        assert refused.status_code == 403 and _title(refused) == "You do not have access to this page"
        assert client.get("/nowhere").status_code == 404
    with sign_in(base, "sup-a", headers=BROWSER) as client:  # Arabic
        refused = client.get("/reports", params={"site_id": "site-b"})
        assert refused.status_code == 403 and _title(refused) == "ليست لديك صلاحية لهذه الصفحة"


def test_api_clients_keep_json_errors(base: str) -> None:
    for headers in ({}, {"Accept": "application/json"}):
        response = httpx.get(base + "/no-such-page", headers=headers)
        assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
    under_api = httpx.get(base + "/api/v1/nowhere", headers=BROWSER)  # a browser too, under /api/
    assert under_api.status_code == 404 and under_api.json() == {"detail": "Not Found"}
    with sign_in(base, "sup-b") as client:
        refused = client.get("/reports", params={"site_id": "site-a"})
        assert refused.status_code == 403 and "detail" in refused.json()
        review = client.get("/api/v1/reviews/0190f1e2-0000-7000-8000-000000000000", headers=BROWSER)
        assert review.status_code == 404 and "detail" in review.json()
