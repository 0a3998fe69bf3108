"""The rating link's page in real headless Chromium at a phone's 390 px, in Arabic and in English.

A visitor rates with the faces (1..5 left to right, as on the kiosk, in both languages),
picks a reason after a negative, answers the survey, writes a comment with markup in it
(shown escaped on the thank-you page), and is refused (410) on reuse and after expiry.

Regenerate docs/screenshots/web-link-{ar,en}.png with:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/pytest tests/collector/web/test_browser_link.py
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
from tests.support.chromium import CHROMIUM
from tests.support.rating_links import make_link, survey_desk

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")
NOW = "2026-11-28T12:00:00.000Z"
PHONE = {"width": 390, "height": 844}
SUPERVISOR_PASSWORD = "supervisor-password-1"
MARKUP = '<script>alert("x")</script> <b>bold</b>'


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    store = Store(tmp_path_factory.mktemp("link-browser") / "taqyeem.db")
    store.devices.register("dev-a1", survey_desk(), NOW)
    Accounts(store).add_user("sup", "supervisor", ["site-a"], SUPERVISOR_PASSWORD)
    try:
        with serve_app(create_app(AppDeps(store))) as base:
            yield store, base
    finally:
        store.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    assert dialogs == [], "the comment's markup ran as a script"
    context.close()


def faces_left_to_right(page: Any) -> list[int]:
    boxes = [(page.locator(f"label[for=face-{s}]").bounding_box()["x"], s) for s in range(1, 6)]
    return [score for _, score in sorted(boxes)]


def fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_visitor_rates_answers_comments_once_at_390_px(served: tuple[Store, str], page: Any, lang: str) -> None:
    store, base = served
    token = make_link(store, f"B-{lang}")
    page.goto(f"{base}/r/{token}")
    assert page.locator("html").get_attribute("dir") == "rtl"  # Arabic first
    if lang == "en":
        page.get_by_role("link", name="English").click()  # one tap away
        assert page.locator("html").get_attribute("dir") == "ltr"
    assert faces_left_to_right(page) == [1, 2, 3, 4, 5]  # never flipped, as on the kiosk
    assert not page.locator("fieldset.reasons").is_visible()
    page.locator("label[for=face-2]").click()
    assert page.locator("fieldset.reasons").is_visible()  # reasons after a negative
    reason = "وقت الانتظار" if lang == "ar" else "Waiting time"
    page.get_by_label(reason).check()
    page.get_by_label("لا" if lang == "ar" else "No", exact=True).check()
    page.get_by_label("مقيم" if lang == "ar" else "A resident", exact=True).check()
    page.locator("textarea[name=comment]").fill(MARKUP)
    assert fits_the_phone(page)
    if os.environ.get("TAQYEEM_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"web-link-{lang}.png"), full_page=True)
    page.get_by_role("button").click()
    thanks = "شكرا لتقييمك" if lang == "ar" else "Thank you for your rating"
    assert page.locator("h1").inner_text() == thanks
    assert page.locator(".your-comment").inner_text() == MARKUP  # shown as text, never run
    assert page.locator(".your-comment b").count() == 0
    rows = [r for r in store.ratings.window("2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z")]
    mine = next(r for r in rows if r["visit_id"] == f"B-{lang}")
    assert (mine["channel"], mine["score"], mine["reasons"], mine["comment"]) == ("link", 2, ["waiting_time"], MARKUP)
    assert mine["answers"] == {"obstacles": "no", "applicant": "resident"}
    page.goto(f"{base}/login")  # the supervisor's review of that negative shows the comment as text
    page.locator("input[name=name]").fill("sup")
    page.locator("input[name=password]").fill(SUPERVISOR_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{base}/**")
    page.goto(f"{base}/reviews/{mine['id']}")
    assert page.locator(".visitor-comment").inner_text() == MARKUP
    assert page.locator(".visitor-comment b").count() == 0
    reused = page.goto(f"{base}/r/{token}")
    assert reused.status == 410
    assert ("استُخدم" if lang == "ar" else "already been used") in page.content() or "used" in page.content()


def test_an_expired_link_is_410_in_the_browser(served: tuple[Store, str], page: Any) -> None:
    store, base = served
    token = make_link(store, "B-old", hours=-1)
    response = page.goto(f"{base}/r/{token}?lang=en")
    assert response.status == 410
    assert "expired" in page.locator("h1").inner_text()
