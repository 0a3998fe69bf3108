"""The fleet view end to end: tablets report through a real mosquitto, a real collector keeps it, IT reads it.

Six desks of one site: a real tablet (DeviceCore) whose fake /sys says 84.2 °C, and raw MQTT
peers standing in for five more: one low on disk whose update was refused, one that rolled
back and then went offline (its last will), one never seen, one with its clock five minutes
behind, one that lost ratings (seq gaps). The page (Arabic and English, over HTTP and in
Chromium, also at a phone's 390 px), the API and the database all say the same.

Regenerate the screenshots in docs/screenshots/ with:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/pytest tests/collector/web/test_fleet_pages.py
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from collector.ingest.subscriber import Ingest
from collector.people.auth import Accounts
from collector.settings import CollectorSettings
from collector.store import Store
from device.core import DeviceCore
from device.settings import DeviceSettings
from shared import topics
from shared.clock import format_time, now_text, uuid7
from shared.contract import DeviceConfig
from tests.collector.conftest import serve_collector
from tests.collector.web.test_browser import PHONE, check_layout, check_phone, shoot
from tests.conftest import wait_until
from tests.support.chromium import CHROMIUM, LAUNCH_ARGS
from tests.support.mqtt_peer import Peer
from tests.support.web_session import sign_in

SITE = "riyadh-hq"
PASSWORD = "it-admin-password-1"
REFUSED = "signature does not match the release key"
ROLLED = "did not come online within 180 s; 0.1.0 runs again"


def desk(number: int) -> DeviceConfig:
    return DeviceConfig(
        site_id=SITE,
        desk_id=f"desk-{number:02d}",
        desk_name_ar=f"الكاونتر {number}",
        desk_name_en=f"Counter {number}",
    )


def status(**fields: Any) -> str:
    body: dict[str, Any] = {"v": 1, "state": "online", "app_version": "0.1.0", "outbox": 0, "at": now_text()}
    body.update(fields)
    return json.dumps(body)


def rating(device_id: str, seq: int) -> str:
    body = {"v": 1, "id": str(uuid7()), "seq": seq, "device_id": device_id, "employee_id": None, "score": 5}
    body["created_at"] = now_text()
    return json.dumps(body)


@pytest.fixture(scope="module")
def fleet(broker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("fleet")
    tag = secrets.token_hex(2)
    ids = {name: f"{SITE}-{name}-{tag}" for name in ("hot", "refused", "rolled", "never", "clock", "gaps")}
    settings = CollectorSettings.model_validate(
        {"broker": broker.collector_url(), "db": tmp / "collector.db", "client_id": f"fleet-{tag}", "batch_wait_ms": 20}
    )
    store = Store(settings.db)
    for number, device_id in enumerate(ids.values(), start=1):
        store.devices.register(device_id, desk(number), "2026-11-28T06:00:00.000Z")
    Accounts(store).add_user("it-admin", "admin", [], PASSWORD, lang="ar")
    ingest = Ingest(settings, store)
    ingest.start()
    wait_until(lambda: ingest.connected, what="the collector to connect")
    core = DeviceCore(
        DeviceSettings(
            device_id=ids["hot"],
            data_dir=tmp / "desk",
            broker=f"mqtt://127.0.0.1:{broker.port}",
            password=broker.add_device(ids["hot"]),
        )
    )
    thermal = tmp / "sys" / "class" / "thermal"
    for number, (kind, temp) in enumerate((("acpitz", "40000"), ("cpu-thermal", "84200"))):
        (thermal / f"thermal_zone{number}").mkdir(parents=True)
        (thermal / f"thermal_zone{number}" / "type").write_text(kind + "\n")
        (thermal / f"thermal_zone{number}" / "temp").write_text(temp + "\n")
    core.thermal_root = thermal
    names = ("refused", "rolled", "clock", "gaps")
    peers = {name: Peer(broker.port, ids[name], broker.add_device(ids[name])) for name in names}
    try:
        earlier = (datetime.now(UTC) - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        rolled = {"version": "0.2.0", "state": "rolled_back", "reason": ROLLED, "at": earlier}
        peers["rolled"].publish(topics.status(ids["rolled"]), status(update=rolled, free_disk_mb=5_000), retain=True)
        peers["rolled"].publish(topics.status(ids["rolled"]), json.dumps({"v": 1, "state": "offline"}), retain=True)
        refused = {"version": "0.2.0", "state": "failed", "reason": REFUSED, "at": now_text()}
        peers["refused"].publish(
            topics.status(ids["refused"]), status(free_disk_mb=320, temperature_c=55.5, update=refused), retain=True
        )
        behind = format_time(datetime.now(UTC) - timedelta(minutes=5))
        peers["clock"].publish(topics.status(ids["clock"]), status(at=behind, free_disk_mb=9_000), retain=True)
        for seq in (1, 2, 5):
            peers["gaps"].publish(topics.ratings(ids["gaps"]), rating(ids["gaps"], seq))
        peers["gaps"].publish(topics.status(ids["gaps"]), status(last_seq=5, free_disk_mb=9_000), retain=True)
        core.start()

        def reported() -> bool:
            rows = {d["device_id"]: d for d in store.devices.all()}
            return (
                rows[ids["hot"]]["temperature_c"] is not None
                and rows[ids["rolled"]]["state"] == "offline"
                and rows[ids["refused"]]["update"] is not None
                and rows[ids["clock"]]["clock_off"]
                and rows[ids["gaps"]]["gaps"] == 2
                and rows[ids["gaps"]]["state"] == "online"
            )

        wait_until(reported, timeout=10, what="every tablet's status in the collector's database")
        with serve_collector(store, ingest) as base:
            yield base, store, ids
    finally:
        core.stop()
        for peer in peers.values():
            peer.close()
        ingest.stop()
        store.close()


ORDER = ["never", "rolled", "hot", "refused", "clock", "gaps"]  # the silent (never seen first), then by desk


def test_the_collector_keeps_what_each_tablet_reported(fleet: tuple[str, Store, dict[str, str]]) -> None:
    _, store, ids = fleet
    rows = {d["device_id"]: d for d in store.devices.all()}
    hot = rows[ids["hot"]]
    assert hot["temperature_c"] == 84.2 and hot["free_disk_mb"] > 0 and hot["health_at"] is not None
    assert hot["app_version"] and hot["update"] is None
    refused = rows[ids["refused"]]
    assert (refused["free_disk_mb"], refused["temperature_c"]) == (320, 55.5)
    assert refused["update"]["state"] == "failed" and refused["update"]["reason"] == REFUSED
    gone = rows[ids["rolled"]]  # its last will took nothing away
    assert (gone["state"], gone["free_disk_mb"], gone["update"]["reason"]) == ("offline", 5_000, ROLLED)
    assert rows[ids["clock"]]["clock_skew_s"] < -290
    assert rows[ids["never"]]["last_seen"] is None


def test_the_api_lists_the_silent_first_with_the_new_fields(fleet: tuple[str, Store, dict[str, str]]) -> None:
    base, _, ids = fleet
    with sign_in(base, "it-admin", PASSWORD) as client:
        every = client.get("/api/v1/devices").json()["devices"]
    devices = [d for d in every if d["device_id"] in ids.values()]  # the shared broker's retained strangers follow
    assert [d["device_id"] for d in devices] == [ids[name] for name in ORDER]
    assert every[: len(ORDER)] == devices
    by_name = {name: devices[i] for i, name in enumerate(ORDER)}
    assert by_name["never"]["flags"] == ["silent"] and by_name["never"]["since_seen_s"] is None
    assert by_name["rolled"]["flags"] == ["silent", "rolled_back"]
    assert by_name["rolled"]["update"] == {
        "version": "0.2.0",
        "state": "rolled_back",
        "reason": ROLLED,
        "at": by_name["rolled"]["update"]["at"],
    }
    assert "hot" in by_name["hot"]["flags"] and by_name["hot"]["temperature_c"] == 84.2
    assert by_name["refused"]["flags"] == ["low_disk", "update_failed"]
    assert by_name["clock"]["flags"] == ["clock_off"]
    assert by_name["gaps"]["flags"] == ["gaps"] and by_name["gaps"]["gaps"] == 2
    for key in ("free_disk_mb", "temperature_c", "health_at", "update", "silent", "since_seen_s", "flags"):
        assert all(key in d for d in every), key


def rows_of(page: str) -> list[tuple[str, str]]:
    """(device, flags) of the page's rows; the shared broker's retained statuses of other tests' devices come
    after these six, unassigned (a collector lists every device it hears from)."""
    return re.findall(r'data-device="([^"]+)" data-flags="([^"]*)"', page)[: len(ORDER)]


def test_the_page_says_it_in_arabic_and_in_english(fleet: tuple[str, Store, dict[str, str]]) -> None:
    base, _, ids = fleet
    with sign_in(base, "it-admin", PASSWORD) as client:
        arabic = client.get("/devices").text
        client.get("/lang/en")
        english = client.get("/devices").text
    for page in (arabic, english):
        assert [device for device, _ in rows_of(page)] == [ids[name] for name in ORDER]
        assert ROLLED in page and REFUSED in page
        assert "84.2 °C" in page and "320 MiB" in page
    assert dict(rows_of(arabic))[ids["refused"]] == "low_disk update_failed"
    for word in ("صامت", "لم يظهر قط", "مساحة قليلة", "حرارة عالية", "الساعة غير مضبوطة", "فجوات في التسلسل"):
        assert word in arabic, word
    assert "رُفض التحديث" in arabic and "أُعيد الإصدار السابق" in arabic and "<th>الحرارة</th>" in arabic
    for word in ("Silent", "Never seen", "Low disk", "Hot", "Clock off", "Seq gaps", "Update refused", "Rolled back"):
        assert word in english, word
    assert "<th>Free disk</th>" in english and "<th>Version</th>" in english


playwright_sync = pytest.importorskip("playwright.sync_api")


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")
def test_in_chromium_it_reads_right_to_left_and_fits_a_phone(fleet: tuple[str, Store, dict[str, str]]) -> None:
    base, _, ids = fleet
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(base + "/login")
            page.fill("input[name=name]", "it-admin")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(base + "/today")
            page.goto(base + "/devices")
            assert page.locator("html").get_attribute("dir") == "rtl"
            first = page.locator("table.fleet tbody tr").first
            assert first.get_attribute("data-device") == ids["never"]
            # Right to left: the desk, the table's first column, is at the right.
            desk_box, device_box = (first.locator("td").nth(i).bounding_box() for i in (0, 1))
            assert desk_box["x"] > device_box["x"]
            check_layout(page)
            shoot(page, "fleet", "ar")
            check_phone(page, base, ["/devices"])
            # On a phone each tablet is a card: its figures labelled, its flags beside the desk's name, nothing cut.
            card = page.locator(f'tr[data-device="{ids["refused"]}"]')
            assert card.locator(".flag-low_disk").is_visible() and card.locator(".reason").is_visible()
            assert page.locator("table.fleet thead").is_hidden()
            assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
            shoot(page, "fleet-phone", "ar")
            page.goto(base + "/lang/en?next=/devices")
            check_phone(page, base, ["/devices"])
            context.close()
        finally:
            browser.close()
