"""Same-day alerts: a real desk -> mosquitto -> collector -> a webhook on loopback and the open page's live feed."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from collector.alerts.dispatcher import AlertDispatcher
from collector.alerts.sending import _redact
from collector.alerts.wording import alert_text
from collector.cli import cli
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch, StoredBatch
from collector.people.auth import Accounts
from collector.reports.maths import Calendar
from collector.reviews.rules import closure_from
from collector.service import wire_alerts
from collector.settings import CollectorSettings, SettingsError, load_collector_settings
from collector.store import Store
from collector.web.live_feed import LiveFeed
from device.core import DeviceCore
from shared import topics
from shared.clock import format_time
from shared.contract import Alert, ReasonLabel, parse_message
from tests.collector.conftest import serve_collector
from tests.conftest import wait_until
from tests.support.db_files import alert_log
from tests.support.mqtt_peer import Peer
from tests.support.two_sites_today import desk_config, make_rating, today_start
from tests.support.web_session import sign_in


class Hooks:
    """A webhook receiver on loopback: /ok answers 200, /fail answers 500; every call is kept."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, str, dict[str, Any]]] = []
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                hooks.calls.append((time.monotonic(), self.path, json.loads(body or b"{}")))
                self.send_response(200 if self.path.startswith("/ok") else 500)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"json://127.0.0.1:{self.server.server_address[1]}{path}"

    def to(self, path: str) -> list[tuple[float, str, dict[str, Any]]]:
        return [c for c in self.calls if c[1] == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    receiver = Hooks()
    yield receiver
    receiver.close()


def test_a_negative_rating_reaches_the_webhook_and_the_open_page_within_5_s(
    broker: Any, make_collector: Callable[..., Any], unique_id: Callable[[str], str], hooks: Hooks, tmp_path: Path
) -> None:
    site = unique_id("site")
    ingest = make_collector(alerts={site: {"urls": [hooks.url("/ok/negatives")]}})
    device_id = unique_id("desk")
    ingest.store.devices.register(device_id, desk_config(site, "desk-07"), "2026-11-28T00:00:00.000Z")
    Accounts(ingest.store).add_user("watcher", "supervisor", [site], "watcher-password")
    events: list[tuple[float, str, dict[str, Any]]] = []
    core = DeviceCore(broker.desk_settings(device_id, tmp_path / "desk"))
    with serve_collector(ingest.store, ingest) as base, sign_in(base, "watcher", "watcher-password") as client:
        subscribed = threading.Event()

        def read_events() -> None:
            with client.stream("GET", "/events", timeout=30) as stream:
                kind = None
                for line in stream.iter_lines():
                    subscribed.set()
                    if line.startswith("event: "):
                        kind = line[7:]
                    elif line.startswith("data: ") and kind in ("rating", "negative"):
                        events.append((time.monotonic(), kind, json.loads(line[6:])))
                        if kind == "negative":
                            return

        reader = threading.Thread(target=read_events, daemon=True)
        reader.start()
        assert subscribed.wait(10)
        core.start()
        try:
            core.rate(5, employee_id="E9", lang="ar")
            started = time.monotonic()
            negative = core.rate(1, employee_id="E9", reasons=["staff_courtesy"], visit_id="<b>A-1</b>", lang="ar")
            wait_until(lambda: hooks.to("/ok/negatives"), timeout=5, what="the webhook alert")
            reader.join(5)
        finally:
            core.stop()
    webhook_latency = hooks.to("/ok/negatives")[0][0] - started
    page_latency = next(t for t, kind, _ in events if kind == "negative") - started
    print(f"alert latency: webhook {webhook_latency * 1000:.0f} ms, open page {page_latency * 1000:.0f} ms")
    assert webhook_latency < 5 and page_latency < 5
    _, _, body = hooks.to("/ok/negatives")[0]
    assert negative.id in body["message"] and "1/5" in body["title"] and "E9" in body["message"]
    assert [kind for _, kind, _ in events] == ["rating", "negative"]
    assert events[1][2]["id"] == negative.id and events[1][2]["visit_id"] == "<b>A-1</b>"
    assert events[1][2]["reason_names"] == ["تعامل الموظف"]  # named for the page, in its language
    log = alert_log(ingest.store.path, rating_id=negative.id)
    assert [(e["attempt"], e["ok"], e["kind"]) for e in log] == [(1, 1, "negative")]
    assert len(hooks.calls) == 1  # the positive rating alerted no one


def test_alerts_go_out_with_no_web_app_and_name_the_desks_own_reasons(
    broker: Any, make_collector: Callable[..., Any], unique_id: Callable[[str], str], hooks: Hooks, tmp_path: Path
) -> None:
    site = unique_id("site")
    ingest = make_collector(alerts={site: {"urls": [hooks.url("/ok/no-web")]}})
    alerts = wire_alerts(ingest.settings, ingest.store, ingest)  # what the service does; no FastAPI app at all
    alerts.start()
    device_id = unique_id("desk")
    config = desk_config(site, "desk-04").model_copy(
        update={"reasons": [ReasonLabel(code="staff_courtesy", ar="أسلوب الموظف", en="How staff spoke")]}
    )
    ingest.store.devices.register(device_id, config, "2026-11-28T00:00:00.000Z")
    employee = {"employee_id": "E4", "name_ar": "نورة العتيبي", "name_en": "Noura Alotaibi", "section_id": None}
    ingest.store.employees.save([{**employee, "site_id": site, "active": True}], "t", "2026-11-28T00:00:00.000Z")
    watcher = Peer(broker.port, "taqyeem-collector", broker.collector_password, client_id=unique_id("watcher"))
    core = DeviceCore(broker.desk_settings(device_id, tmp_path / "desk"))
    try:
        watcher.subscribe(topics.alerts(site))
        core.start()
        negative = core.rate(2, employee_id="E4", reasons=["staff_courtesy", "waiting_time"], lang="en")
        alert = parse_message(Alert, watcher.next_message().payload)
        wait_until(lambda: hooks.to("/ok/no-web"), timeout=30, what="the webhook alert")
    finally:
        core.stop()
        watcher.close()
        alerts.stop()
    assert alert.rating_id == negative.id
    _, _, body = hooks.to("/ok/no-web")[0]
    assert negative.id in body["message"] and "2/5" in body["title"]
    # The desk's own label wins; a code its config does not name falls back to the contract's default.
    assert "أسلوب الموظف" in body["message"] and "How staff spoke, Waiting time" in body["message"]
    assert "الموظف نورة العتيبي (E4)" in body["message"] and "employee Noura Alotaibi (E4)" in body["message"]
    assert alert.employee_id == "E4"  # the MQTT Alert is the contract's: ids only


@pytest.mark.parametrize(
    ("employee_id", "names", "ar", "en"),
    [
        ("E4", ("نورة", "Noura"), "الموظف نورة (E4)", "employee Noura (E4)"),
        ("E1004", (None, None), "موظف غير معروف (E1004)", "unknown employee (E1004)"),
        (None, (None, None), "الموظف -", "employee -"),
    ],
)
def test_an_alert_names_the_employee_in_both_languages(
    employee_id: str | None, names: tuple[str | None, str | None], ar: str, en: str
) -> None:
    row = {"id": "r-1", "created_at": "2026-11-28T09:00:00.000Z", "site_id": "s", "desk_id": "d", "score": 1}
    _, body = alert_text({**row, "employee_id": employee_id, "reasons": []}, Calendar.from_settings(), None, names)
    first, second = body.splitlines()
    assert ar in first and en in second


def _dispatcher(
    tmp_path: Path, alerts: dict[str, Any], clock: Callable[[], datetime] | None = None, **extra: Any
) -> tuple[Store, AlertDispatcher]:
    store = Store(tmp_path / "alerts.db")
    values = {
        "broker": "mqtt://127.0.0.1:1",
        "db": tmp_path / "alerts.db",
        "alerts": alerts,
        "alert_retries": 2,
        "alert_retry_s": 0.05,
        **extra,
    }
    settings = CollectorSettings.model_validate(values)
    return store, AlertDispatcher(store, settings, LiveFeed(), clock=clock)


def _store_negatives(store: Store, site: str, count: int) -> list[str]:
    store.devices.register("dev-x", desk_config(site, "desk-03"), "2026-11-28T00:00:00.000Z")
    start = today_start() + timedelta(hours=10)
    ratings = [make_rating("dev-x", i + 1, 1, start + timedelta(minutes=i)) for i in range(count)]
    # Received a minute after the last was made: a right clock, so each counts on the day it was made.
    stored = store_batch(store, Batch(ratings), format_time(start + timedelta(minutes=count + 1)))
    return stored.new_rating_ids


def test_a_failing_channel_is_retried_and_every_attempt_logged(tmp_path: Path, hooks: Hooks) -> None:
    store, dispatcher = _dispatcher(tmp_path, {"*": {"urls": [hooks.url("/fail/teams"), hooks.url("/ok/mail")]}})
    dispatcher.start()
    try:
        ids = _store_negatives(store, "site-z", 1)
        dispatcher.on_stored(StoredBatch(ids, [], []))
        # Not a latency test (that one is above): give a loaded machine time for apprise's first use.
        wait_until(lambda: len(alert_log(store.path)) == 4, timeout=30, what="three attempts and one success")
    finally:
        dispatcher.stop()
        store.close()
    assert len(hooks.to("/fail/teams")) == 3  # the first try and two retries
    assert len(hooks.to("/ok/mail")) == 1
    log = alert_log(tmp_path / "alerts.db")  # read from the file, after the store closed
    assert sorted((e["attempt"], e["ok"]) for e in log) == [(1, 0), (1, 1), (2, 0), (3, 0)]
    assert all(e["error"] for e in log if not e["ok"])
    assert {e["rating_id"] for e in log} == set(ids)


def test_an_unknown_channel_url_is_logged_not_raised(tmp_path: Path) -> None:
    store, dispatcher = _dispatcher(tmp_path, {"site-z": {"urls": ["nonsense://what"]}}, alert_retries=0)
    dispatcher.start()
    try:
        dispatcher.on_stored(StoredBatch(_store_negatives(store, "site-z", 1), [], []))
        wait_until(lambda: alert_log(store.path), timeout=5, what="the failed attempt in the log")
        entry = alert_log(store.path)[0]
        assert entry["ok"] == 0 and "apprise does not understand" in entry["error"]
    finally:
        dispatcher.stop()
        store.close()


def test_the_end_of_day_digest_escalates_unreviewed_negatives_once(tmp_path: Path, hooks: Hooks) -> None:
    evening = today_start() + timedelta(hours=17)  # 17:00 local, after digest_at 16:30
    store, dispatcher = _dispatcher(
        tmp_path, {"site-z": {"manager_urls": [hooks.url("/ok/manager")], "digest_at": "16:30"}}, clock=lambda: evening
    )
    try:
        ids = _store_negatives(store, "site-z", 3)
        store.reviews.close(
            ids[0],
            "sup",
            closure_from("other", "coaching", "done").as_dict(),
            "2026-11-28T11:00:00.000Z",
        )
        assert dispatcher.send_due_digests() == ["site-z"]
        wait_until(lambda: hooks.to("/ok/manager"), timeout=5, what="the digest")
        assert dispatcher.send_due_digests() == []  # once per site and day
        body = hooks.to("/ok/manager")[0][2]
        assert ": 2" in body["title"]
        assert ids[1] in body["message"] and ids[2] in body["message"] and ids[0] not in body["message"]
        wait_until(lambda: alert_log(store.path), timeout=5, what="the digest's log entry (written after it is sent)")
        assert alert_log(store.path)[0]["kind"] == "digest"
    finally:
        dispatcher.stop()
        store.close()


def test_no_digest_before_its_time(tmp_path: Path, hooks: Hooks) -> None:
    morning = today_start() + timedelta(hours=9)
    store, dispatcher = _dispatcher(
        tmp_path, {"site-z": {"manager_urls": [hooks.url("/ok/manager")]}}, clock=lambda: morning
    )
    try:
        _store_negatives(store, "site-z", 1)
        assert dispatcher.send_due_digests() == []
    finally:
        dispatcher.stop()
        store.close()


@pytest.mark.parametrize(
    "url",
    [
        "mailtos://clerk:S3cretPw@smtp.example.org?to=boss@example.org",
        "json://user:S3cretPw@hooks.example.org/S3cretPw",
        "slack://S3cretPw/B0000/C0000",
    ],
)
def test_the_log_never_keeps_a_channel_secret(url: str) -> None:
    assert "S3cretPw" not in _redact(url)


def test_alert_settings_are_strict() -> None:
    with pytest.raises(ValueError, match="digest_at"):
        CollectorSettings(broker="mqtt://x:1", db=Path("x.db"), alerts={"s": {"digest_at": "25:00"}})
    with pytest.raises(ValueError, match="emails"):
        CollectorSettings(broker="mqtt://x:1", db=Path("x.db"), alerts={"s": {"emails": []}})


def _write_secret(path: Path, text: str, mode: int) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


def test_channel_urls_can_come_from_files_kept_out_of_the_toml(tmp_path: Path, hooks: Hooks) -> None:
    negatives = _write_secret(tmp_path / "riyadh.urls", f"# supervisors\n{hooks.url('/ok/from-file')}\n\n", 0o600)
    managers = _write_secret(tmp_path / "riyadh-managers.urls", hooks.url("/ok/manager-file") + "\n", 0o640)
    config = tmp_path / "collector.toml"
    config.write_text(
        'broker = "mqtt://127.0.0.1:1"\n'
        f'db = "{tmp_path / "alerts.db"}"\n'
        "alert_retries = 0\n"
        "[alerts.site-z]\n"
        f'urls = ["{hooks.url("/ok/inline")}"]\n'
        f'urls_file = "{negatives}"\n'
        f'manager_urls_file = "{managers}"\n'
    )
    settings = load_collector_settings(config)
    assert settings.alerts["site-z"].urls == [hooks.url("/ok/inline"), hooks.url("/ok/from-file")]
    shown = repr(settings)  # the URLs (and any secret in them) stay out of reprs and logs
    assert "from-file" not in shown and "inline" not in shown
    evening = today_start() + timedelta(hours=17)
    store = Store(tmp_path / "alerts.db")
    dispatcher = AlertDispatcher(store, settings, LiveFeed(), clock=lambda: evening)
    dispatcher.start()
    try:
        ids = _store_negatives(store, "site-z", 1)
        dispatcher.on_stored(StoredBatch(ids, [], []))
        wait_until(lambda: hooks.to("/ok/from-file") and hooks.to("/ok/inline"), timeout=30, what="both alerts")
        assert dispatcher.send_digest("site-z", evening.date(), wait=True)
        assert len(hooks.to("/ok/manager-file")) == 1
    finally:
        dispatcher.stop()
        store.close()


def test_a_url_file_every_user_may_read_stops_the_collector_with_one_line(tmp_path: Path) -> None:
    secret = _write_secret(tmp_path / "riyadh.urls", "mailtos://alerts:S3cretPw@mail.example\n", 0o644)
    config = tmp_path / "collector.toml"
    config.write_text(
        f'broker = "mqtt://127.0.0.1:1"\ndb = "{tmp_path / "x.db"}"\n[alerts.riyadh-hq]\nurls_file = "{secret}"\n'
    )
    result = CliRunner().invoke(cli, ["collector", "--config", str(config)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert f"chmod 600 {secret}" in result.output and "alerts.riyadh-hq" in result.output
    assert "S3cretPw" not in result.output
    secret.chmod(0o600)
    assert load_collector_settings(config).alerts["riyadh-hq"].urls == ["mailtos://alerts:S3cretPw@mail.example"]
    with pytest.raises(SettingsError, match=r"manager_urls_file: cannot read .*missing\.urls \(No such file"):
        load_collector_settings(config, alerts={"riyadh-hq": {"manager_urls_file": str(tmp_path / "missing.urls")}})


def test_a_negative_call_posted_to_the_api_raises_the_same_alerts_as_a_desks(
    broker: Any, make_collector: Callable[..., Any], unique_id: Callable[[str], str], hooks: Hooks
) -> None:
    site = unique_id("site")
    ingest = make_collector(alerts={site: {"urls": [hooks.url("/ok/calls")]}})
    ingest.store.devices.register(unique_id("desk"), desk_config(site, "desk-03"), "2026-11-28T00:00:00.000Z")
    token = ingest.store.accounts.create_token("ivr", "integration", [site], "2026-11-28T00:00:00.000Z")
    employee = {"employee_id": "E5", "name_ar": "سارة", "name_en": "Sara", "site_id": site, "section_id": None}
    ingest.store.employees.save([{**employee, "active": True}], "hr", "2026-11-28T00:00:00.000Z")
    watcher = Peer(broker.port, "taqyeem-collector", broker.collector_password, client_id=unique_id("watcher"))
    body = {
        "v": 1,
        "id": "0193f0a2-7d3b-7c6a-9a43-2f1b7f3c9e11",
        "site_id": site,
        "desk_id": "desk-03",
        "employee_id": "E5",
        "score": 1,
        "reasons": ["staff_courtesy"],
        "visit_id": "CALL-88",
        "created_at": format_time(datetime.now(UTC)),
    }
    try:
        watcher.subscribe(topics.alerts(site))
        with serve_collector(ingest.store, ingest) as base:
            answer = httpx.post(
                f"{base}/api/v1/ratings", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10
            )
            assert answer.status_code == 201, answer.text
            alert = parse_message(Alert, watcher.next_message().payload)
            wait_until(lambda: hooks.to("/ok/calls"), timeout=10, what="the webhook alert")
    finally:
        watcher.close()
    assert (alert.rating_id, alert.site_id, alert.desk_id, alert.employee_id) == (body["id"], site, "desk-03", "E5")
    _, _, sent = hooks.to("/ok/calls")[0]
    assert body["id"] in sent["message"] and "1/5" in sent["title"] and "CALL-88" in sent["message"]
    assert [(e["attempt"], e["ok"]) for e in alert_log(ingest.store.path, rating_id=body["id"])] == [(1, 1)]
    review = ingest.store.reviews.get(body["id"])
    assert review is not None and review["review"]["status"] == "open"
