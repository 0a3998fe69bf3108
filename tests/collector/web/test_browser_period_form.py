"""The period pages' picker as a supervisor uses it, in real headless Chromium: open the page from
the menu, choose a kind, fill what it shows, press Show, and read the answer page (issue 19 point 1).

Each kind of period, in both languages, on both pages (/reports/period and /reports/figures):
the form sends every field, the ones hidden for the kind included, and an empty one means
"not given"; a wrong one comes back as a sentence on the page in its language, never as JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.reports.period import span_of
from collector.reports.period_choice import FIELDS, KINDS, hijri_of
from collector.store import Store
from tests.collector.conftest import serve_app
from tests.collector.web.test_browser import sign_in_page
from tests.support.chromium import CHROMIUM
from tests.support.two_sites_today import CALENDAR, PASSWORDS
from tests.support.year_of_ratings import seed_year

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get chromium)")

PAGES = {"period": ("تقرير فترة أو شهر هجري", "Report for a period or a Hijri month"),
         "figures": ("المركز بالأرقام (للطباعة)", "The centre in figures (printable)")}  # fmt: skip
SHOW = {"ar": "عرض", "en": "Show"}
PICK_FIELDS = ("day", "hijri_year", "hijri_month", "from", "to")


@dataclass(frozen=True)
class Pick:
    """What the supervisor types for a kind, and the span the answer page must show."""

    fields: dict[str, str]
    first: str
    last: str


def picks() -> dict[str, Pick]:
    today = CALENDAR.today().isoformat()
    return {
        "week": Pick({"day": "2025-06-17"}, "2025-06-15", "2025-06-21"),  # Sunday to Saturday
        "month": Pick({"day": "2025-06-17"}, "2025-06-01", "2025-06-30"),
        "quarter": Pick({"day": "2025-06-17"}, "2025-04-01", "2025-06-30"),
        "year": Pick({"day": "2025-06-17"}, "2025-01-01", "2025-12-31"),
        "launch": Pick({}, "2025-01-01", today),  # the first rating of the seeded year, to today
        "hijri_month": Pick({"hijri_year": "1446", "hijri_month": "9"}, "2025-03-01", "2025-03-29"),  # Ramadan
        "hijri_year": Pick({"hijri_year": "1446"}, "2024-07-07", "2025-06-25"),
        "custom": Pick({"from": "2025-02-01", "to": "2025-02-10"}, "2025-02-01", "2025-02-10"),
    }


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = Store(tmp_path_factory.mktemp("period-form") / "taqyeem.db")
    seed_year(store)
    with serve_app(create_app(AppDeps(store))) as url:
        yield url
    store.close()


@pytest.fixture
def signed_in(browser: Any, base: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page signed in as ``request.param`` = (user, language): sup-a sees one site, admin both (a site list)."""
    user, lang = request.param
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    sign_in_page(page, base, user, PASSWORDS[user], lang)
    page.wait_for_url(re.compile(r".*/today$"))
    try:
        yield page
    finally:
        context.close()


def open_from_menu(page: Any, which: str, lang: str) -> None:
    """Reports in the menu, then the period page's or the figures sheet's link, as a person finds them."""
    page.click('nav a[href="/reports"]')
    page.get_by_role("link", name=PAGES[which][lang == "en"], exact=True).click()
    page.wait_for_url(re.compile(rf".*/reports/{which}$"))


def press_show(page: Any, lang: str) -> Any:
    """Press Show; the answer's HTTP response (a page, never JSON)."""
    with page.expect_navigation() as answer:
        page.get_by_role("button", name=SHOW[lang], exact=True).click()
    response = answer.value
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    return response


def shown_span(page: Any) -> tuple[str, str]:
    text = page.locator(".dates bdi").first.inner_text()
    match = re.fullmatch(r"(\d{4}-\d\d-\d\d) – (\d{4}-\d\d-\d\d)", text.strip())
    assert match, text
    return match.group(1), match.group(2)


def visible_fields(page: Any) -> set[str]:
    return {f for f in PICK_FIELDS if page.locator(f'form.period-form [name="{f}"]').is_visible()}


@pytest.mark.parametrize("signed_in", [("sup-a", "ar"), ("admin", "en")], indirect=True, ids=["ar", "en"])
@pytest.mark.parametrize("which", ["period", "figures"])
def test_every_kind_of_period_is_shown_when_show_is_pressed(signed_in: Any, which: str) -> None:
    page, lang = signed_in, signed_in.locator("html").get_attribute("lang")
    open_from_menu(page, which, lang)
    for kind, pick in picks().items():
        page.select_option('select[name="kind"]', kind)
        assert visible_fields(page) == set(FIELDS[kind]), kind  # only what the kind needs
        for name, value in pick.fields.items():
            if name == "hijri_month":
                page.select_option('select[name="hijri_month"]', value)
            else:
                page.fill(f'input[name="{name}"]', value)
        press_show(page, lang)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("#pick-error").count() == 0, page.locator("#pick-error").inner_text()
        assert shown_span(page) == (pick.first, pick.last), kind
        assert page.locator('select[name="kind"]').input_value() == kind
    assert tuple(picks()) == KINDS


@pytest.mark.parametrize("signed_in", [("sup-a", "ar"), ("admin", "en")], indirect=True, ids=["ar", "en"])
def test_the_hijri_month_picker_starts_at_this_hijri_month_and_an_empty_box_is_not_given(signed_in: Any) -> None:
    page, lang = signed_in, signed_in.locator("html").get_attribute("lang")
    open_from_menu(page, "period", lang)
    year, month = hijri_of(CALENDAR.today())
    this_month = span_of(None, None, hijri_month=f"{year}-{month:02d}")
    page.select_option('select[name="kind"]', "hijri_month")
    assert page.locator('select[name="hijri_month"]').input_value() == str(month)  # not Muharram
    assert page.locator('input[name="hijri_year"]').input_value() == str(year)
    page.fill('input[name="hijri_year"]', "")  # emptied: this Hijri year
    press_show(page, lang)
    assert shown_span(page) == (this_month.first.isoformat(), this_month.last.isoformat())
    assert page.locator("#pick-error").count() == 0

    page.select_option('select[name="kind"]', "week")
    page.fill('input[name="day"]', "")  # emptied: the week of today
    press_show(page, lang)
    today = CALENDAR.today()
    first, last = (date.fromisoformat(d) for d in shown_span(page))
    assert first <= today <= last and first.weekday() == 6 and (last - first).days == 6
    assert page.locator("#pick-error").count() == 0


@pytest.mark.parametrize("signed_in", [("sup-a", "ar"), ("admin", "en")], indirect=True, ids=["ar", "en"])
@pytest.mark.parametrize("which", ["period", "figures"])
def test_a_wrong_value_is_said_on_the_page_in_its_language(signed_in: Any, which: str) -> None:
    page, lang = signed_in, signed_in.locator("html").get_attribute("lang")
    open_from_menu(page, which, lang)
    page.select_option('select[name="kind"]', "hijri_year")
    page.fill('input[name="hijri_year"]', "1600")
    press_show(page, lang)
    message = page.locator("#pick-error").inner_text()
    colours = page.eval_on_selector("#pick-error", "e => [getComputedStyle(e).color, getComputedStyle(e).background]")
    assert not colours[1].startswith(colours[0]), f"the message is written in its background's colour: {colours}"
    expected = "السنة الهجرية 1600 خارج تقويم أم القرى" if lang == "ar" else "The Hijri year 1600 is outside"
    assert expected in message and "1343" in message and "1500" in message, message
    month = CALENDAR.today().replace(day=1).isoformat()
    assert shown_span(page)[0] == month  # this month instead, as the message says

    page.select_option('select[name="kind"]', "custom")
    page.fill('input[name="from"]', "2025-02-10")
    page.fill('input[name="to"]', "2025-02-01")
    press_show(page, lang)
    message = page.locator("#pick-error").inner_text()
    expected = "«إلى يوم» (2025-02-01) يسبق «من يوم» (2025-02-10)" if lang == "ar" else "“To” (2025-02-01) is before"
    assert expected in message, message
