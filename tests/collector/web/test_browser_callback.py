"""The visitor called back, in real headless Chromium: on the rating link's page (a phone's 390 px) a visitor
unhappy with the service asks to be called back and types their number (a wrong one is refused on the page),
then the site's supervisor finds the review in the queue, records the call and closes it as contacted.

Regenerate docs/screenshots/web-link-callback-{ar,en}.png and review-callback-{ar,en}.png with:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/pytest tests/collector/web/test_browser_callback.py
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.people.auth import Accounts
from collector.store import Store
from tests.collector.conftest import serve_app
from tests.collector.web.test_browser import SCREENSHOTS
from tests.support.chromium import CHROMIUM, LAUNCH_ARGS
from tests.support.rating_links import make_link, survey_desk

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")
NOW = "2026-11-28T12:00:00.000Z"
PASSWORDS = {"ar": "supervisor-password-ar", "en": "supervisor-password-en"}
TYPED = {"ar": "٠٥١٢ ٣٤٥ ٦٧٨", "en": "05 1234 5678"}  # Arabic-Indic digits on an Arabic phone keyboard


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    store = Store(tmp_path_factory.mktemp("callback-browser") / "taqyeem.db")
    store.devices.register("dev-a1", survey_desk(), NOW)
    accounts = Accounts(store)
    accounts.add_user("sup-ar", "supervisor", ["site-a"], PASSWORDS["ar"], lang="ar")
    accounts.add_user("sup-en", "supervisor", ["site-a"], PASSWORDS["en"], lang="en")
    try:
        with serve_app(create_app(AppDeps(store))) as base:
            yield store, base
    finally:
        store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def _shot(page: Any, name: str) -> None:
    if os.environ.get("TAQYEEM_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_visitor_asks_to_be_called_back_and_the_supervisor_records_the_call(
    served: tuple[Store, str], browser: Any, lang: str
) -> None:
    store, base = served
    token = make_link(store, f"CB-{lang}")
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto(f"{base}/r/{token}" + ("?lang=en" if lang == "en" else ""))
    assert not page.locator("fieldset.callback").is_visible()
    page.locator("label[for=face-1]").click()
    assert page.locator("fieldset.callback").is_visible()  # offered only after a negative face
    page.get_by_label("نعم، اتصلوا بي" if lang == "ar" else "Yes, call me back").check()
    page.locator("input[name=callback_phone]").fill("0512")
    page.get_by_role("button").click()
    assert page.locator("p.error").is_visible() and "05" in page.locator("p.error").inner_text()
    page.locator("label[for=face-1]").click()  # the form comes back empty: as a person would, fill it again
    page.get_by_label("نعم، اتصلوا بي" if lang == "ar" else "Yes, call me back").check()
    page.locator("input[name=callback_phone]").fill(TYPED[lang])
    why = page.locator("fieldset.callback .why").inner_text()
    assert ("30" in why) and (("يُحذف" in why) if lang == "ar" else ("erase" in why))
    _shot(page, f"web-link-callback-{lang}.png")
    page.get_by_role("button").click()
    assert page.locator("h1").inner_text() == ("شكرا لتقييمك" if lang == "ar" else "Thank you for your rating")
    phone.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.goto(f"{base}/login")
    page.locator("input[name=name]").fill(f"sup-{lang}")
    page.locator("input[name=password]").fill(PASSWORDS[lang])
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{base}/**")
    page.goto(f"{base}/reviews")
    rating = next(r for r in store.ratings.window("2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z")
                  if r["visit_id"] == f"CB-{lang}")  # fmt: skip
    page.locator(f"a[href='/reviews/{rating['id']}']").first.click()
    assert page.locator(".callback-phone a").inner_text() == "+966512345678"
    page.locator("#callback-form select[name=outcome]").select_option("reached")
    page.locator("#callback-form textarea[name=note]").fill("اعتذرنا وسيعود الأحد" if lang == "ar" else "apologised")
    page.locator("#callback-form button").click()
    outcome = page.locator(".callback-outcome").inner_text()
    assert ("تم التواصل" if lang == "ar" else "Reached") in outcome
    page.locator("#close-form select[name=cause]").select_option("waiting_time")
    page.locator("#close-form select[name=action]").select_option("visitor_contacted")
    page.locator("#close-form textarea[name=note]").fill("called back")
    _shot(page, f"review-callback-{lang}.png")
    page.locator("#close-form button").click()
    assert store.reviews.get(rating["id"])["review"]["action"] == "visitor_contacted"  # type: ignore[index]
    desk.close()
