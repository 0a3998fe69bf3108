"""Reviews' owners and deadlines in real headless Chromium: the Reviews page shows each owner, the reader's own
reviews first and the overdue review in red; a supervisor reassigns a review through the form on its page.

Regenerate the screenshots docs/screenshots/reviews-owners-{ar,en}.png with:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/pytest tests/collector/web/test_browser_owners.py
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from collector.fleet.sites import SitesFile, apply_sites
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.people.auth import Accounts
from collector.store import Store
from shared.clock import format_time
from tests.collector.conftest import serve_collector
from tests.support.two_sites_today import desk_config, make_rating

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
SITE = "riyadh-hq"
PASSWORD = "owners-password-1"

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def seeded(path: Path) -> tuple[Store, dict[str, str]]:
    """A site whose rota gives reviews to sara and khalid in turn: one review a week old (overdue), two today."""
    store = Store(path)
    file = SitesFile.model_validate(
        {
            "sites": [
                {
                    "id": SITE,
                    "name_ar": "المقر الرئيسي - الرياض",
                    "name_en": "Riyadh headquarters",
                    "sections": [{"id": "men-hall", "name_ar": "قاعة الرجال", "name_en": "Men's hall"}],
                    "desks": [{"id": "desk-04", "name_ar": "مكتب ٤", "name_en": "Desk 4", "section": "men-hall"}],
                    "reviews": {"supervisors": ["sara", "khalid"], "managers": ["huda"], "director": "abdullah"},
                }
            ]
        }
    )
    accounts = Accounts(store)
    for name in ("sara", "khalid", "huda"):
        accounts.add_user(name, "supervisor", [SITE], PASSWORD)
    accounts.add_user("elsewhere", "supervisor", ["jeddah"], PASSWORD)
    apply_sites(store, file, "2026-11-28T00:00:00.000Z")
    store.devices.register("dev-04", desk_config(SITE, "desk-04", "men-hall"), "2026-11-28T00:00:00.000Z")
    now = datetime.now(UTC)
    ids = {}
    for seq, (key, at) in enumerate(
        (("old", now - timedelta(days=7)), ("first", now - timedelta(minutes=30)), ("second", now)), start=1
    ):
        stored = store_batch(store, Batch(ratings=[make_rating("dev-04", seq, 1 + seq % 2, at, "E7")]), format_time(at))
        ids[key] = stored.new_rating_ids[0]
    return store, ids


def sign_in_page(page: Any, base: str, name: str, lang: str) -> None:
    page.goto(base + "/login")
    if page.locator("html").get_attribute("lang") != lang:
        page.click("a.lang-switch")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/today")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_reviews_page_shows_owners_mine_first_and_the_overdue_in_red_and_a_review_is_reassigned(
    lang: str, browser: Any, tmp_path: Path
) -> None:
    store, ids = seeded(tmp_path / "collector.db")
    owners = {key: store.reviews.get(rating_id)["review"]["owner"] for key, rating_id in ids.items()}  # type: ignore[index]
    assert owners == {"old": "sara", "first": "khalid", "second": "sara"}  # in turn
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        with serve_collector(store) as base:
            sign_in_page(page, base, "khalid", lang)
            assert page.locator("#s-overdue").inner_text().strip() == "1"  # Today's tile
            page.goto(base + "/reviews?status=all")
            rows = page.locator("table.queue tbody tr")
            assert rows.count() == 3
            assert rows.nth(0).get_attribute("data-href") == f"/reviews/{ids['first']}"  # mine first
            assert rows.nth(0).locator(".tag.mine").count() == 1
            overdue = page.locator(f"tr[data-href='/reviews/{ids['old']}']")
            assert "overdue" in (overdue.get_attribute("class") or "").split()
            red = overdue.locator(".status.overdue").evaluate("e => getComputedStyle(e).backgroundColor")
            assert red == "rgb(192, 57, 43)"  # --bad
            assert overdue.locator(".c-owner").inner_text().strip() == "sara"
            if os.environ.get("TAQYEEM_SCREENSHOTS") == "1":
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"reviews-owners-{lang}.png"), full_page=True)

            # The overdue review, given to khalid through the form on its page, as a person would.
            overdue.locator("a.row-open").click()
            page.wait_for_url(f"{base}/reviews/{ids['old']}")
            assert page.locator("dd.owner").inner_text().strip() == "sara"
            options = page.locator("#assign-form select[name=owner] option").all_inner_texts()
            assert "elsewhere" not in options and {"sara", "khalid", "huda"} <= set(options)
            page.select_option("#assign-form select[name=owner]", "khalid")
            page.click("#assign-form button[type=submit]")
            page.wait_for_url(f"{base}/reviews/{ids['old']}?saved=1")
            assert page.locator("dd.owner").inner_text().strip() == "khalid"
            assert page.locator("ol.history bdi.owner").all_inner_texts() == ["sara", "khalid"]

            # khalid marks himself away on the Reviews page: the rota skips him for the next review.
            page.goto(base + "/reviews")
            page.click("#away-form button[type=submit]")
            page.wait_for_url(base + "/reviews")
            assert page.locator("#away-state").count() == 1
            at = datetime.now(UTC)
            fresh = store_batch(
                store, Batch(ratings=[make_rating("dev-04", 9, 1, at, "E7")]), format_time(at)
            ).new_rating_ids[0]
            assert store.reviews.get(fresh)["review"]["owner"] == "sara"  # type: ignore[index]
            page.click("#away-form button[type=submit]")  # and back
            page.wait_for_url(base + "/reviews")
            assert page.locator("#away-state").count() == 0
        item = store.reviews.get(ids["old"])
        assert item is not None and item["review"]["owner"] == "khalid"
        assert item["history"][-1]["kind"] == "assigned" and item["history"][-1]["actor"] == "khalid"
    finally:
        context.close()
        store.close()
