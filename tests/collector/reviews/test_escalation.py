"""Owners and escalation against real parts: a desk -> mosquitto -> collector -> the owner's, managers' and
director's own webhooks (a real HTTP server on loopback), with the dispatcher's clock moved, never slept.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from collector.alerts.dispatcher import AlertDispatcher
from collector.fleet.sites import SitesFile, apply_sites
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.ingest.subscriber import Ingest
from collector.people.auth import Accounts
from collector.store import Store
from collector.web.live_feed import LiveFeed
from device.core import DeviceCore
from device.settings import DeviceSettings
from shared.clock import format_time, parse_time
from tests.collector.conftest import serve_collector
from tests.conftest import wait_until
from tests.support.db_files import alert_log
from tests.support.sms_webhook import webhook
from tests.support.two_sites_today import desk_config, make_rating
from tests.support.web_session import sign_in

PASSWORD = "rota-password-1"


class MovableClock:
    """The dispatcher's clock: the real time until a test moves it."""

    def __init__(self) -> None:
        self.at: datetime | None = None

    def __call__(self) -> datetime:
        return self.at or datetime.now().astimezone()


def rota_file(site: str) -> SitesFile:
    return SitesFile.model_validate(
        {
            "sites": [
                {
                    "id": site,
                    "name_ar": "المقر",
                    "name_en": "Headquarters",
                    "sections": [{"id": "men-hall", "name_ar": "قاعة", "name_en": "Hall", "supervisors": ["sara"]}],
                    "desks": [{"id": "desk-07", "name_ar": "مكتب ٧", "name_en": "Desk 7", "section": "men-hall"}],
                    "reviews": {"supervisors": ["khalid"], "managers": ["huda"], "director": "abdullah"},
                }
            ]
        }
    )


def people(store: Store, site: str, port: int) -> None:
    accounts = Accounts(store)
    for name, role, sites in (
        ("sara", "supervisor", [site]),
        ("khalid", "supervisor", [site]),
        ("huda", "supervisor", [site]),
        ("abdullah", "admin", []),
        ("other-site", "supervisor", ["elsewhere"]),
    ):
        accounts.add_user(name, role, sites, PASSWORD, notify_url=f"json://127.0.0.1:{port}/{name}")


def to(received: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    return [json.loads(r["body"]) for r in received if r["path"] == path]


def test_a_negative_goes_to_its_owner_then_escalates_to_managers_and_director_once_each(
    broker: Any, make_collector: Callable[..., Ingest], unique_id: Callable[[str], str], tmp_path: Path
) -> None:
    site, device_id = unique_id("site"), unique_id("desk")
    ingest = make_collector()
    store = ingest.store
    clock = MovableClock()
    with webhook() as (port, received):
        people(store, site, port)
        apply_sites(store, rota_file(site), "2026-11-28T00:00:00.000Z")
        store.devices.register(device_id, desk_config(site, "desk-07", "men-hall"), "2026-11-28T00:00:00.000Z")
        dispatcher: AlertDispatcher[LiveFeed] = AlertDispatcher(store, ingest.settings, LiveFeed(), clock=clock)
        ingest.listeners.append(dispatcher.on_stored)
        dispatcher.start()
        core = DeviceCore(
            DeviceSettings(
                device_id=device_id,
                data_dir=tmp_path / "desk",
                broker=f"mqtt://127.0.0.1:{broker.port}",
                password=broker.add_device(device_id),
            )
        )
        core.start()
        try:
            started = time.monotonic()
            negative = core.rate(1, employee_id="E9", reasons=["staff_courtesy"], lang="ar")
            wait_until(lambda: to(received, "/sara"), timeout=10, what="the owner's alert")
            latency = time.monotonic() - started
        finally:
            core.stop()
        print(f"tap to the owner's webhook: {latency * 1000:.0f} ms")
        owner_alert = to(received, "/sara")[0]
        assert "A review for you" in owner_alert["title"] and f"/reviews/{negative.id}" in owner_alert["message"]
        assert not to(received, "/khalid")  # the section's own turn (sara), not the site's

        review = store.reviews.get(negative.id)
        assert review is not None and review["review"]["owner"] == "sara"
        due = review["review"]["due_at"]
        wait_until(lambda: any(e["kind"] == "alerted" for e in store.reviews.get(negative.id)["history"]), timeout=5)

        clock.at = parse_time(due) + timedelta(minutes=1)  # past due: the managers hear at once
        dispatcher.send_due_escalations(wait=True)
        assert len(to(received, "/huda")) == 1 and not to(received, "/abdullah")
        assert "Overdue review escalated to the managers" in to(received, "/huda")[0]["title"]
        assert f"/reviews/{negative.id}" in to(received, "/huda")[0]["message"]

        director = parse_time(review["review"]["director_at"])
        assert director > clock.at
        clock.at = director + timedelta(minutes=1)  # the next working morning: the director
        dispatcher.send_due_escalations(wait=True)
        dispatcher.stop()
        assert len(to(received, "/abdullah")) == 1 and len(to(received, "/huda")) == 1

        # A restarted collector (a new store and dispatcher on the same file) sends neither again.
        again = Store(store.path)
        try:
            later = AlertDispatcher(again, ingest.settings, LiveFeed(), clock=lambda: director + timedelta(days=3))
            assert later.send_due_escalations(wait=True) == []
            later.stop()
        finally:
            again.close()
        assert len(to(received, "/abdullah")) == 1 and len(to(received, "/huda")) == 1

        kinds = [e["kind"] for e in store.reviews.get(negative.id)["history"]]
        assert kinds[:2] == ["opened", "assigned"] and kinds.count("escalated") == 2
        log = alert_log(store.path, rating_id=negative.id)
        assert {(e["kind"], e["ok"]) for e in log} >= {("owner", 1), ("escalation", 1)}


def test_a_collector_that_was_down_catches_up_on_both_steps_once(
    make_collector: Callable[..., Ingest], unique_id: Callable[[str], str]
) -> None:
    site = unique_id("site")
    ingest = make_collector()
    store = ingest.store
    with webhook() as (port, received):
        people(store, site, port)
        apply_sites(store, rota_file(site), "2026-11-28T00:00:00.000Z")
        store.devices.register("dev-r", desk_config(site, "desk-07", "men-hall"), "2026-11-28T00:00:00.000Z")
        came_in = parse_time("2026-12-08T07:00:00.000Z")  # Tuesday 10:00 in Riyadh
        stored = store_batch(store, Batch(ratings=[make_rating("dev-r", 1, 1, came_in)]), format_time(came_in))
        rating_id = stored.new_rating_ids[0]
        # Down until Sunday: both steps are due; they go out in order, once.
        sunday = lambda: parse_time("2026-12-13T06:00:00.000Z")  # noqa: E731
        dispatcher: AlertDispatcher[LiveFeed] = AlertDispatcher(store, ingest.settings, LiveFeed(), clock=sunday)
        assert dispatcher.send_due_escalations(wait=True) == [(rating_id, "managers"), (rating_id, "director")]
        assert dispatcher.send_due_escalations(wait=True) == []
        dispatcher.stop()
        assert len(to(received, "/huda")) == 1 and len(to(received, "/abdullah")) == 1
        escalations = store.review_owners.escalations([rating_id])[rating_id]
        assert [e["to"] for e in escalations] == ["managers", "director"]


def test_a_review_is_reassigned_only_to_someone_who_may_review_its_site(
    make_collector: Callable[..., Ingest], unique_id: Callable[[str], str]
) -> None:
    site = unique_id("site")
    ingest = make_collector()
    store = ingest.store
    people(store, site, 9)
    apply_sites(store, rota_file(site), "2026-11-28T00:00:00.000Z")
    store.devices.register("dev-r", desk_config(site, "desk-07", "men-hall"), "2026-11-28T00:00:00.000Z")
    now = datetime.now().astimezone()
    rating_id = store_batch(store, Batch(ratings=[make_rating("dev-r", 1, 2, now)]), format_time(now)).new_rating_ids[0]
    with serve_collector(store) as base, sign_in(base, "khalid", PASSWORD) as client:
        token = client.get("/reviews").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        headers = {"X-CSRF-Token": token}
        refused = client.post(f"/api/v1/reviews/{rating_id}/assign", json={"owner": "other-site"}, headers=headers)
        assert refused.status_code == 422 and "may not review site" in refused.json()["detail"]
        nobody = client.post(f"/api/v1/reviews/{rating_id}/assign", json={"owner": "nobody"}, headers=headers)
        assert nobody.status_code == 422
        assert store.reviews.get(rating_id)["review"]["owner"] == "sara"  # nothing half-stored
        dispatcher: AlertDispatcher[LiveFeed] = AlertDispatcher(store, ingest.settings, LiveFeed())
        done = client.post(f"/api/v1/reviews/{rating_id}/assign", json={"owner": "huda"}, headers=headers)
        assert done.status_code == 200 and done.json()["owner"] == "huda"
        listed = client.get("/api/v1/reviews").json()["reviews"]
        item = next(i for i in listed if i["rating"]["id"] == rating_id)
        assert {"owner", "due_at", "overdue", "escalations", "events"} <= set(item)
        assert item["owner"] == "huda" and item["overdue"] is False and item["escalations"] == []
        assigned = [e for e in item["events"] if e["kind"] == "assigned"]
        assert [(e["by"], e["data"]["owner"]) for e in assigned] == [("rota", "sara"), ("khalid", "huda")]
        assert all(set(e) >= {"kind", "at", "by"} for e in item["events"])
        # The new owner is told (the dispatcher looks every 20 s; here at once), once.
        with webhook() as (port, received):
            Accounts(store).set_notify("huda", f"json://127.0.0.1:{port}/huda")
            assert dispatcher.send_reassignment_alerts(wait=True) == ["huda"]
            assert dispatcher.send_reassignment_alerts(wait=True) == []
            assert "A review for you" in to(received, "/huda")[0]["title"]
        dispatcher.stop()
