"""The Desks and devices page shows each tablet's desired version (its release target), in Arabic and English."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from collector.fleet.release_wheels import add_release
from collector.fleet.rollout import Place, rollout
from collector.store import Store
from shared.contract import DeviceConfig, Status
from tests.support.chromium import CHROMIUM
from tests.support.fleet_releases import make_key, make_wheel
from tests.support.two_sites_today import PASSWORDS, seed
from tests.support.web_session import sign_in

NOW = "2026-12-01T04:00:00.000Z"

SCREENSHOT = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "web-devices-release-ar.png"


class Discard:
    def publish(self, device_id: str, config: DeviceConfig | None) -> None:
        """Retained configs are tests/collector/fleet/test_rollout.py's business."""


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    folder = tmp_path_factory.mktemp("release-page")
    store = Store(folder / "taqyeem.db")
    seed(store)  # dev-a1, dev-a2 at site-a; dev-b1 at site-b
    key, public = make_key(folder / "keys")
    add_release(
        store, make_wheel(folder, "0.2.0"), key, public_key=public, releases_dir=folder / "r", actor="it", now=NOW
    )
    store.devices.record_status("dev-a1", Status(state="online", app_version="0.2.0"), NOW, live=True)
    store.devices.record_status("dev-a2", Status(state="online", app_version="0.1.0"), NOW, live=True)
    rollout(store, Discard(), place=Place("site-a"), version="0.2.0", tablet_url="https://c.lan", actor="it", now=NOW)
    yield live_api(store), store
    store.close()


def _cells(html: str) -> dict[str, str]:
    """device id -> the text of its desired-version cell."""
    found = {}
    for row in html.split("<tr")[2:]:
        if "c-desired" in row:
            device = row.split("<code>", 1)[1].split("</code>", 1)[0]
            found[device] = row.split('class="c-desired"', 1)[1].split("</td>", 1)[0]
    return found


@pytest.mark.parametrize(
    ("lang", "header", "pending"),
    [("ar", "الإصدار المطلوب", "لم يُثبَّت بعد"), ("en", "Desired version", "not running yet")],
)
def test_each_tablet_shows_the_version_its_site_wants(
    web: tuple[str, Store], lang: str, header: str, pending: str
) -> None:
    base, _store = web
    with sign_in(base, "admin") as client:
        client.get(f"/lang/{lang}")  # the language cookie, as the page's switch sets it
        html = client.get("/devices").text
    assert f"<th>{header}</th>" in html
    cells = _cells(html)
    assert "0.2.0" in cells["dev-a1"] and pending not in cells["dev-a1"]  # runs what it should
    assert "0.2.0" in cells["dev-a2"] and pending in cells["dev-a2"]  # should, does not yet
    assert "0.2.0" not in cells["dev-b1"] and "—" in cells["dev-b1"]  # its site has no target


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium")
def test_the_column_in_arabic_in_a_real_browser(web: tuple[str, Store]) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    base, _store = web
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        page: Any = browser.new_page(viewport={"width": 1280, "height": 700})
        page.goto(base + "/login")
        page.fill("input[name=name]", "admin")
        page.fill("input[name=password]", PASSWORDS["admin"])
        page.click("button[type=submit]")
        page.goto(base + "/devices")
        assert page.locator("html").get_attribute("dir") == "rtl"
        cell = page.locator("tr:has(code:text-is('dev-a2')) td.c-desired")
        assert cell.inner_text().split() == ["0.2.0", "لم", "يُثبَّت", "بعد"]
        if os.environ.get("TAQYEEM_SCREENSHOTS") == "1":  # regenerate docs/screenshots deliberately
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        browser.close()
