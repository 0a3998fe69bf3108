"""The supervisors' pages in real headless Chromium (Playwright), against a real collector, mosquitto and desk.

A supervisor signs in, watches a negative rating from a simulated desk appear live,
closes its review with a cause and an action, and sees the day's report change; in
Arabic (right to left) and in English.

Regenerate the screenshots in docs/screenshots/ with:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/pytest tests/collector/web/test_browser.py
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hijridate import Gregorian

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.fleet.sites import SectionEntry, SiteEntry, SitesFile, apply_sites
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.people.auth import Accounts
from collector.reports.maths import hijri
from collector.store import Store
from device.core import DeviceCore
from shared.clock import format_time
from shared.contract import DeviceConfig
from tests.collector.conftest import serve_app, serve_collector
from tests.support.chromium import CHROMIUM
from tests.support.two_sites_today import CALENDAR, make_rating, today_start

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
SITE = "riyadh-hq"
SECTIONS = (
    ("men-hall", "قاعة الرجال", "Men's hall"),
    ("women-hall", "قاعة النساء", "Women's hall"),
    ("business", "خدمة الشركات", "Business counter"),
)
PASSWORD = "supervisor-password-1"

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")


def desk(number: int) -> DeviceConfig:
    section, ar, en = SECTIONS[(number - 1) % 3]
    return DeviceConfig(
        site_id=SITE,
        desk_id=f"desk-{number:02d}",
        section=section,
        desk_name_ar=f"{ar} - مكتب {number}",
        desk_name_en=f"{en} - desk {number}",
    )


NAMES = [("نورة العتيبي", "Noura Alotaibi"), ("خالد الحربي", "Khalid Alharbi"), ("سارة القحطاني", "Sara Alqahtani")]


def seed_history(store: Store) -> None:
    """30 days of ratings at three desks, so the reports and employee pages have something to show."""
    sections = [SectionEntry(id=s, name_ar=ar, name_en=en) for s, ar, en in SECTIONS]
    site = SiteEntry(id=SITE, name_ar="المقر الرئيسي - الرياض", name_en="Riyadh headquarters", sections=sections)
    apply_sites(store, SitesFile(sites=[site]), "2026-11-01T00:00:00.000Z")  # as IT's sites.toml would
    rng = random.Random(7)
    for number in (1, 2, 3):
        store.devices.register(f"hist-{number:02d}", desk(number), "2026-11-01T00:00:00.000Z")
    employees = {1: "E1001", 2: "E1002", 3: "E1003"}
    store.employees.save(  # the registry names three of them; E1009 is not in it
        [
            {"employee_id": i, "name_ar": ar, "name_en": en, "site_id": SITE, "section_id": None, "active": True}
            for i, (ar, en) in zip(employees.values(), NAMES, strict=True)
        ],
        "test",
        "2026-11-01T00:00:00.000Z",
    )
    weights = {"E1001": [1, 1, 2, 10, 40], "E1002": [2, 2, 3, 12, 25], "E1003": [4, 3, 5, 10, 20]}
    batch, seq = [], {1: 0, 2: 0, 3: 0}
    for days_ago in range(29, -1, -1):
        day_start = today_start() - timedelta(days=days_ago)
        for number, employee in employees.items():
            for _ in range(rng.randint(2, 6) if days_ago else 4):
                seq[number] += 1
                score = rng.choices([1, 2, 3, 4, 5], weights=weights[employee])[0]
                at = day_start + timedelta(hours=8, minutes=rng.randint(0, 420))
                batch.append(make_rating(f"hist-{number:02d}", seq[number], score, at, employee))
    for minute in (5, 50, 200):  # someone new: too few ratings to rank
        seq[3] += 1
        batch.append(make_rating("hist-03", seq[3], 4, today_start() + timedelta(hours=9, minutes=minute), "E1009"))
    # Received after the last was made: from a right clock each counts on the day it was made.
    store_batch(store, Batch(batch), format_time(today_start() + timedelta(hours=16)))


def shoot(page: Any, name: str, lang: str) -> None:
    if os.environ.get("TAQYEEM_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"web-{name}-{lang}.png"), full_page=True)


# Each number cell's text against its column header's text: both at the start side of the column
# (where the header is shown: on a phone the fleet view's rows are cards that label each figure).
MISALIGNED_NUMBERS = """() => {
  const rtl = document.documentElement.dir === "rtl", bad = [];
  const edge = (el) => {
    const r = document.createRange(); r.selectNodeContents(el);
    const b = r.getBoundingClientRect(); return rtl ? b.right : b.left;
  };
  for (const table of document.querySelectorAll("table.grid-table")) {
    if (table.tHead.getClientRects().length === 0) continue;  // a phone's card layout: each figure has its own label
    const heads = [...table.tHead.rows[0].cells];
    for (const row of table.tBodies[0].rows) {
      [...row.cells].forEach((td, i) => {
        if (td.classList.contains("num") && heads[i] && Math.abs(edge(td) - edge(heads[i])) > 2) {
          bad.push(heads[i].textContent + ": " + td.textContent);
        }
      });
    }
  }
  return bad;
}"""
OVERFLOWING_CARDS = """() => [...document.querySelectorAll(".card")]
  .filter((card) => card.scrollWidth > card.clientWidth + 1)
  .map((card) => (card.querySelector("h2, figcaption") || card).textContent.trim().slice(0, 40))"""


def check_layout(page: Any) -> None:
    assert page.evaluate(MISALIGNED_NUMBERS) == []
    assert page.evaluate(OVERFLOWING_CARDS) == []


PHONE = {"width": 390, "height": 844}
PAGE_OVERFLOW = "() => document.scrollingElement.scrollWidth - window.innerWidth"


def check_phone(page: Any, base: str, paths: list[str]) -> None:
    """At 390 px each page fits the screen: nothing scrolls the page sideways (a wide table scrolls in its box)."""
    page.set_viewport_size(PHONE)
    for path in paths:
        page.goto(base + path)
        overflow = page.evaluate(PAGE_OVERFLOW)
        assert overflow <= 0, f"{path} is {overflow} px wider than a phone"
        assert page.evaluate(MISALIGNED_NUMBERS) == [], path


def number(page: Any, selector: str) -> int:
    return int(page.locator(selector).inner_text().strip())


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_supervisor_sees_a_negative_live_closes_it_and_the_report_changes(
    lang: str,
    browser: Any,
    broker: Any,
    make_collector: Callable[..., Any],
    unique_id: Callable[[str], str],
    tmp_path: Path,
) -> None:
    history = Store(tmp_path / "collector.db")  # seeded before ingest starts: no writer races the big batch
    seed_history(history)
    history.close()
    ingest = make_collector(db=tmp_path / "collector.db")
    store = ingest.store
    device_id = unique_id("riyadh-hq-desk")
    store.devices.register(device_id, desk(4), "2026-11-28T08:00:00.000Z")
    Accounts(store).add_user("supervisor", "supervisor", [SITE], PASSWORD, lang="ar")
    core = DeviceCore(broker.desk_settings(device_id, tmp_path / "desk"))
    core.start()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    try:
        with serve_collector(store, ingest) as base:
            # Sign in (the sign-in page is Arabic first; English is one click away).
            page.goto(base + "/today")
            assert page.url.startswith(base + "/login")
            assert page.locator("html").get_attribute("dir") == "rtl"
            if lang == "en":
                page.click("a.lang-switch")
            assert page.locator("html").get_attribute("lang") == lang
            assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
            shoot(page, "login", lang)
            page.fill("input[name=name]", "supervisor")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(base + "/today")
            assert page.evaluate("document.fonts.check('16px \"Taqyeem Arabic\"')")
            page.wait_for_selector("#live-state.on", timeout=10_000)
            count_before = number(page, "#s-count")

            # A visitor at the desk taps the saddest face: it appears live, with an alert banner.
            core.rate(5, employee_id="E1004", lang=lang)
            started = time.monotonic()
            rating = core.rate(
                1, employee_id="E1004", reasons=["staff_courtesy", "waiting_time"], visit_id="A-117", lang=lang
            )
            row = page.locator(f'#feed tr.negative[data-id="{rating.id}"]')
            row.wait_for(timeout=5_000)
            live_s = time.monotonic() - started
            print(f"negative rating on the open page after {live_s * 1000:.0f} ms ({lang})")
            assert page.locator("#alert-banner").is_visible()
            page.wait_for_function(
                f"document.getElementById('s-count').textContent == '{count_before + 2}'", timeout=5_000
            )
            # The scale is never mirrored: score 1 is the leftmost dot in Arabic as in English.
            dots = row.locator(".scale i")
            xs = [dots.nth(i).bounding_box()["x"] for i in range(5)]
            assert xs == sorted(xs)
            assert dots.nth(0).get_attribute("class") == "on"
            shoot(page, "today", lang)

            page.goto(base + "/reports")
            closed_before, unreviewed_before = number(page, "#r-closed"), number(page, "#r-unreviewed")

            # Close its review from the banner's link, with a cause, an action and a note.
            page.goto(base + "/today")
            page.goto(base + "/reviews")
            assert page.locator(f'a[href="/reviews/{rating.id}"]').count() == 1
            # The date filter echoes the chosen day in ISO and Hijri, as the reports page does.
            review_echo = page.locator("#q-date-echo")
            assert review_echo.is_hidden()  # no day chosen yet
            today = CALENDAR.today()
            page.fill("input[type=date]", today.isoformat())
            assert review_echo.locator("bdi").nth(0).inner_text() == today.isoformat()
            assert str(Gregorian.fromdate(today).to_hijri().year) in review_echo.locator("bdi").nth(1).inner_text()
            page.click(".filters button[type=submit]")
            page.wait_for_url(f"{base}/reviews?status=open&date={today.isoformat()}")
            assert review_echo.locator("bdi").nth(1).inner_text() == hijri(today, lang)  # rendered by the server
            assert page.locator(f'a[href="/reviews/{rating.id}"]').count() == 1
            shoot(page, "reviews", lang)
            page.locator(f'tr[data-href="/reviews/{rating.id}"] td').nth(4).click()  # the whole row opens it
            page.wait_for_url(f"{base}/reviews/{rating.id}")
            # Whether the rating counts against the employee follows the chosen cause, until the supervisor says.
            yes, no = (
                page.locator("input[name=attributable][value=yes]"),
                page.locator("input[name=attributable][value=no]"),
            )
            assert not yes.is_checked() and not no.is_checked()  # no cause chosen yet
            page.select_option("select[name=cause]", "staff_conduct")
            assert yes.is_checked()
            page.select_option("select[name=cause]", "system_outage")
            assert no.is_checked() and not yes.is_checked()
            page.select_option("select[name=action]", "process_fix")
            page.fill(
                "textarea[name=note]",
                "تعطل نظام المواعيد وقت الزيارة" if lang == "ar" else "The booking system was down",
            )
            shoot(page, "review", lang)
            page.click("#close-form button[type=submit]")
            page.wait_for_url(f"{base}/reviews/{rating.id}?saved=1")
            assert page.locator("h1 .status.closed").count() == 1
            assert page.locator(".cause").inner_text() == ("تعطل الأنظمة" if lang == "ar" else "System outage")
            assert page.locator("dd.attributable").inner_text().startswith("لا" if lang == "ar" else "No")
            page.fill("textarea[name=response]", "كان النظام بطيئًا" if lang == "ar" else "The system was slow")
            page.click("#response-form button[type=submit]")
            page.wait_for_url(f"{base}/reviews/{rating.id}?saved=1")
            assert page.locator(".history li").count() == 3
            shoot(page, "review-closed", lang)

            # The day's report has changed.
            page.goto(base + "/reports")
            assert number(page, "#r-closed") == closed_before + 1
            assert number(page, "#r-unreviewed") == unreviewed_before - 1
            assert page.locator("svg.chart").count() >= 2
            for section, ar, en in SECTIONS:  # By section names them in the page's language
                assert page.get_by_text(ar if lang == "ar" else en, exact=True).count() == 1
                assert page.get_by_text(section, exact=True).count() == 0
            check_layout(page)
            # The date input speaks the browser's locale (mm/dd/yyyy): the chosen day is echoed in ISO and Hijri.
            echo = page.locator("#r-date-echo")
            assert echo.locator("bdi").nth(0).inner_text() == page.locator("input[type=date]").input_value()
            shoot(page, "reports", lang)
            page.fill("input[type=date]", "2026-11-28")
            assert echo.locator("bdi").nth(0).inner_text() == "2026-11-28"
            assert "1448" in echo.locator("bdi").nth(1).inner_text()
            page.goto(base + "/employees")
            assert page.locator("text=E1009").count() == 1
            # E1004's negative is not held against them: n 1 (the 5), and 1 excluded, with its cause.
            e1004 = page.locator("tr", has=page.locator("bdi", has_text="E1004"))
            assert e1004.locator("td.num").nth(0).inner_text() == "1"
            assert e1004.locator(".excluded").inner_text() == (
                "1: تعطل الأنظمة" if lang == "ar" else "1: System outage"
            )
            unknown = "موظف غير معروف (E1009)" if lang == "ar" else "unknown employee (E1009)"
            assert page.get_by_text(unknown, exact=True).count() == 1
            for ar, en in NAMES:  # names from the registry, in the page's language
                assert page.get_by_text(ar if lang == "ar" else en, exact=True).count() == 1
            check_layout(page)
            shoot(page, "employees", lang)
            page.goto(base + "/devices")
            assert page.locator(f"text={device_id}").count() == 1
            check_layout(page)
            shoot(page, "devices", lang)
            assert missing == []  # not even /favicon.ico

            # On a phone every page fits the screen; in Reviews the whole row, or its link by keyboard, opens it.
            pages = ["/today", "/reviews", "/reviews?status=all", f"/reviews/{rating.id}", "/reports", "/employees"]
            check_phone(page, base, [*pages, "/devices", "/presence", "/no-such-page"])
            page.goto(base + "/reviews?status=all")
            page.focus(f'tr[data-href="/reviews/{rating.id}"] a.row-open')
            page.keyboard.press("Enter")
            page.wait_for_url(f"{base}/reviews/{rating.id}")
            if lang == "ar":
                page.goto(base + "/today")
                shoot(page, "today-phone", lang)
                page.goto(base + "/reviews")
                shoot(page, "reviews-phone", lang)
            signed_out = browser.new_context(viewport=PHONE)
            login = signed_out.new_page()
            login.goto(base + "/login")
            if lang == "en":
                login.click("a.lang-switch")
            assert login.locator("html").get_attribute("lang") == lang
            check_phone(login, base, ["/login", "/no-such-page"])
            signed_out.close()
            context.close()
    finally:
        core.stop()
    assert live_s < 5


def sign_in_page(page: Any, base: str, name: str, password: str, lang: str) -> None:
    page.goto(base + "/login")
    if page.locator("html").get_attribute("lang") != lang:
        page.click("a.lang-switch")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_an_admin_adds_disables_and_resets_users_on_the_users_page(lang: str, browser: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / "users.db")
    sites = [
        SiteEntry(id=SITE, name_ar="المقر الرئيسي - الرياض", name_en="Riyadh headquarters"),
        SiteEntry(id="jeddah-north", name_ar="شمال جدة", name_en="Jeddah north"),
    ]
    apply_sites(store, SitesFile(sites=sites), "2026-11-01T00:00:00.000Z")
    accounts = Accounts(store)
    accounts.add_user("it-admin", "admin", [], "admin-password-1", lang="ar")
    accounts.add_user("sara", "supervisor", [SITE], PASSWORD)
    accounts.add_user("hq-reports", "viewer", [SITE, "jeddah-north"], "viewer-password-1", lang="en")
    admin_context = browser.new_context(viewport={"width": 1280, "height": 900})
    user_context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, other = admin_context.new_page(), user_context.new_page()
    try:
        with serve_app(create_app(AppDeps(store))) as base:
            sign_in_page(other, base, "sara", PASSWORD, lang)
            other.wait_for_url(base + "/today")
            assert other.locator('nav a[href="/users"]').count() == 0  # supervisors have no Users page

            sign_in_page(page, base, "it-admin", "admin-password-1", lang)
            page.wait_for_url(base + "/today")
            page.click('nav a[href="/users"]')
            page.wait_for_url(base + "/users")
            assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
            assert page.locator("table.users tbody tr").count() == 3

            # Add a supervisor of one site: the generated password is shown once, and it works.
            page.fill("#add-user input[name=name]", "noura")
            page.select_option("#add-user select[name=role]", "supervisor")
            page.check(f'#add-user input[name=sites][value="{SITE}"]')
            page.click("#add-user button[type=submit]")
            password = page.locator("#shown-once code.secret").inner_text()
            assert len(password) >= 16
            page.goto(base + "/users")
            assert page.locator("#shown-once").count() == 0  # once
            noura = browser.new_context()
            noura_page = noura.new_page()
            sign_in_page(noura_page, base, "noura", password, lang)
            noura_page.wait_for_url(base + "/today")

            # Disabling asks first; dismissed, nothing happens. Accepted, sara's open session ends at once.
            sara_row = page.locator('tr[data-user="sara"]')
            sara_row.locator('form[action$="/disable"] button').click()  # Playwright dismisses the question
            assert page.locator('tr[data-user="sara"].disabled').count() == 0
            page.once("dialog", lambda dialog: dialog.accept())
            sara_row.locator('form[action$="/disable"] button').click()
            page.wait_for_url(base + "/users?done=disabled")
            assert page.locator('tr[data-user="sara"].disabled').count() == 1
            other.goto(base + "/reviews")
            assert other.url.startswith(base + "/login")
            assert page.locator('tr[data-user="it-admin"] form[action$="/disable"]').count() == 0  # not yourself

            # A new password for noura, shown once; her old one and her session stop working.
            page.once("dialog", lambda dialog: dialog.accept())
            page.locator('tr[data-user="noura"] form[action$="/password"] button').click()
            page.locator("#shown-once").wait_for()
            assert page.locator("#shown-once code.secret").inner_text() != password
            # Three added by the CLI; noura added, sara disabled, noura's new password: newest first.
            assert page.locator("#user-log li").count() == 6
            assert page.locator("#user-log li").first.locator("bdi").nth(2).inner_text() == "it-admin"
            check_layout(page)
            shoot(page, "users", lang)
            check_phone(page, base, ["/users"])
            page.set_viewport_size({"width": 1280, "height": 900})
            noura_page.goto(base + "/today")
            assert noura_page.url.startswith(base + "/login")
            noura.close()

            page.locator('tr[data-user="sara"] form[action$="/enable"] button').click()
            page.wait_for_url(base + "/users?done=enabled")
            sign_in_page(other, base, "sara", PASSWORD, lang)
            other.wait_for_url(base + "/today")
            admin_context.close()  # before the server stops: an open page holds its live feed open
            user_context.close()
    finally:
        store.close()
