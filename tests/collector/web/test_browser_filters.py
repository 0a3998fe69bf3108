"""Every page's filter form pressed as it stands, in real headless Chromium: "All sites", an emptied
date and an empty device box are "not given" (collector/web/query_values.py), so Show answers the
page, never FastAPI's JSON 422 (found beside issue 19 point 1: the Sign-in log's Show always did)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.store import Store
from tests.collector.api.test_presence_api import seed_presence
from tests.collector.conftest import serve_app
from tests.collector.web.test_browser import sign_in_page
from tests.support.chromium import CHROMIUM
from tests.support.two_sites_today import PASSWORDS

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get chromium)")

SHOW = {"ar": "عرض", "en": "Show"}
PAGES = {  # the page, and whether its date box may be emptied (the daily report's is required)
    "/reports": False,
    "/reviews": True,
    "/presence": True,
    "/employees": False,
}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_show_with_all_sites_and_empty_boxes_answers_the_page(lang: str, browser: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / "filters.db")
    seed_presence(store)  # two sites: the admin's forms offer "All sites"
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    try:
        with serve_app(create_app(AppDeps(store))) as base:
            sign_in_page(page, base, "admin", PASSWORDS["admin"], lang)
            page.wait_for_url(re.compile(r".*/today$"))
            for path, empty_date in PAGES.items():
                page.click(f'nav a[href="{path}"]')
                page.wait_for_url(re.compile(rf".*{path}$"))
                form = page.locator("form.filters")
                assert form.locator('select[name="site_id"]').input_value() == ""  # "All sites"
                if empty_date:
                    form.locator('input[name="date"]').fill("")
                with page.expect_navigation() as answer:
                    form.get_by_role("button", name=SHOW[lang], exact=True).click()
                response = answer.value
                assert response.status == 200, f"{path}: {response.status} {response.text()[:200]}"
                assert response.headers["content-type"].startswith("text/html"), path
                assert page.locator("html").get_attribute("lang") == lang
    finally:
        context.close()
        store.close()
