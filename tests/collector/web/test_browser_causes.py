"""The Why page (/reports/causes) as a supervisor uses it, in real headless Chromium, in Arabic and English.

Reports in the menu, then the Why link; the period form picks the span (a custom span, then a
Hijri month), Show, and the page shows the reasons ranked with the tested rise said in words,
the causes, each action's effect with n, the employees' rule, and the downloads; a span over
ten years comes back as a sentence on the page. Regenerate docs/screenshots/web-causes-{ar,en}.png with:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/pytest tests/collector/web/test_browser_causes.py
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.people.auth import Accounts
from collector.store import Store
from tests.collector.conftest import serve_app
from tests.collector.web.test_browser import sign_in_page
from tests.support.chromium import CHROMIUM
from tests.support.reasons_and_causes import seed_reasons_and_causes
from tests.support.two_sites_today import PASSWORDS

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get chromium)")

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
WHY = {"ar": "الأسباب: لماذا كانت التقييمات سلبية وهل نفعت الإجراءات",
       "en": "Why: the reasons behind the negatives, and whether the actions worked"}  # fmt: skip
SHOW = {"ar": "عرض", "en": "Show"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = Store(tmp_path_factory.mktemp("why") / "taqyeem.db")
    seed_reasons_and_causes(store)
    accounts = Accounts(store)
    accounts.add_user("admin", "admin", [], PASSWORDS["admin"])
    accounts.add_user("sup-a", "supervisor", ["site-a"], PASSWORDS["sup-a"])
    with serve_app(create_app(AppDeps(store))) as url:
        yield url
    store.close()


def _show(page: Any, lang: str) -> None:
    with page.expect_navigation() as answer:
        page.get_by_role("button", name=SHOW[lang], exact=True).click()
    assert answer.value.status == 200 and answer.value.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(("user", "lang"), [("sup-a", "ar"), ("admin", "en")], ids=["ar", "en"])
def test_a_supervisor_picks_a_span_on_the_why_page_and_reads_the_reasons_and_the_actions_effect(
    browser: Any, base: str, user: str, lang: str
) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    try:
        sign_in_page(page, base, user, PASSWORDS[user], lang)
        page.wait_for_url(re.compile(r".*/today$"))
        page.click('nav a[href="/reports"]')
        page.get_by_role("link", name=WHY[lang], exact=True).click()
        page.wait_for_url(re.compile(r".*/reports/causes$"))
        page.select_option('select[name="kind"]', "custom")
        page.fill('input[name="from"]', "2025-03-01")
        page.fill('input[name="to"]', "2025-03-28")
        if user == "admin":
            page.select_option('select[name="site_id"]', "site-a")
        _show(page, lang)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("#pick-error").count() == 0
        assert page.locator("#w-negatives").inner_text() == "104"
        rude = page.locator('#w-reasons tr[data-code="rude"]')
        assert "rising" in (rude.get_attribute("class") or "")
        rise = "ارتفاع دال إحصائيًا" if lang == "ar" else "Significant rise"
        assert rise in rude.inner_text() and "p < 0.0001" in rude.inner_text()
        assert page.locator('#w-reasons tr[data-code="waiting_time"].rising').count() == 0
        note = page.locator("#w-test-note").inner_text()
        assert ("اختبار z" if lang == "ar" else "two-proportion z-test") in note and "0.05" in note
        assert page.locator("#w-effects tr[data-verdict]").count() == 3
        too_few = "التقييمات أقل من أن يُحكم" if lang == "ar" else "Too few ratings to tell"
        assert too_few in page.locator('#w-effects tr[data-verdict="too_few"]').inner_text()
        assert "n = " in page.locator("#w-effects tr[data-verdict]").first.inner_text()
        assert page.locator("#w-by-employee tr[data-employee]").count() == 2  # E3 held back
        assert page.locator("#w-causes tr[data-code]").count() == 3
        assert page.locator("#w-themes").is_visible()
        assert page.locator(".downloads a.csv").count() == 18
        if os.environ.get("TAQYEEM_SCREENSHOTS"):
            page.screenshot(path=str(SCREENSHOTS / f"web-causes-{lang}.png"), full_page=True)

        page.select_option('select[name="kind"]', "hijri_month")
        page.fill('input[name="hijri_year"]', "1446")
        page.select_option('select[name="hijri_month"]', "9")
        _show(page, lang)
        assert page.locator(".dates bdi").first.inner_text() == "2025-03-01 – 2025-03-29"

        page.select_option('select[name="kind"]', "custom")
        page.fill('input[name="from"]', "2013-01-01")
        page.fill('input[name="to"]', "2025-03-01")
        _show(page, lang)
        message = page.locator("#pick-error").inner_text()
        assert ("عشر سنوات" if lang == "ar" else "ten years") in message, message
    finally:
        context.close()
