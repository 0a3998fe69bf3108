"""A fair hearing in real headless Chromium: a formal warning approved by a second supervisor, the employee's
appeal sent from My page, and a third user deciding it on the review page.

Regenerate its screenshots (docs/screenshots/review-history-*.png, review-pending-*.png, me-appeal-*.png) with:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/pytest tests/collector/web/test_browser_hearing.py
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.people.auth import Accounts
from collector.people.own_figures import own_figures
from collector.store import Store
from tests.collector.conftest import serve_app
from tests.collector.web.test_browser import (
    PASSWORD,
    SCREENSHOTS,
    SITE,
    check_layout,
    seed_history,
    sign_in_page,
)
from tests.support.chromium import CHROMIUM, LAUNCH_ARGS
from tests.support.two_sites_today import CALENDAR

EMPLOYEE_PASSWORD = "employee-password-1"

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def shoot(page: Any, name: str, lang: str) -> None:
    if os.environ.get("TAQYEEM_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}.png"), full_page=True)


def seeded(tmp_path: Path) -> tuple[Store, str]:
    """30 days at three desks; E1002 (huda) has open reviews; two supervisors of the site."""
    store = Store(tmp_path / "collector.db")
    seed_history(store)
    accounts = Accounts(store)
    accounts.add_user("huda", "employee", [SITE], EMPLOYEE_PASSWORD, employee_id="E1002")
    accounts.add_user("salem", "supervisor", [SITE], PASSWORD)
    accounts.add_user("mona", "supervisor", [SITE], PASSWORD)
    own = [i["rating"]["id"] for i in store.reviews.all(employee_id="E1002", status="open")]
    assert own, "the seeded history gives E1002 negative ratings"
    return store, own[1]  # yesterday's or older: the newest may be later today than the test's clock


def signed_in(browser: Any, base: str, name: str, password: str, lang: str) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_page(page, base, name, password, lang)
    page.wait_for_load_state()
    return page


def text_of(lang: str, ar: str, en: str) -> str:
    return ar if lang == "ar" else en


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_warning_is_approved_by_another_and_the_employees_appeal_is_decided_by_a_third(
    lang: str, browser: Any, tmp_path: Path
) -> None:
    store, rating_id = seeded(tmp_path)
    count_before = own_figures(store, CALENDAR, "E1002")["count"]
    try:
        with serve_app(create_app(AppDeps(store))) as base:
            # Salem closes with a formal warning: the page says it awaits approval, and offers him no approve button.
            salem = signed_in(browser, base, "salem", PASSWORD, lang)
            salem.goto(f"{base}/reviews/{rating_id}")
            salem.select_option("#close-form select[name=cause]", "staff_conduct")
            salem.select_option("#close-form select[name=action]", "formal_warning")
            salem.fill("#close-form textarea[name=note]", text_of(lang, "رفع صوته على المراجع", "Raised his voice"))
            salem.click("#close-form button[type=submit]")
            salem.wait_for_url(f"{base}/reviews/{rating_id}?saved=pending")
            assert salem.locator("#pending-chip").is_visible()
            assert salem.locator("#approve-form").count() == 0 and salem.locator("#approve-not-yours").is_visible()
            assert salem.locator("#site-default-causes").is_visible()  # the site's default, shown on the form

            # Mona approves on the page; the review closes with Salem as its closer.
            mona = signed_in(browser, base, "mona", PASSWORD, lang)
            mona.goto(f"{base}/reviews/{rating_id}")
            shoot(mona, "review-pending", lang)
            mona.click("#approve-form button[type=submit]")
            mona.wait_for_url(f"{base}/reviews/{rating_id}?saved=1")
            assert "mona" in mona.locator(".approved-by").inner_text()
            assert store.reviews.get(rating_id)["review"]["closed_by"] == "salem"  # type: ignore[index]

            # Huda appeals from My page by submitting its form.
            huda = signed_in(browser, base, "huda", EMPLOYEE_PASSWORD, lang)
            huda.wait_for_url(base + "/me")
            form = huda.locator(f"#appeal-{rating_id}")
            assert form.is_visible() and huda.locator("#answer-before-close").is_visible()
            appeal = text_of(
                lang, "المراجع رفع صوته أولًا، وزميلتي شاهدة", "The visitor shouted first; my colleague saw"
            )
            form.locator("textarea[name=text]").fill(appeal)
            shoot(huda, "me-appeal", lang)
            form.locator("button[type=submit]").click()
            huda.wait_for_url(f"{base}/me?appealed=1#my-reviews")
            assert huda.locator("#appeal-sent").is_visible() and huda.locator(f"#appeal-{rating_id}").count() == 0
            row = huda.locator(f'#my-reviews tr[data-id="{rating_id}"] td.appeal-state')
            assert row.inner_text() == text_of(lang, "بانتظار القرار", "Awaiting a decision")
            check_layout(huda)

            # Salem closed it, so he may not decide; Mona, a third user, upholds it on the review page.
            salem.goto(f"{base}/reviews/{rating_id}")
            assert salem.locator("#decision-form").count() == 0 and salem.locator("#decide-not-yours").is_visible()
            mona.goto(f"{base}/reviews/{rating_id}")
            kinds = [li.locator("b").first.inner_text() for li in mona.locator(".history li").all()]
            assert kinds[-3:] == [
                text_of(lang, "إنذار رسمي مقترح بانتظار الاعتماد", "Formal warning proposed, awaiting approval"),
                text_of(lang, "اعتُمد الإغلاق", "Closing approved"),
                text_of(lang, "تظلّم الموظف", "Employee appealed"),
            ]
            assert appeal in mona.locator("#appeal .appeal-text").inner_text()
            check_layout(mona)
            shoot(mona, "review-history", lang)
            mona.check("#decision-form input[name=upheld][value=yes]")
            mona.fill(
                "#decision-form textarea[name=note]", text_of(lang, "شهادة الزميلة تؤكد الرواية", "A witness confirms")
            )
            mona.click("#decision-form button[type=submit]")
            mona.wait_for_url(f"{base}/reviews/{rating_id}?saved=1#appeal")
            assert mona.locator("#appeal .decided-by").inner_text().startswith("mona")
            decided = mona.locator(".history li").last.locator("b").first.inner_text()
            assert decided == text_of(lang, "البتّ في التظلّم", "Appeal decided")

            # The rating has left her figures, as her page says.
            assert own_figures(store, CALENDAR, "E1002")["count"] == count_before - 1
            huda.goto(base + "/me")
            assert huda.locator("#m-count").inner_text() == str(count_before - 1)
            for page in (salem, mona, huda):
                page.context.close()
    finally:
        store.close()
