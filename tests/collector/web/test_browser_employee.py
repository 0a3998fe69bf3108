"""An employee's own page in real headless Chromium: they sign in, see their figures and reviews, add a response.

Regenerate its screenshots (docs/screenshots/web-employee-self-*.png) with:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/pytest tests/collector/web/test_browser_employee.py
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.people.auth import Accounts
from collector.people.own_figures import own_figures
from collector.reviews.rules import closure_from
from collector.store import Store
from tests.collector.conftest import serve_app
from tests.collector.web.test_browser import (
    PASSWORD,
    SITE,
    check_layout,
    check_phone,
    seed_history,
    shoot,
    sign_in_page,
)
from tests.support.chromium import CHROMIUM
from tests.support.two_sites_today import CALENDAR

EMPLOYEE_PASSWORD = "employee-password-1"

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")


def seeded(tmp_path: Path) -> tuple[Store, list[str]]:
    """30 days at three desks; E1002 has a closed review and open ones, and an account of her own."""
    store = Store(tmp_path / "collector.db")
    seed_history(store)
    accounts = Accounts(store)
    accounts.add_user("huda", "employee", [SITE], EMPLOYEE_PASSWORD, employee_id="E1002")
    accounts.set_notify("huda", "mailtos://alerts:S3cretPw@mail.example.org?to=huda@example.org")
    accounts.add_user("supervisor", "supervisor", [SITE], PASSWORD)
    own = [i["rating"]["id"] for i in store.reviews.all(employee_id="E1002")]
    assert len(own) >= 3, "the seeded history gives E1002 a few negative ratings"
    closure = closure_from("waiting_time", "process_fix", "A second counter opens at 10:00").as_dict()
    store.reviews.close(own[-1], "supervisor", closure, "2026-11-28T12:00:00.000Z")
    return store, own


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_an_employee_sees_only_their_own_page_and_adds_a_response(lang: str, browser: Any, tmp_path: Path) -> None:
    store, own = seeded(tmp_path)
    figures = own_figures(store, CALENDAR, "E1002")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    try:
        with serve_app(create_app(AppDeps(store))) as base:
            sign_in_page(page, base, "huda", EMPLOYEE_PASSWORD, lang)
            page.wait_for_url(base + "/me")
            assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
            assert page.evaluate("document.fonts.check('16px \"Taqyeem Arabic\"')")
            assert [a.get_attribute("href") for a in page.locator("nav a").all()] == ["/me"]
            assert page.locator("#m-count").inner_text() == str(figures["count"])
            assert page.locator("#m-mean").inner_text() == f"{figures['mean']:.2f}"
            interval = page.locator("#m-interval").inner_text()
            assert interval == f"{figures['low']:.2f} – {figures['high']:.2f}"  # low first, also right to left
            assert page.locator("#my-reviews tbody tr").count() == len(own)
            shown = set(re.findall(r"[\w-]+", page.locator("body").inner_text()))  # whole words of the visible text
            assert not {"E1001", "E1003"} & shown  # no colleague (a substring search would also match ids by chance)
            assert "S3cretPw" not in page.content()
            # The scale is never mirrored: score 1 is the leftmost dot in Arabic as in English.
            dots = page.locator("#my-ratings .scale").first.locator("i")
            xs = [dots.nth(i).bounding_box()["x"] for i in range(5)]
            assert xs == sorted(xs)

            # Her response to an open review, recorded as herself.
            page.locator(f'#my-reviews tr[data-id="{own[0]}"] a.status').click()
            page.wait_for_url(f"{base}/me/reviews/{own[0]}")
            assert page.locator("#close-form").count() == 0
            text = "كان النظام متوقفًا وقت الزيارة" if lang == "ar" else "The system was down during the visit"
            page.fill("textarea[name=response]", text)
            page.click("#response-form button[type=submit]")
            page.wait_for_url(f"{base}/me/reviews/{own[0]}?saved=1")
            last = page.locator(".history li").last
            assert "huda" in last.inner_text() and "E1002" in last.inner_text() and text in last.inner_text()

            page.goto(base + "/me")
            assert page.locator(f'#my-reviews tr[data-id="{own[0]}"] td').nth(5).inner_text() == (
                "أُضيف الرد" if lang == "ar" else "Responded"
            )
            check_layout(page)
            shoot(page, "employee-self", lang)
            page.goto(base + "/today")
            assert page.locator("h1").inner_text() == (
                "ليست لديك صلاحية لهذه الصفحة" if lang == "ar" else "You do not have access to this page"
            )
            assert missing == []
            check_phone(page, base, ["/me", f"/me/reviews/{own[0]}"])
            context.close()
    finally:
        store.close()
