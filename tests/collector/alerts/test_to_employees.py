"""An employee's own alerts: a negative rating of theirs reaches their account's apprise URL, in their language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from collector.alerts.dispatcher import AlertDispatcher
from collector.alerts.to_employees import employee_alert_text, employee_alerts
from collector.ingest.batch_records import StoredBatch
from collector.people.auth import Accounts
from collector.reports.maths import Calendar
from collector.settings import CollectorSettings
from collector.store import Store
from collector.web.live_feed import LiveFeed
from tests.collector.alerts.test_dispatcher import Hooks, _store_negatives
from tests.conftest import wait_until
from tests.support.db_files import alert_log


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    receiver = Hooks()
    yield receiver
    receiver.close()


def dispatcher(tmp_path: Path, retries: int = 2) -> tuple[Store, AlertDispatcher]:
    """No site channels at all: only the employees' own URLs are told."""
    store = Store(tmp_path / "alerts.db")
    values = {
        "broker": "mqtt://127.0.0.1:1",
        "db": tmp_path / "alerts.db",
        "alert_retries": retries,
        "alert_retry_s": 0.05,
    }
    return store, AlertDispatcher(store, CollectorSettings.model_validate(values), LiveFeed())


def test_a_negative_rating_reaches_its_employee_in_their_language_and_no_one_else(tmp_path: Path, hooks: Hooks) -> None:
    store, alerts = dispatcher(tmp_path)
    accounts = Accounts(store)
    accounts.add_user("huda", "employee", [], "huda-password-1", lang="en", employee_id="E1")
    accounts.set_notify("huda", hooks.url("/ok/huda"))
    accounts.add_user("omar", "employee", [], "omar-password-1", employee_id="E2")
    accounts.set_notify("omar", hooks.url("/ok/omar"))
    alerts.start()
    try:
        ids = _store_negatives(store, "site-z", 2)  # both E1's (make_rating's default employee)
        alerts.on_stored(StoredBatch(ids, [], []))
        # The log is written after the hook answered: wait for it, not for the hook.
        wait_until(lambda: len(alert_log(store.path)) == 2, timeout=30, what="huda's two alerts, logged")
    finally:
        alerts.stop()
        store.close()
    assert hooks.to("/ok/omar") == []
    bodies = [call[2] for call in hooks.to("/ok/huda")]
    assert {b["title"] for b in bodies} == {"A negative rating for you: 1/5"}
    assert all("Desk 03" in b["message"] and "Waiting time" in b["message"] for b in bodies)
    assert not any("E1" in b["message"] for b in bodies)  # they know who they are; no one else's number
    log = alert_log(tmp_path / "alerts.db")
    assert sorted(e["rating_id"] for e in log) == sorted(ids)
    assert {(e["kind"], e["channel"], e["ok"]) for e in log} == {
        ("negative", f"employee huda: json://127.0.0.1:{hooks.server.server_address[1]}", 1)
    }


def test_an_employees_failing_url_is_retried_and_logged_and_a_disabled_account_is_not_told(
    tmp_path: Path, hooks: Hooks
) -> None:
    store, alerts = dispatcher(tmp_path, retries=1)
    accounts = Accounts(store)
    accounts.add_user("huda", "employee", [], "huda-password-1", employee_id="E1")
    accounts.set_notify("huda", hooks.url("/fail/huda"))
    alerts.start()
    try:
        first = _store_negatives(store, "site-z", 1)
        alerts.on_stored(StoredBatch(first, [], []))
        wait_until(lambda: len(alert_log(store.path)) == 2, timeout=30, what="the try and its retry")
        row = store.ratings.by_ids(first)[0]
        assert [a.account for a in employee_alerts(store, row, alerts.calendar)] == ["huda"]
        accounts.set_disabled("huda", True)
        assert employee_alerts(store, row, alerts.calendar) == []
        assert employee_alerts(store, {**row, "negative": False}, alerts.calendar) == []
    finally:
        alerts.stop()
        store.close()
    log = alert_log(tmp_path / "alerts.db")
    assert sorted((e["attempt"], e["ok"], e["rating_id"]) for e in log) == [(1, 0, first[0]), (2, 0, first[0])]
    assert all(e["error"] for e in log)
    assert len(hooks.to("/fail/huda")) == 2


def test_the_employees_alert_reads_in_arabic() -> None:
    row = {"created_at": "2026-11-28T09:15:02.123Z", "score": 2, "desk_id": "desk-07", "reasons": ["waiting_time"]}
    title, body = employee_alert_text(row, Calendar.from_settings(), "ar")
    assert title == "تقييم سلبي لك 2/5"
    assert body.startswith("قيّمك أحد المراجعين 2 من 5 الساعة 12:15 في desk-07. الأسباب: وقت الانتظار.")
