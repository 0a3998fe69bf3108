"""The period pages and the printable "Centre in figures" sheet in real headless Chromium, and every
table page at a phone's 390 px: nothing makes the page wider than the screen.

Regenerate the screenshots docs/screenshots/web-figures-{ar,en}.png with:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/pytest tests/collector/web/test_browser_figures.py
"""

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
from tests.collector.web.test_browser import PAGE_OVERFLOW, PHONE, check_layout, shoot, sign_in_page
from tests.support.chromium import CHROMIUM
from tests.support.two_sites_today import PASSWORDS
from tests.support.year_of_ratings import EXPECTED, N, seed_year

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get chromium)")

YEAR = "kind=year&day=2025-06-15"


def shown_percent(page: Any, selector: str) -> float:
    text = page.locator(selector).inner_text()
    match = re.search(r"([\d.]+)%", text)
    assert match, f"{selector}: {text!r}"
    return float(match.group(1))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_figures_sheet_prints_on_one_a4_page_with_the_known_shares(lang: str, browser: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / "year.db")
    seed_year(store)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    try:
        with serve_app(create_app(AppDeps(store))) as base:
            sign_in_page(page, base, "sup-a", PASSWORDS["sup-a"], lang)
            page.wait_for_url(base + "/today")
            page.goto(base + "/reports/period?" + YEAR)
            assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
            assert page.locator("#p-count").inner_text() == str(N)
            check_layout(page)
            page.click("#figures-link")
            page.wait_for_url(re.compile(r".*/reports/figures\?kind=year"))
            assert shown_percent(page, "#f-no-obstacle .value") == pytest.approx(100 * EXPECTED["no_obstacle"], abs=0.1)
            for code, share in EXPECTED["applicants"].items():
                assert shown_percent(page, f'tr[data-code="{code}"]') == pytest.approx(100 * share, abs=0.1)
            for section, share in EXPECTED["halls"].items():
                assert shown_percent(page, f'tr[data-section="{section}"]') == pytest.approx(100 * share, abs=0.1)
            sheet = page.locator("#figures").inner_text()
            assert ("رضا المراجعين" in sheet) == (lang == "ar") and "4.4" in sheet

            page.emulate_media(media="print")  # as printed: no menu, no picker, one A4 page
            assert page.locator("header.top").is_hidden() and page.locator("form.period-form").is_hidden()
            page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 px per inch
            shoot(page, "figures", lang)
            pdf = page.pdf(format="A4", print_background=True)
            assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the sheet takes more than one A4 page"
            page.emulate_media(media="screen")

            page.set_viewport_size(PHONE)
            for path in ("/reports/period?" + YEAR, "/reports/figures?" + YEAR):
                page.goto(base + path)
                assert page.evaluate(PAGE_OVERFLOW) <= 0, f"{path} is wider than a phone"
    finally:
        context.close()
        store.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_at_390_px_no_table_page_is_wider_than_the_phone(lang: str, browser: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / "tables.db")
    seed_presence(store)  # desks, ratings, sign-ins and one account per role
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    widths = {}
    try:
        with serve_app(create_app(AppDeps(store))) as base:
            sign_in_page(page, base, "admin", PASSWORDS["admin"], lang)
            page.wait_for_url(base + "/today")
            for path in ("/devices", "/employees", "/presence", "/users", "/reviews", "/reports/period"):
                page.goto(base + path)
                assert page.locator("table.grid-table").count() >= 1, path
                widths[path] = page.evaluate("document.scrollingElement.scrollWidth")
                assert page.evaluate(PAGE_OVERFLOW) <= 0, f"{path} is {widths[path]} px wide on a 390 px phone"
    finally:
        context.close()
        store.close()
    assert widths == dict.fromkeys(widths, PHONE["width"])
