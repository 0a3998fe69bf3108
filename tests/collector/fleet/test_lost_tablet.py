"""A lost tablet, through real parts: what its outbox holds, and withdrawing the PINs it held.

Real mosquitto (the tablets over TLS with their own accounts), real DeviceCores
with their outboxes, the collector's store, and the ``taqyeem devices revoke --lost``
command. A desk's config carries only the PIN hashes of the staff of its section
and of the staff with no section; revoking a lost desk with ``--lost`` withdraws
exactly those, and the other desks learn it through the broker.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import cli
from collector.fleet.config_publisher import connect_config_publisher
from collector.fleet.provisioning import register_device, resolve_desk_config
from collector.fleet.registry import set_employee_pin
from collector.fleet.sites import apply_sites, load_sites_file
from collector.fleet.staff import site_staff
from collector.store import Store
from device.core import DeviceCore
from device.outbox import Outbox
from device.settings import DeviceSettings
from shared.broker_url import parse_broker_url
from shared.pins import verify_pin
from tests.conftest import RunningBroker, wait_until

NOW = "2026-12-07T09:00:00.000Z"
SITES = """
[[sites]]
id = "riyadh-hq"
name_ar = "المقر الرئيسي"
name_en = "Riyadh headquarters"

  [[sites.sections]]
  id = "men-hall"
  name_ar = "قاعة الرجال"
  name_en = "Men's hall"

  [[sites.sections]]
  id = "women-hall"
  name_ar = "قاعة النساء"
  name_en = "Women's hall"

  [[sites.desks]]
  id = "desk-01"
  section = "men-hall"
  name_ar = "مكتب ١"
  name_en = "Desk 1"

  [[sites.desks]]
  id = "desk-02"
  section = "women-hall"
  name_ar = "مكتب ٢"
  name_en = "Desk 2"

  [[sites.employees]]
  id = "E1"
  name_ar = "خالد"
  name_en = "Khalid"
  section = "men-hall"

  [[sites.employees]]
  id = "E2"
  name_ar = "نورة"
  name_en = "Noura"
  section = "women-hall"

  [[sites.employees]]
  id = "E3"
  name_ar = "فهد"
  name_en = "Fahd"
"""
PINS = {"E1": "4071", "E2": "5820", "E3": "6194"}


@pytest.fixture
def centre(tmp_path: Path, broker: RunningBroker) -> Iterator[tuple[Path, dict[str, DeviceCore]]]:
    """The site applied, every PIN set, a tablet registered and running at each desk, configs received."""
    db = tmp_path / "taqyeem.db"
    (tmp_path / "sites.toml").write_text(SITES)
    store = Store(db)
    cores: dict[str, DeviceCore] = {}
    try:
        apply_sites(store, load_sites_file(tmp_path / "sites.toml"), NOW)
        for employee_id, pin in PINS.items():
            set_employee_pin(store, employee_id, pin, actor="it", now=NOW, publisher=None)  # no desks yet
        with connect_config_publisher(parse_broker_url(broker.collector_url())) as publisher:
            for desk in ("desk-01", "desk-02"):
                config = resolve_desk_config(store, "riyadh-hq", desk)
                device_id = register_device(store, publisher, config=config, actor="it", now=NOW)
                settings = DeviceSettings(
                    device_id=device_id,
                    data_dir=tmp_path / desk,
                    broker=f"mqtts://localhost:{broker.tls_port}",
                    password=broker.add_device(device_id),
                    ca_file=broker.ca_file,
                )
                cores[desk] = DeviceCore(settings)
                cores[desk].start()
    finally:
        store.close()
    try:
        for core in cores.values():
            wait_until(lambda c=core: c.config.staff, what="the desk's config through the broker")  # type: ignore[misc]
        yield db, cores
    finally:
        for core in cores.values():
            core.stop()


def held_hashes(outbox_dir: Path, device_id: str) -> dict[str, str | None]:
    """What a thief reads from a tablet's outbox file: each listed employee's PIN hash."""
    outbox = Outbox(outbox_dir / "outbox.db", device_id)
    try:
        config = outbox.load_config()
        assert config is not None
        return {m.employee_id: m.pin_hash for m in config.staff}
    finally:
        outbox.close()


def test_a_tablet_holds_only_the_hashes_of_its_sections_staff_and_the_sectionless(
    centre: tuple[Path, dict[str, DeviceCore]],
) -> None:
    _, cores = centre
    lost = cores["desk-01"]
    lost.stop()
    hashes = held_hashes(lost.settings.data_dir, lost.settings.device_id)
    assert sorted(hashes) == ["E1", "E3"]  # not E2, of the women's hall
    assert verify_pin(PINS["E1"], hashes["E1"]) and verify_pin(PINS["E3"], hashes["E3"])
    assert sorted(m.employee_id for m in cores["desk-02"].config.staff) == ["E2", "E3"]


def test_revoking_a_lost_tablet_withdraws_exactly_the_pins_it_held_and_the_other_desks_learn_it(
    tmp_path: Path, broker: RunningBroker, centre: tuple[Path, dict[str, DeviceCore]]
) -> None:
    db, cores = centre
    lost, other = cores["desk-01"].settings.device_id, cores["desk-02"]
    assert broker.local.process is not None
    pid_file = tmp_path / "mosquitto.pid"
    pid_file.write_text(f"{broker.local.process.pid}\n")
    args = ["--db", str(db), "--broker", broker.collector_url(), "--passwd-file", str(broker.local.password_file)]
    revoked = CliRunner().invoke(
        cli, ["devices", "revoke", "--lost", "--device", lost, *args, "--mosquitto-pid-file", str(pid_file)]
    )

    assert revoked.exit_code == 0, revoked.output
    assert "Withdrew the PINs of 2 employee(s) whose hashes it held: E1, E3." in revoked.output
    assert f"sent the new staff list to device {other.settings.device_id}" in revoked.output
    wait_until(lambda: cores["desk-01"].connected is False, what="the lost tablet to be cut off")
    store = Store(db)
    try:
        state = store.employees.state()
        assert [state[e]["pin_hash"] is None for e in ("E1", "E2", "E3")] == [True, False, True]
        assert store.employees.events("E3")[0]["kind"] == "pin_withdrawn"
    finally:
        store.close()
    # The desk still in service hears it through the broker: E3's old PIN signs in nowhere, E2's still works.
    wait_until(lambda: other.config.staff_member("E3").pin_withdrawn, what="the new staff list")  # type: ignore[union-attr]
    assert other.config.staff_member("E3").pin_hash is None  # type: ignore[union-attr]
    assert other.sign_in_with_pin("E3", PINS["E3"]) is None
    assert other.sign_in_with_pin("E2", PINS["E2"]) is True

    again = CliRunner().invoke(
        cli, ["devices", "revoke", "--lost", "--device", lost, *args, "--mosquitto-pid-file", str(pid_file)]
    )
    assert again.exit_code == 0 and "no PIN was withdrawn" in again.output  # run twice: nothing more to do


def test_after_the_upgrade_sites_apply_republish_trims_a_tablet_still_holding_its_whole_site(
    tmp_path: Path, broker: RunningBroker, centre: tuple[Path, dict[str, DeviceCore]]
) -> None:
    db, cores = centre
    desk = cores["desk-01"]
    store = Store(db)
    try:  # what a 1.1 collector had sent it: the whole site, every hash
        whole_site = [r.member for r in site_staff(store, "riyadh-hq")]
        with connect_config_publisher(parse_broker_url(broker.collector_url())) as publisher:
            publisher.publish(desk.settings.device_id, desk.config.model_copy(update={"staff": whole_site}))
    finally:
        store.close()
    wait_until(lambda: len(desk.config.staff) == 3, what="the 1.1 config")
    args = [str(tmp_path / "sites.toml"), "--db", str(db), "--broker", broker.collector_url()]

    plain = CliRunner().invoke(cli, ["sites", "apply", *args])
    assert plain.exit_code == 0 and "no changes" in plain.output and "sent" not in plain.output
    again = CliRunner().invoke(cli, ["sites", "apply", *args, "--republish"])

    assert again.exit_code == 0, again.output
    assert f"sent the new config to device {desk.settings.device_id}" in again.output
    wait_until(lambda: sorted(m.employee_id for m in desk.config.staff) == ["E1", "E3"], what="the trimmed roster")
