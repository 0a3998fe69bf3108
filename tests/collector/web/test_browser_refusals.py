"""What a supervisor sees when a form cannot be kept, in real headless Chromium (issue 20 points 2 and 3).

The database file is moved away while a review page is open: closing the review answers
the 503 page, Arabic first and right to left, then English, saying nothing was saved, and
the review stays open. A comment over the form's limit (pasted past the page's own limit
by a script, as a hostile client would) answers the 413 page.

Screenshots for a look by eye (not kept in the repo): set TAQYEEM_SCREENSHOTS=DIR.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.store import Store
from tests.collector.conftest import serve_app
from tests.collector.web.test_browser import PASSWORD, SITE, seed_history, sign_in_page
from tests.support.chromium import CHROMIUM

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")


def _shoot(page: Any, name: str) -> None:
    folder = os.environ.get("TAQYEEM_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _open_review(page: Any, base: str, store: Store) -> str:
    from collector.people.auth import Accounts

    Accounts(store).add_user("supervisor", "supervisor", [SITE], PASSWORD)
    rating_id = next(i["rating"]["id"] for i in store.reviews.all(status="open"))
    sign_in_page(page, base, "supervisor", PASSWORD, "ar")
    page.goto(f"{base}/reviews/{rating_id}")
    return str(rating_id)


def test_closing_a_review_after_the_database_file_went_away_shows_that_nothing_was_saved(
    browser: Any, tmp_path: Path
) -> None:
    db = tmp_path / "collector.db"
    store = Store(db)
    seed_history(store)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        with serve_app(create_app(AppDeps(store))) as base:
            rating_id = _open_review(page, base, store)
            page.select_option("select[name=cause]", "waiting_time")
            page.select_option("select[name=action]", "process_fix")
            page.fill("textarea[name=note]", "فتح شباك ثانٍ")
            os.rename(db, tmp_path / "moved-away.db")
            with page.expect_response(lambda r: r.request.method == "POST") as posted:
                page.click("#close-form button[type=submit]")
            assert posted.value.status == 503
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("dir") == "rtl"
            assert page.locator("h1").inner_text().split("\n") == ["لم يُحفظ شيء", "Nothing was saved"]
            paragraphs = page.locator("p.error").all_inner_texts()
            assert paragraphs[0].startswith("لم يُحفظ شيء") and paragraphs[1].startswith("Nothing was kept")
            _shoot(page, "refusal-503")
        item = store.reviews.get(rating_id)  # the store still holds the moved file open
        assert item is not None and item["review"]["status"] == "open"
    finally:
        page.close()
        store.close()


def test_a_form_over_its_limit_shows_the_413_page(browser: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / "collector.db")
    seed_history(store)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        with serve_app(create_app(AppDeps(store))) as base:
            rating_id = _open_review(page, base, store)
            page.select_option("select[name=cause]", "waiting_time")
            page.select_option("select[name=action]", "process_fix")
            page.locator("textarea[name=note]").evaluate(
                "(area, text) => { area.removeAttribute('maxlength'); area.value = text; }", "x" * 70_000
            )
            with page.expect_response(lambda r: r.request.method == "POST") as posted:
                page.click("#close-form button[type=submit]")
            assert posted.value.status == 413
            page.wait_for_load_state()
            assert page.locator("h1").inner_text().split("\n") == ["الطلب كبير جدًا", "Too large"]
            assert "64 KiB" in page.locator("p.error").all_inner_texts()[1]
            _shoot(page, "refusal-413")
        item = store.reviews.get(rating_id)
        assert item is not None and item["review"]["status"] == "open"
    finally:
        page.close()
        store.close()
