"""My page's PIN form in real headless Chromium: a weak PIN is refused with the reason, in the page's language."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.people.auth import Accounts
from collector.store import Store
from shared.pins import verify_pin
from tests.collector.conftest import serve_app
from tests.collector.web.test_browser import sign_in_page
from tests.support.chromium import CHROMIUM

PASSWORD = "employee-password-1"
NOW = "2026-11-30T08:00:00.000Z"

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")


def registered_employee(tmp_path: Path) -> Store:
    """E2 in the registry at a site without desks (no tablet to tell), with an account of her own."""
    store = Store(tmp_path / "collector.db")
    row = {"employee_id": "E2", "name_ar": "سارة العتيبي", "name_en": "Sara Alotaibi", "site_id": "site-new"}
    store.employees.save([{**row, "section_id": None, "active": True}], "test", NOW)
    Accounts(store).add_user("sara", "employee", ["site-new"], PASSWORD, employee_id="E2")
    return store


def submit_pin(page: Any, pin: str) -> None:
    page.fill("#my-pin input[name=pin]", pin)
    page.fill("#my-pin input[name=pin_again]", pin)
    page.click("#my-pin button[type=submit]")
    page.wait_for_load_state()


REFUSED = {
    ("ar", "1234"): "لا يصح أن يكون الرمز أرقاما متتالية (مثل ١٢٣٤ أو ٩٨٧٦)؛ اختر أرقاما بلا ترتيب.",
    ("en", "1234"): "A PIN cannot be a run of digits (like 1234 or 9876); choose digits in no order.",
    ("ar", "0000"): "لا يصح أن يكون الرمز رقما واحدا مكررا (مثل ١١١١)؛ اختر أرقاما مختلفة.",
    ("en", "0000"): "A PIN cannot be one digit repeated (like 1111); choose digits that differ.",
}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_my_page_refuses_1234_with_the_reason_and_takes_a_strong_pin(lang: str, browser: Any, tmp_path: Path) -> None:
    store = registered_employee(tmp_path)
    page = browser.new_page()
    try:
        with serve_app(create_app(AppDeps(store))) as base:
            sign_in_page(page, base, "sara", PASSWORD, lang)
            page.wait_for_url(base + "/me")
            for weak in ("1234", "0000"):
                submit_pin(page, weak)
                assert page.locator("#pin-error").inner_text() == REFUSED[(lang, weak)]
                assert store.employees.state()["E2"]["pin_hash"] is None
            submit_pin(page, "٢٠٩٧" if lang == "ar" else "2097")  # an Arabic keyboard's digits are the same PIN
            page.wait_for_url(base + "/me?pin=1#my-account")
            assert page.locator("#pin-error").count() == 0
        assert verify_pin("2097", store.employees.state()["E2"]["pin_hash"])
    finally:
        page.close()
        store.close()
