"""Each tablet's latest health and update report, kept from its Status (store/device_health.py)."""

from __future__ import annotations

from pathlib import Path

from collector.store import Store
from collector.store.connection import open_database
from collector.store.migrations import MIGRATIONS, migrate
from shared.contract import DeviceConfig, Status
from shared.releases import UpdateReport
from tests.support.db_files import execute, query

AT = "2026-11-28T09:15:03.000Z"
LATER = "2026-11-28T09:15:33.000Z"
CONFIG = DeviceConfig(site_id="riyadh-hq", desk_id="desk-12", desk_name_ar="مكتب ١٢", desk_name_en="Desk 12")


def row(store: Store, device_id: str = "riyadh-hq-d12") -> dict[str, object]:
    return next(d for d in store.devices.all() if d["device_id"] == device_id)


def test_a_status_keeps_free_disk_temperature_and_the_update_report(store: Store) -> None:
    store.devices.register("riyadh-hq-d12", CONFIG, AT)
    fresh = row(store)
    assert (fresh["free_disk_mb"], fresh["temperature_c"], fresh["health_at"], fresh["update"]) == (
        None,
        None,
        None,
        None,
    )
    report = UpdateReport(version="0.2.0", state="downloading", at=AT)
    status = Status(state="online", at=AT, free_disk_mb=3_210, temperature_c=61.3, update=report)
    store.devices.record_status("riyadh-hq-d12", status, AT, live=True)
    seen = row(store)
    assert (seen["free_disk_mb"], seen["temperature_c"], seen["health_at"]) == (3_210, 61.3, AT)
    assert seen["update"] == {"version": "0.2.0", "state": "downloading", "reason": None, "at": AT}
    assert not any(key.startswith("update_") for key in seen)


def test_the_last_will_keeps_the_last_figures_and_a_rollback_stays_after_a_restart(store: Store) -> None:
    rolled = UpdateReport(version="0.2.0", state="rolled_back", reason="did not come online within 180 s", at=AT)
    status = Status(state="online", at=AT, free_disk_mb=420, temperature_c=82.0, update=rolled)
    store.devices.record_status("riyadh-hq-d12", status, AT, live=True)
    store.devices.record_status("riyadh-hq-d12", Status(state="offline"), LATER, live=True)  # the will: no figures
    gone = row(store)
    assert (gone["state"], gone["free_disk_mb"], gone["temperature_c"], gone["health_at"]) == ("offline", 420, 82.0, AT)
    # Back online without an update report (the previous version runs): the rollback and its reason stay.
    store.devices.record_status("riyadh-hq-d12", Status(state="online", at=LATER, free_disk_mb=400), LATER, live=True)
    back = row(store)
    assert (back["free_disk_mb"], back["temperature_c"], back["health_at"]) == (400, None, LATER)  # no zone read now
    assert back["update"] == {
        "version": "0.2.0",
        "state": "rolled_back",
        "reason": "did not come online within 180 s",
        "at": AT,
    }
    # A new report replaces the old whole: no stale reason on a new state.
    done = UpdateReport(version="0.2.1", state="done", at=LATER)
    store.devices.record_status("riyadh-hq-d12", Status(state="online", at=LATER, update=done), LATER, live=True)
    assert row(store)["update"] == {"version": "0.2.1", "state": "done", "reason": None, "at": LATER}


def test_a_database_made_before_the_step_gains_the_columns_and_keeps_its_devices(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        migrate(db, MIGRATIONS[:17])
    finally:
        db.close()
    execute(db_path, "INSERT INTO devices (device_id, state, app_version) VALUES ('riyadh-hq-d12', 'online', '0.1.0')")
    store = Store(db_path)
    try:
        old = row(store)
        assert (old["app_version"], old["free_disk_mb"], old["update"]) == ("0.1.0", None, None)
    finally:
        store.close()
    columns = {c["name"] for c in query(db_path, "SELECT name FROM pragma_table_info('devices')")}
    assert {"free_disk_mb", "temperature_c", "health_at", "update_version", "update_state", "update_reason"} <= columns
