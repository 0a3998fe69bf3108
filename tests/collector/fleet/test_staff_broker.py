"""A desk's retained config carries its site's staff (real mosquitto): from the CLI and the running collector."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from collector.cli import cli
from collector.fleet.config_publisher import connect_config_publisher
from collector.fleet.provisioning import register_device, resolve_desk_config
from collector.fleet.sites import apply_sites, load_sites_file
from collector.ingest.subscriber import Ingest
from collector.store import Store
from shared import topics
from shared.broker_url import parse_broker_url
from shared.contract import DeviceConfig
from shared.pins import verify_pin
from tests.collector.conftest import serve_collector
from tests.conftest import RunningBroker
from tests.support.mqtt_peer import Peer

NOW = "2026-11-28T09:00:00.000Z"
SITES = """
[[sites]]
id = "riyadh-hq"
name_ar = "المقر الرئيسي"
name_en = "Riyadh headquarters"

  [[sites.desks]]
  id = "desk-01"
  name_ar = "مكتب ١"
  name_en = "Desk 1"
  sign_out_idle_min = 15
  closes_at = "15:30"

  [[sites.employees]]
  id = "E1042"
  name_ar = "نورة العتيبي"
  name_en = "Noura Alotaibi"
"""


def retained(broker: RunningBroker, device_id: str) -> DeviceConfig:
    """The device's retained config as the broker holds it now (a fresh subscription gets it)."""
    peer = Peer(broker.port, "taqyeem-collector", broker.collector_password, client_id=f"reader-{device_id}")
    try:
        peer.subscribe(topics.config(device_id))
        return DeviceConfig.model_validate_json(peer.next_message(timeout=5).payload)
    finally:
        peer.close()


@pytest.fixture
def db(tmp_path: Path, broker: RunningBroker) -> Path:
    path = tmp_path / "taqyeem.db"
    sites = tmp_path / "sites.toml"
    sites.write_text(SITES)
    store = Store(path)
    try:
        apply_sites(store, load_sites_file(sites), NOW)
    finally:
        store.close()
    return path


def _register(db: Path, broker: RunningBroker) -> str:
    """A device for desk-01, registered and sent its config as HQ does (its account is not needed here)."""
    store = Store(db)
    try:
        with connect_config_publisher(parse_broker_url(broker.collector_url())) as publisher:
            config = resolve_desk_config(store, "riyadh-hq", "desk-01")
            return register_device(store, publisher, config=config, actor="it", now=NOW)
    finally:
        store.close()


def test_a_new_desk_gets_its_sites_staff_and_its_sign_out_settings(db: Path, broker: RunningBroker) -> None:
    device_id = _register(db, broker)
    config = retained(broker, device_id)
    assert [(m.employee_id, m.name_ar, m.pin_hash) for m in config.staff] == [("E1042", "نورة العتيبي", None)]
    assert (config.sign_out_idle_min, config.closes_at) == (15, "15:30")


def test_the_cli_sends_an_import_and_a_pin_to_the_desks_through_the_broker(
    tmp_path: Path, db: Path, broker: RunningBroker
) -> None:
    device_id = _register(db, broker)
    password_file = tmp_path / "broker-password"
    password_file.write_text(broker.collector_password + "\n")
    config_file = tmp_path / "collector.toml"
    config_file.write_text(
        f'broker = "mqtt://taqyeem-collector@127.0.0.1:{broker.port}"\ndb = "{db}"\n'
        f'broker_password_file = "{password_file}"\n'
    )
    hr = tmp_path / "hr.csv"
    hr.write_text(
        "employee_id,name_ar,name_en,site_id,section_id,active\nE1043,خالد الحربي,Khalid Alharbi,riyadh-hq,,1\n"
    )
    runner = CliRunner()

    imported = runner.invoke(cli, ["employees", "import", str(hr), "--config", str(config_file)])
    assert imported.exit_code == 0, imported.output
    assert f"sent the new staff list to device {device_id}" in imported.output
    assert [m.employee_id for m in retained(broker, device_id).staff] == ["E1042", "E1043"]

    pinned = runner.invoke(cli, ["employees", "pin", "E1043", "--config", str(config_file)], input="97531\n")
    assert pinned.exit_code == 0, pinned.output
    member = retained(broker, device_id).staff_member("E1043")
    assert member is not None and verify_pin("97531", member.pin_hash) and "97531" not in (member.pin_hash or "")

    hr.write_text(hr.read_text().replace(",1\n", ",0\n"))
    assert runner.invoke(cli, ["employees", "import", str(hr), "--config", str(config_file)]).exit_code == 0
    assert [m.employee_id for m in retained(broker, device_id).staff] == ["E1042"]  # inactive: off the desk


def test_a_put_to_the_running_collector_reaches_the_desks(
    db: Path, broker: RunningBroker, make_collector: Callable[..., Ingest]
) -> None:
    device_id = _register(db, broker)
    ingest = make_collector(db)
    token = ingest.store.accounts.create_token("hr", "admin", [], NOW)
    with serve_collector(ingest.store, ingest) as base:
        response = httpx.put(
            f"{base}/api/v1/employees/E2001",
            json={"name_ar": "سارة القحطاني", "name_en": "Sara Alqahtani", "site_id": "riyadh-hq"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 201, response.text
    assert [m.name_en for m in retained(broker, device_id).staff] == ["Noura Alotaibi", "Sara Alqahtani"]
    assert ingest.store.devices.config(device_id).staff == []  # type: ignore[union-attr]  # kept without staff
