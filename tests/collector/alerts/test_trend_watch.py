"""Trend alerts on real parts: a real SQLite store and its rollups, a webhook on loopback, and a desk tablet
rating through real mosquitto to a collector that publishes the trend on the site's alerts topic.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from collector.alerts.dispatcher import AlertDispatcher
from collector.fleet.sites import apply_sites, load_sites_file
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.service import wire_alerts
from collector.settings import CollectorSettings
from collector.store import Store
from collector.web.live_feed import LiveFeed
from device.core import DeviceCore
from device.settings import DeviceSettings
from shared import topics
from shared.clock import format_time
from shared.contract import Alert, parse_message
from tests.collector.alerts.test_dispatcher import Hooks, hooks  # noqa: F401 - the webhook receiver fixture
from tests.conftest import wait_until
from tests.support.db_files import alert_log
from tests.support.mqtt_peer import Peer
from tests.support.two_sites_today import desk_config, make_rating, today_start

NOON = today_start() + timedelta(hours=13)


def _sites_file(path: Path, site: str, trends: str) -> Path:
    path.write_text(
        f'[[sites]]\nid = "{site}"\nname_ar = "المقر"\nname_en = "HQ"\n\n[sites.trends]\n{trends}\n', encoding="utf-8"
    )
    return path


def _dispatcher(store: Store, tmp_path: Path, site: str, hook: str) -> AlertDispatcher[LiveFeed]:
    settings = CollectorSettings.model_validate(
        {"broker": "mqtt://127.0.0.1:1", "db": store.path, "alerts": {site: {"manager_urls": [hook]}}}
    )
    return AlertDispatcher(store, settings, LiveFeed(), clock=lambda: NOON)


def test_a_desk_below_its_sites_month_and_a_site_over_its_share_are_told_once_a_day_even_across_a_restart(
    tmp_path: Path, hooks: Hooks  # noqa: F811
) -> None:
    site = "trend-site"
    store = Store(tmp_path / "trends.db")
    trends = "desk_min_n = 5\ndesk_mean_margin = 1.0\nsite_min_n = 5\nsite_share_negative = 0.5"
    apply_sites(store, load_sites_file(_sites_file(tmp_path / "sites.toml", site, trends)), format_time(NOON))
    store.devices.register("dev-a", desk_config(site, "desk-01"), "2026-01-01T00:00:00.000Z")
    store.devices.register("dev-b", desk_config(site, "desk-02"), "2026-01-01T00:00:00.000Z")
    ten_days_ago = NOON - timedelta(days=10)
    month = [make_rating("dev-a", i + 1, 5, ten_days_ago + timedelta(minutes=i)) for i in range(20)]
    store_batch(store, Batch(ratings=month), format_time(ten_days_ago + timedelta(hours=1)))
    today = [make_rating("dev-b", i + 1, 1, NOON - timedelta(minutes=30 - i), employee_id=None) for i in range(6)]
    stored = store_batch(store, Batch(ratings=today), format_time(NOON))

    dispatcher = _dispatcher(store, tmp_path, site, hooks.url("/ok/managers"))
    rows = store.ratings.by_ids(stored.new_rating_ids)
    found = dispatcher.trends.findings(rows, NOON)
    assert sorted((f.rule, f.subject, f.value, f.threshold, f.n) for f in found) == [
        ("desk_mean_drop", "desk-02", 1.0, 4.0, 6),  # the site's 30 days: a mean of 5.0, less the margin
        ("site_share_negative", site, 1.0, 0.5, 6),
    ]
    assert dispatcher.trends.findings(rows, NOON + timedelta(hours=1)) == []  # once a day

    restarted = _dispatcher(store, tmp_path, site, hooks.url("/ok/managers"))
    later = [make_rating("dev-b", 7, 1, NOON + timedelta(minutes=5), employee_id=None)]
    again = store_batch(store, Batch(ratings=later), format_time(NOON + timedelta(minutes=6)))
    assert restarted.trends.findings(store.ratings.by_ids(again.new_rating_ids), NOON + timedelta(minutes=6)) == []
    assert [(t["rule"], t["subject"]) for t in store.trends.sent(site)] == [
        ("desk_mean_drop", "desk-02"), ("site_share_negative", site),
    ]  # fmt: skip


def test_the_findings_go_to_the_sites_managers_and_are_logged_as_trend_alerts(
    tmp_path: Path, hooks: Hooks  # noqa: F811
) -> None:
    site = "trend-site"
    store = Store(tmp_path / "trends.db")
    apply_sites(store, load_sites_file(_sites_file(tmp_path / "s.toml", site, "site_min_n = 3")), format_time(NOON))
    store.devices.register("dev-b", desk_config(site, "desk-02"), "2026-01-01T00:00:00.000Z")
    ratings = [make_rating("dev-b", i + 1, 1, NOON - timedelta(minutes=9 - i), employee_id=None) for i in range(3)]
    stored = store_batch(store, Batch(ratings=ratings), format_time(NOON))
    dispatcher = _dispatcher(store, tmp_path, site, hooks.url("/ok/managers"))
    dispatcher.start()
    try:
        dispatcher.on_stored(stored)
        wait_until(lambda: hooks.to("/ok/managers"), timeout=10, what="the managers' trend alert")
    finally:
        dispatcher.stop()
    _, _, body = hooks.to("/ok/managers")[0]
    ar, en = body["message"].splitlines()
    assert "نسبة التقييمات السلبية اليوم 100%" in ar and en.startswith("today's share of negative ratings 100%")
    assert [(e["kind"], e["ok"], e["site_id"]) for e in alert_log(store.path)] == [("trend", 1, site)]


def test_an_employees_third_negative_within_two_hours_reaches_the_managers_and_the_alerts_topic(
    broker: Any,
    make_collector: Callable[..., Any],
    unique_id: Callable[[str], str],
    hooks: Hooks,  # noqa: F811
    tmp_path: Path,
) -> None:
    site = unique_id("site")
    ingest = make_collector(alerts={site: {"manager_urls": [hooks.url("/ok/managers")]}})
    # The defaults (3 negatives in 2 hours); the site's share rule set out of reach for this test.
    apply_sites(ingest.store, load_sites_file(_sites_file(tmp_path / "s.toml", site, "site_min_n = 10000")), "x")
    alerts = wire_alerts(ingest.settings, ingest.store, ingest)
    alerts.start()
    device_id = unique_id("desk")
    ingest.store.devices.register(device_id, desk_config(site, "desk-05"), "2026-11-28T00:00:00.000Z")
    watcher = Peer(broker.port, "taqyeem-collector", broker.collector_password, client_id=unique_id("watcher"))
    core = DeviceCore(
        DeviceSettings(
            device_id=device_id,
            data_dir=tmp_path / "desk",
            broker=f"mqtt://127.0.0.1:{broker.port}",
            password=broker.add_device(device_id),
        )
    )
    try:
        watcher.subscribe(topics.alerts(site))
        core.start()
        received = []
        for _ in range(3):
            core.rate(1, employee_id="E9", reasons=["waiting_time"], lang="ar")
            received.append(parse_message(Alert, watcher.next_message().payload))
        received.append(parse_message(Alert, watcher.next_message().payload))
        wait_until(lambda: hooks.to("/ok/managers"), timeout=10, what="the managers' trend alert")
    finally:
        core.stop()
        watcher.close()
        alerts.stop()
    assert [a.kind for a in received] == ["negative", "negative", "negative", "trend"]
    trend = received[-1]
    assert (trend.rule, trend.employee_id, trend.window, trend.value, trend.threshold) == (
        "employee_negatives", "E9", "PT2H", 3, 3,
    )  # fmt: skip
    assert trend.rating_id is None and trend.site_id == site
    _, _, body = hooks.to("/ok/managers")[0]
    assert "E9" in body["message"] and "3 negative ratings within 120 minutes" in body["message"]
