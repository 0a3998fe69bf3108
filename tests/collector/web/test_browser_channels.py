"""A phone call or a rating link is named where a desk would be (issue 19): the Today feed, as rendered
and as it arrives live, the day's by-desk, by-section and unreviewed-negatives tables, the review
queue, and the Excel workbook a supervisor downloads from the reports page, in real headless
Chromium against a real collector, in both languages."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.people.auth import Accounts
from collector.store import Store
from shared.clock import format_time, uuid7
from tests.collector.conftest import serve_collector
from tests.collector.web.test_browser import sign_in_page
from tests.support.chromium import CHROMIUM
from tests.support.two_sites_today import desk_config, make_rating

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")

SITE = "site-a"
PASSWORD = "supervisor-password-1"
NOW = "2026-11-28T12:00:00.000Z"
LABELS = {
    "ar": {"desk": "مكتب 01", "call": "مكالمة هاتفية", "link": "رابط التقييم"},
    "en": {"desk": "Desk 01", "call": "Phone call", "link": "Rating link"},
}
SHEETS = {"ar": ("حسب المكتب", "حسب القسم", "سلبية لم تُراجع"), "en": ("By desk", "By section", "Unreviewed negatives")}


def _seed(store: Store) -> str:
    """A desk rating at desk 01 (hall men-hall), and a link's rating that came through no desk; an API token."""
    store.devices.register("dev-a1", desk_config(SITE, "desk-01", "men-hall"), NOW)
    sara = {"employee_id": "E1", "name_ar": "سارة", "name_en": "Sara", "site_id": SITE, "section_id": None}
    store.employees.save([{**sara, "active": True}], "test", NOW)
    Accounts(store).add_user("sup", "supervisor", [SITE], PASSWORD)
    earlier = datetime.now(UTC) - timedelta(minutes=3)
    link = make_rating("taqyeem-api-links", 1, 5, earlier, channel="link", visit_id="C-0")
    batch = Batch([make_rating("dev-a1", 1, 4, earlier), link], rating_places={link.id: (SITE, None)})
    store_batch(store, batch, format_time(earlier))
    return store.accounts.create_token("ivr", "integration", [SITE], NOW)


def _call(base: str, token: str) -> str:
    """A negative phone call's rating, posted by the phone system as the page watches; its id."""
    now = datetime.now(UTC)
    rating = {
        "v": 1, "id": str(uuid7(int(now.timestamp() * 1000))), "site_id": SITE, "employee_id": "E1", "score": 1,
        "reasons": ["waiting_time"], "created_at": format_time(now), "channel": "call",
    }  # fmt: skip
    answer = httpx.post(f"{base}/api/v1/ratings", json=rating, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.text
    return str(rating["id"])


def _first_cells(page: Any, heading: str) -> list[str]:
    card = page.locator(".card", has=page.locator("h2", has_text=heading))
    return [text.strip() for text in card.locator("tbody tr td:first-child").all_inner_texts()]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_calls_and_links_are_named_in_the_feed_the_tables_and_the_workbook(
    lang: str, browser: Any, tmp_path: Path
) -> None:
    store = Store(tmp_path / "taqyeem.db")
    labels = LABELS[lang]
    try:
        token = _seed(store)
        with serve_collector(store) as base:
            page = browser.new_page()
            sign_in_page(page, base, "sup", PASSWORD, lang)
            page.wait_for_selector("#feed")
            rendered = page.locator("#feed tbody tr td.place").all_inner_texts()  # as the server rendered them
            assert sorted(rendered) == sorted([labels["desk"], labels["link"]])
            page.wait_for_function("document.getElementById('live-state').textContent.trim() !== '…'")
            call_id = _call(base, token)
            live = page.locator(f'#feed tbody tr[data-id="{call_id}"] td.place')
            live.wait_for()
            assert live.inner_text() == labels["call"]  # the live row, made by live.js
            assert labels["call"] in page.locator("#alert-banner .banner-text").inner_text()
            page.click('nav a[href="/reports"]')
            by_desk = _first_cells(page, "حسب المكتب" if lang == "ar" else "By desk")
            by_section = _first_cells(page, "حسب القسم" if lang == "ar" else "By section")
            assert sorted(by_desk) == sorted([labels["desk"], labels["call"], labels["link"]])
            assert sorted(by_section) == sorted(["men-hall", labels["call"], labels["link"]])
            assert page.locator("#unreviewed tbody tr td:nth-child(2)").all_inner_texts() == [labels["call"]]
            with page.expect_download() as download:
                page.click(f'.download-row[lang="{lang}"] a.xlsx')
            book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
            page.click('nav a[href="/reviews"]')
            assert page.locator("td.c-desk").all_inner_texts() == [labels["call"]]  # the review queue names it too
            page.close()
    finally:
        store.close()
    desk_sheet, section_sheet, negatives_sheet = (list(book[name].values) for name in SHEETS[lang])
    column = desk_sheet[0].index("المكتب" if lang == "ar" else "Desk")
    assert sorted(r[column] for r in desk_sheet[1:]) == sorted([labels["desk"], labels["call"], labels["link"]])
    headers = ("رمز القسم", "القسم") if lang == "ar" else ("Section id", "Section")
    ids, names = (section_sheet[0].index(h) for h in headers)
    rows = sorted(((r[ids], r[names]) for r in section_sheet[1:]), key=str)
    assert rows == sorted([("men-hall", None), (None, labels["call"]), (None, labels["link"])], key=str)
    column = negatives_sheet[0].index("المكتب" if lang == "ar" else "Desk")
    assert [r[column] for r in negatives_sheet[1:]] == [labels["call"]]  # the call's negative, named
