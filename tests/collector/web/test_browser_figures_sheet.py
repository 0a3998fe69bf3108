"""The "centre in figures" sheet as the ministry would publish it, printed by Chromium to an A4 PDF
(issue 19 point 3): its heading (ministry, centre, issue date, the Gregorian and Hijri span), the
headline's measure, "per working day" over the working days so far, and phone calls and links on
rows of their own; read back from the PDF's text (pdftotext) in both languages.

Regenerate docs/screenshots/figures-sheet-{ar,en}.png (the printed page, by pdftoppm) with:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/pytest tests/collector/web/test_browser_figures_sheet.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.reports.figures import hijri_day
from collector.settings import CollectorSettings
from collector.store import Store
from tests.collector.conftest import serve_app
from tests.collector.web.test_browser import SCREENSHOTS, sign_in_page
from tests.support.chromium import CHROMIUM
from tests.support.figures_sheet_days import MINISTRY, SATISFACTION, SITE, seed_sheet, span
from tests.support.two_sites_today import CALENDAR, PASSWORDS

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get chromium)"),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (apt-get install poppler-utils)"),
]
FIGURES_LINK = {"ar": "المركز بالأرقام (للطباعة)", "en": "The centre in figures (printable)"}
SHOW = {"ar": "عرض", "en": "Show"}


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("figures-sheet")
    store = Store(folder / "taqyeem.db")
    expected = seed_sheet(store, CALENDAR.today())
    ministry = {"ministry_ar": MINISTRY[0], "ministry_en": MINISTRY[1]}
    settings = CollectorSettings(broker="mqtt://127.0.0.1:1", db=folder / "taqyeem.db", sheet=ministry)
    with serve_app(create_app(AppDeps(store, settings=settings))) as base:
        yield base, expected
    store.close()


def pdf_text(pdf: bytes, folder: Path) -> str:
    (folder / "sheet.pdf").write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(folder / "sheet.pdf"), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def keep_png(pdf: bytes, lang: str, folder: Path) -> None:
    """The printed page as the screenshot docs/screenshots/figures-sheet-{lang}.png (pdftoppm, 70 dpi)."""
    if os.environ.get("TAQYEEM_SCREENSHOTS") != "1":
        return
    (folder / "sheet.pdf").write_bytes(pdf)
    out = folder / f"sheet-{lang}"
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(folder / "sheet.pdf"), str(out)], check=True)
    shutil.copyfile(out.with_suffix(".png"), SCREENSHOTS / f"figures-sheet-{lang}.png")


def shown_percent(page: Any, selector: str) -> float:
    match = re.search(r"([\d.]+)%", page.locator(selector).inner_text())
    assert match, selector
    return float(match.group(1))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_printed_sheet_heads_with_ministry_centre_issue_date_and_hijri_span(
    lang: str, sheet: tuple[str, dict[str, Any]], browser: Any, tmp_path: Path
) -> None:
    base, expected = sheet
    english = lang == "en"
    first, last = span(CALENDAR.today())
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    try:
        sign_in_page(page, base, "sup-a", PASSWORDS["sup-a"], lang)
        page.wait_for_url(re.compile(r".*/today$"))
        page.click('nav a[href="/reports"]')
        page.get_by_role("link", name=FIGURES_LINK[lang], exact=True).click()
        page.select_option('select[name="kind"]', "custom")
        page.fill('input[name="from"]', first.isoformat())
        page.fill('input[name="to"]', last.isoformat())
        page.get_by_role("button", name=SHOW[lang], exact=True).click()
        page.wait_for_url(re.compile(r".*kind=custom.*"))

        assert page.locator("#f-ministry").inner_text() == MINISTRY[english]
        assert page.locator("#f-centre").inner_text() == SITE[english]
        issued = page.locator("#f-issued").inner_text()
        assert CALENDAR.today().isoformat() in issued and str(hijri_day(CALENDAR.today(), lang)) in issued
        dates = page.locator("#f-span").inner_text()
        assert f"{first} – {last}" in dates
        assert f"{hijri_day(first, lang)} – {hijri_day(last, lang)}" in dates

        # the headline is the survey's overall-satisfaction question, and the sheet says so
        headline = page.locator("#f-satisfaction")
        assert headline.get_attribute("data-measure") == "survey"
        assert f"{expected['survey_mean']:.1f}/5" in headline.inner_text()
        assert f"n = {expected['survey_n']}" in headline.inner_text()
        assert f"{expected['ratings_mean']:.1f}/5" in page.locator("#f-ratings-mean").inner_text()
        question = SATISFACTION.text_en if english else SATISFACTION.text_ar
        assert question in page.locator("#f-measure").inner_text()

        # per working day: the working days from the span's first day to today, and the sheet says which
        per_day = round(expected["count"] / expected["working_days"], 1)
        per_working_day = "per working day" if english else "في يوم العمل"
        assert f"{per_day} {per_working_day}" in page.locator("#f-ratings").inner_text()
        basis = page.locator("#f-per-day-basis")
        assert basis.get_attribute("data-basis") == "working_days"
        assert str(expected["working_days"]) in basis.inner_text()
        assert ("Sunday to Thursday" if english else "الأحد إلى الخميس") in basis.inner_text()

        # halls, then phone calls and links on their own labelled rows; no hall named "—"
        for section, share in expected["halls"].items():
            assert shown_percent(page, f'#f-halls tr[data-section="{section}"]') == pytest.approx(100 * share, abs=0.1)
        for channel, share in expected["unplaced"].items():
            row = page.locator(f'#f-halls tr[data-unplaced="{channel}"]')
            assert shown_percent(page, f'#f-halls tr[data-unplaced="{channel}"]') == pytest.approx(100 * share, abs=0.1)
            label = {"call": ("مكالمات هاتفية", "Phone calls"), "link": ("روابط التقييم", "Rating links")}[channel]
            assert label[english] in row.locator("th").inner_text()
        assert "—" not in page.locator("#f-halls th").all_inner_texts()

        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the sheet takes more than one A4 page"
        keep_png(pdf, lang, tmp_path)
        printed = pdf_text(pdf, tmp_path)
        if english:  # the heading as printed, read back from the PDF
            for words in (MINISTRY[1], SITE[1], "The centre in figures", CALENDAR.today().isoformat(),
                          f"{first} – {last}", str(hijri_day(first, "en")), "per working day"):  # fmt: skip
                assert words in printed, words
        else:  # pdftotext splits Arabic words where glyphs join (وز ارة): compare without spaces or bidi marks
            flat = re.sub(r"[\s\u200e\u200f\u202a-\u202e]", "", printed)
            month_years = [str(hijri_day(day, "ar")).split(" ", 1)[1] for day in (first, last)]  # the span's line
            for words in (MINISTRY[0], SITE[0], "المركز بالأرقام", str(hijri_day(CALENDAR.today(), "ar")),
                          *month_years, "في يوم العمل", CALENDAR.today().isoformat()):  # fmt: skip
                assert re.sub(r"\s", "", words) in flat, words
            assert f"{first}" in printed and f"{last}" in printed
        for part in ("#f-ministry", "#f-centre", "#f-issued", "#f-span"):  # the heading is printed, not screen-only
            assert page.locator(part).is_visible(), part
    finally:
        context.close()
