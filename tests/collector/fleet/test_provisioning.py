"""Provisioning against a real mosquitto: bundles, TLS, the ACL, replace and revoke, sites.toml, the QR code."""

from __future__ import annotations

import base64
import json
import ssl
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner, Result
from PIL import Image

from collector.cli import cli
from collector.cli.invocation import actor
from collector.fleet.broker import PasswordFileAdmin
from collector.fleet.config_publisher import RetainedConfigPublisher, connect_config_publisher
from collector.fleet.enrolment import Bundle, BundleOptions, Enrolment, write_bundle
from collector.fleet.provisioning import (
    ProvisioningError,
    provision_account,
    provision_device,
    register_device,
    replace_device,
    resolve_desk_config,
    revoke_account,
    revoke_device,
)
from collector.fleet.sites import SitesFileError, apply_sites, load_sites_file
from collector.store import Store
from device.core import DeviceCore
from device.settings import load_device_settings
from shared import topics
from shared.broker_url import parse_broker_url
from shared.contract import DeviceConfig
from tests.conftest import RunningBroker, wait_until
from tests.support.db_files import count
from tests.support.mqtt_peer import Peer

NOW = "2026-11-28T09:00:00.000Z"

SITES_TOML = """
[defaults]
cooldown_s = 5

[[sites]]
id = "riyadh-hq"
name_ar = "المقر الرئيسي"
name_en = "Riyadh headquarters"

  [[sites.sections]]
  id = "men-hall"
  name_ar = "قاعة الرجال"
  name_en = "Men's hall"

  [[sites.desks]]
  id = "desk-01"
  section = "men-hall"
  name_ar = "مكتب ١"
  name_en = "Desk 1"

  [[sites.desks]]
  id = "desk-02"
  section = "men-hall"
  name_ar = "مكتب ٢"
  name_en = "Desk 2"
  mode = "invited"
"""


@pytest.fixture
def sites_file(tmp_path: Path) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(SITES_TOML)
    return path


@pytest.fixture
def store(tmp_path: Path, sites_file: Path) -> Iterator[Store]:
    store = Store(tmp_path / "collector.db")
    apply_sites(store, load_sites_file(sites_file), NOW)
    yield store
    store.close()


@pytest.fixture
def admin(broker: RunningBroker) -> PasswordFileAdmin:
    return PasswordFileAdmin(broker.local.password_file, broker.local.reload)


@pytest.fixture
def publisher(broker: RunningBroker) -> Iterator[RetainedConfigPublisher]:
    with connect_config_publisher(parse_broker_url(broker.collector_url())) as pub:
        yield pub


@pytest.fixture
def options(tmp_path: Path, broker: RunningBroker) -> BundleOptions:
    return BundleOptions(
        broker_url=f"mqtts://127.0.0.1:{broker.tls_port}",
        ca_file=broker.ca_file,
        out_dir=tmp_path / "bundles",
        install_dir=None,
        data_dir=tmp_path / "tablet",
    )


@pytest.fixture
def provision(
    store: Store, admin: PasswordFileAdmin, publisher: RetainedConfigPublisher, options: BundleOptions
) -> Callable[..., Bundle]:
    def make(desk: str = "desk-01", site: str = "riyadh-hq") -> Bundle:
        config = resolve_desk_config(store, site, desk)
        return provision_device(store, admin, publisher, options, config=config, actor="it", now=NOW)

    return make


@pytest.fixture
def tablets(tmp_path: Path) -> Iterator[Callable[[Bundle], DeviceCore]]:
    """Start a real device core from a bundle's device.toml (each with its own data folder)."""
    started: list[DeviceCore] = []

    def start(bundle: Bundle) -> DeviceCore:
        settings = load_device_settings(bundle.device_toml, data_dir=tmp_path / "tablet" / bundle.device_id)
        core = DeviceCore(settings)
        core.start()
        started.append(core)
        return core

    yield start
    for core in started:
        core.stop()


def _connect_refused(broker: RunningBroker, bundle: Bundle) -> bool:
    peer = Peer(broker.tls_port, bundle.device_id, bundle.enrolment.password, ca_file=str(broker.ca_file))
    refused = bool(peer.connect_reason.is_failure)
    peer.close()
    return refused


def test_bundle_holds_what_the_tablet_needs(provision: Callable[..., Bundle], options: BundleOptions) -> None:
    bundle = provision()

    data = tomllib.loads(bundle.device_toml.read_text())
    assert data["device_id"] == bundle.device_id
    assert bundle.device_id.startswith("riyadh-hq-desk-01-")
    assert data["broker"] == options.broker_url
    password_file = Path(data["password_file"])
    assert password_file.read_text().strip() == bundle.enrolment.password
    assert len(bundle.enrolment.password) >= 40
    assert password_file.stat().st_mode & 0o777 == 0o600
    assert Path(data["ca_file"]).read_text() == options.ca_file.read_text()
    assert bundle.qr_png.stat().st_size > 0
    assert "\u2588" in bundle.qr_terminal() or "#" in bundle.qr_terminal()


def test_qr_code_decodes_back_to_the_bundle(provision: Callable[..., Bundle]) -> None:
    bundle = provision()

    found = zxingcpp.read_barcodes(Image.open(bundle.qr_png))
    assert len(found) == 1
    enrolment = json.loads(found[0].text)
    assert (enrolment["kind"], enrolment["v"]) == ("taqyeem-enrolment", 1)
    data = tomllib.loads(bundle.device_toml.read_text())
    assert enrolment["device_id"] == data["device_id"]
    assert enrolment["broker"] == data["broker"]
    assert enrolment["password"] == Path(data["password_file"]).read_text().strip()
    ca_pem = ssl.DER_cert_to_PEM_cert(base64.b64decode(enrolment["ca"], validate=True))
    assert ca_pem.strip() == Path(data["ca_file"]).read_text().strip()


def test_provisioned_tablet_connects_over_tls_gets_its_config_and_its_ratings_are_stored(
    provision: Callable[..., Bundle],
    tablets: Callable[[Bundle], DeviceCore],
    make_collector: Callable[..., object],
    tmp_path: Path,
) -> None:
    make_collector(db=tmp_path / "collector.db")
    bundle = provision("desk-02")
    tablet = tablets(bundle)

    wait_until(lambda: tablet.connected, what="the tablet to connect over TLS")
    wait_until(lambda: tablet.config.desk_id == "desk-02", what="the retained desk config")
    assert tablet.config.mode == "invited" and tablet.config.cooldown_s == 5
    tablet.rate(4)
    wait_until(lambda: tablet.outbox_depth() == 0, what="the collector's ack")

    reader = Store(tmp_path / "collector.db")
    rows, _ = reader.ratings.page(device_id=bundle.device_id)
    reader.close()
    assert [(r["site_id"], r["desk_id"], r["score"]) for r in rows] == [("riyadh-hq", "desk-02", 4)]


def test_a_device_cannot_use_another_devices_topics(provision: Callable[..., Bundle], broker: RunningBroker) -> None:
    mine, other = provision("desk-01"), provision("desk-02")
    peer = Peer(broker.tls_port, mine.device_id, mine.enrolment.password, ca_file=str(broker.ca_file))
    try:
        assert not peer.connect_reason.is_failure
        assert not peer.publish(topics.status(mine.device_id), b'{"v":1,"state":"online"}').is_failure
        for kind in ("ratings", "status"):
            reason = peer.publish(topics.device_topic(other.device_id, kind), b"{}")  # type: ignore[arg-type]
            assert reason.is_failure and reason.value == 0x87, kind
        # mosquitto grants the subscription but checks read access on delivery: nothing may arrive.
        for kind in ("acks", "config", "invite"):
            peer.subscribe(topics.device_topic(other.device_id, kind))  # type: ignore[arg-type]
        peer.subscribe(topics.acks(mine.device_id))
        collector = Peer(broker.port, "taqyeem-collector", broker.collector_password, client_id="test-acl-writer")
        try:
            for kind in ("acks", "invite"):
                collector.publish(topics.device_topic(other.device_id, kind), b'{"v":1}')  # type: ignore[arg-type]
            collector.publish(topics.acks(mine.device_id), b'{"v":1,"ids":[]}')
        finally:
            collector.close()
        received = peer.next_message(timeout=5)  # the other device's retained config and messages never come
        assert received.topic == topics.acks(mine.device_id)
        assert peer.messages.empty()
    finally:
        peer.close()


def test_revoke_cuts_the_open_connection_and_refuses_the_password(
    provision: Callable[..., Bundle],
    tablets: Callable[[Bundle], DeviceCore],
    store: Store,
    admin: PasswordFileAdmin,
    broker: RunningBroker,
) -> None:
    bundle = provision()
    tablet = tablets(bundle)
    wait_until(lambda: tablet.connected, what="the tablet to connect")

    revoke_device(store, admin, device_id=bundle.device_id, actor="it", now=NOW)

    wait_until(lambda: not tablet.connected, timeout=5, what="the broker to drop the revoked tablet")
    assert _connect_refused(broker, bundle)
    assert store.devices.get(bundle.device_id)["revoked_at"] == NOW
    assert store.devices.events(bundle.device_id)[0]["kind"] == "revoked"
    assert store.devices.get(bundle.device_id)["desk_id"] == "desk-01"  # the desk assignment is history


def test_replace_gives_the_desk_a_new_device_and_cuts_the_old_one(
    provision: Callable[..., Bundle],
    tablets: Callable[[Bundle], DeviceCore],
    store: Store,
    admin: PasswordFileAdmin,
    publisher: RetainedConfigPublisher,
    options: BundleOptions,
    broker: RunningBroker,
    make_collector: Callable[..., object],
    tmp_path: Path,
) -> None:
    make_collector(db=tmp_path / "collector.db")
    old = provision("desk-01")
    old_tablet = tablets(old)
    old_tablet.rate(2)
    wait_until(lambda: old_tablet.outbox_depth() == 0, what="the old tablet's rating to be acked")

    new = replace_device(store, admin, publisher, options, device_id=old.device_id, actor="it", now=NOW)

    wait_until(lambda: not old_tablet.connected, timeout=5, what="the broker to drop the replaced tablet")
    assert _connect_refused(broker, old)
    assert new.device_id != old.device_id and new.config == old.config
    new_tablet = tablets(new)
    wait_until(lambda: new_tablet.config.desk_id == "desk-01", what="the new tablet's config")
    new_tablet.rate(5)
    wait_until(lambda: new_tablet.outbox_depth() == 0, what="the new tablet's rating to be acked")
    rows, _ = store.ratings.page(site_id="riyadh-hq", desk_id="desk-01")
    assert sorted((r["device_id"], r["score"]) for r in rows) == sorted([(old.device_id, 2), (new.device_id, 5)])
    assert store.devices.active_at("riyadh-hq", "desk-01") == [new.device_id]
    assert store.devices.events(new.device_id)[0]["data"]["replaces"] == old.device_id


def test_a_failed_step_undoes_the_account_and_the_registration(
    store: Store,
    admin: PasswordFileAdmin,
    options: BundleOptions,
) -> None:
    class BrokenPublisher:
        def publish(self, device_id: str, config: DeviceConfig | None) -> None:
            raise ProvisioningError("broker gone")

    config = resolve_desk_config(store, "riyadh-hq", "desk-01")
    with pytest.raises(ProvisioningError, match="broker gone"):
        provision_device(store, admin, BrokenPublisher(), options, config=config, actor="it", now=NOW)

    (event,) = store.devices.events(limit=1)
    assert event["kind"] == "revoked"
    assert not admin.has_device(event["device_id"])
    assert store.devices.active_at("riyadh-hq", "desk-01") == []


def test_unknown_desk_needs_labels(store: Store) -> None:
    with pytest.raises(ProvisioningError, match="sites apply"):
        resolve_desk_config(store, "riyadh-hq", "desk-99")
    config = resolve_desk_config(store, "riyadh-hq", "desk-99", "مكتب ٩٩", "Desk 99")
    assert config.desk_name_en == "Desk 99"
    with pytest.raises(ProvisioningError, match="lowercase"):
        resolve_desk_config(store, "Riyadh HQ", "desk-01")


# --- sites.toml -------------------------------------------------------------------------


def test_sites_apply_twice_changes_nothing(tmp_path: Path, sites_file: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "fresh.db"
    Store(db).close()

    first = runner.invoke(cli, ["sites", "apply", str(sites_file), "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "created site riyadh-hq" in first.output and "created desk riyadh-hq/desk-02" in first.output
    state = Store(db)
    before = state.sites.state()
    second = runner.invoke(cli, ["sites", "apply", str(sites_file), "--db", str(db)])

    assert second.exit_code == 0, second.output
    assert second.output.strip() == "no changes: the database already matches the file"
    assert state.sites.state() == before
    assert count(state.path, "desks") == 2
    state.close()


def test_sites_apply_sends_a_changed_desk_config_to_its_device(
    provision: Callable[..., Bundle],
    tablets: Callable[[Bundle], DeviceCore],
    store: Store,
    sites_file: Path,
    publisher: RetainedConfigPublisher,
) -> None:
    bundle = provision("desk-01")
    tablet = tablets(bundle)
    wait_until(lambda: tablet.config.desk_id == "desk-01", what="the first config")
    sites_file.write_text(SITES_TOML.replace('name_en = "Desk 1"', 'name_en = "Desk 1 (passports)"'))
    file = load_sites_file(sites_file)

    with pytest.raises(SitesFileError, match="pass --config or --broker"):
        apply_sites(store, file, NOW)  # without a way to reach the device, nothing is written
    applied = apply_sites(store, file, NOW, publisher)

    assert applied.plan.updated == ["desk riyadh-hq/desk-01"]
    assert [d for d, _ in applied.device_configs] == [bundle.device_id]
    wait_until(lambda: tablet.config.desk_name_en == "Desk 1 (passports)", what="the new config on the tablet")
    assert store.devices.config(bundle.device_id).desk_name_en == "Desk 1 (passports)"  # type: ignore[union-attr]
    assert not apply_sites(store, file, NOW, publisher).plan.changed


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('[[sites]]\nid = "a-site"\nname_ar = "x"\nname_en = "x"\nnmae = "typo"\n', "nmae: unknown key"),
        ('[[sites]]\nid = "A Site"\nname_ar = "x"\nname_en = "x"\n', "sites.0.id"),
        (
            '[[sites]]\nid = "a-site"\nname_ar = "x"\nname_en = "x"\n[[sites.desks]]\nid = "d-1"\nname_ar = "x"\n'
            'name_en = "x"\nsection = "nope"\n',
            "names section 'nope'",
        ),
        (
            '[[sites]]\nid = "a-site"\nname_ar = "x"\nname_en = "x"\n[[sites]]\nid = "a-site"\nname_ar = "y"\n'
            'name_en = "y"\n',
            "defined twice",
        ),
        ("[[sites]\n", "not valid TOML"),
    ],
)
def test_a_bad_sites_file_is_a_one_line_error(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(text)
    result = CliRunner().invoke(cli, ["sites", "apply", str(path), "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert error in result.stderr


# --- the CLI end to end ---------------------------------------------------------------------


def test_cli_provision_list_replace_revoke(tmp_path: Path, sites_file: Path, broker: RunningBroker) -> None:
    assert broker.local.process is not None
    pid_file = tmp_path / "mosquitto.pid"
    pid_file.write_text(f"{broker.local.process.pid}\n")
    db = tmp_path / "cli.db"
    common = [
        "--db",
        str(db),
        "--broker",
        broker.collector_url(),
        "--passwd-file",
        str(broker.local.password_file),
        "--mosquitto-pid-file",
        str(pid_file),
    ]
    bundle_opts = [
        "--device-broker",
        f"mqtts://127.0.0.1:{broker.tls_port}",
        "--device-ca",
        str(broker.ca_file),
        "--out",
        str(tmp_path / "bundles"),
        "--install-dir",
        "-",
    ]
    runner = CliRunner()
    Store(db).close()
    assert runner.invoke(cli, ["sites", "apply", str(sites_file), "--db", str(db)]).exit_code == 0

    made = runner.invoke(
        cli,
        ["provision", "device", "--site", "riyadh-hq", "--desk", "desk-01", *common, *bundle_opts],
        env={"COLUMNS": "80"},
    )
    assert made.exit_code == 0, made.output
    device_id = made.output.split()[1]
    bundle = tmp_path / "bundles" / device_id
    # --install-dir -: a bundle to try here, so its outbox is in the bundle and the next step is the kiosk here
    assert tomllib.loads((bundle / "device.toml").read_text())["data_dir"] == str(bundle.resolve() / "data")
    assert f"Next, on this machine: taqyeem-device run --config {bundle / 'device.toml'} --windowed" in made.output
    assert "setup-pi" not in made.output and "setup-pi" not in (bundle / "README.txt").read_text()
    # an 80-column terminal would wrap the code (and a wrapped code does not scan): it says where the code is
    assert "\u2588" not in made.output and f"open {bundle / 'enrol-qr.png'}" in made.output

    replaced = runner.invoke(
        cli, ["provision", "replace", "--device", device_id, *common, *bundle_opts], env={"COLUMNS": "200"}
    )
    assert replaced.exit_code == 0, replaced.output
    qr_lines = [line for line in replaced.output.splitlines() if "\u2588" in line]
    assert len(qr_lines) > 40 and max(len(line) for line in qr_lines) <= 200
    new_id = replaced.output.splitlines()[1].split()[1]
    listing = runner.invoke(cli, ["provision", "list", "--db", str(db)])
    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert lines[0].split() == ["SITE", "SECTION", "DESK", "DEVICE", "STATE", "LAST", "SEEN"]
    assert any(device_id in line and "revoked" in line for line in lines)
    assert any(new_id in line and "revoked" not in line for line in lines)
    assert any("desk-02" in line and "(no device)" in line for line in lines)

    revoked = runner.invoke(cli, ["provision", "revoke", "--device", new_id, *common[:2], *common[4:]])
    assert revoked.exit_code == 0, revoked.output
    assert not PasswordFileAdmin(broker.local.password_file, lambda: None).has_device(new_id)
    store = Store(db)
    try:  # the provisioning log names the person at the command line as the account log does: cli:<login>
        assert {e["actor"] for e in store.devices.events()} == {actor()}
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["provision", "revoke", "--device", "no-such-device"], "no provisioned device 'no-such-device'"),
        (
            ["provision", "device", "--site", "riyadh-hq", "--desk", "desk-77", "--device-broker", "mqtts://h:8883"],
            "--label-ar and --label-en",
        ),
        (
            ["provision", "device", "--site", "riyadh-hq", "--desk", "desk-01", "--device-broker", "mqtt://h:1883"],
            "TLS only",
        ),
    ],
)
def test_cli_errors_are_one_actionable_line(
    tmp_path: Path, sites_file: Path, broker: RunningBroker, args: list[str], error: str
) -> None:
    db = tmp_path / "cli.db"
    Store(db).close()
    runner = CliRunner()
    assert runner.invoke(cli, ["sites", "apply", str(sites_file), "--db", str(db)]).exit_code == 0
    extra = ["--broker", broker.collector_url(), "--device-ca", str(broker.ca_file)] if args[1] == "device" else []
    result = runner.invoke(cli, [*args, "--db", str(db), "--passwd-file", str(broker.local.password_file), *extra])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert error in result.stderr


def test_a_tablet_bundle_keeps_its_outbox_in_var_lib(tmp_path: Path, broker: RunningBroker) -> None:
    options = BundleOptions(
        broker_url="mqtts://broker.example:8883", ca_file=broker.ca_file, out_dir=tmp_path / "bundles"
    )
    enrolment = Enrolment("riyadh-hq-desk-01-abcdef", options.broker_url, "secret", broker.ca_file.read_text())

    bundle = write_bundle(enrolment, options, site_id="riyadh-hq", desk_id="desk-01", config=None)

    data = tomllib.loads(bundle.device_toml.read_text())
    assert (data["data_dir"], data["password_file"]) == ("/var/lib/taqyeem", "/etc/taqyeem/password")
    assert bundle.next_step() == f"Next, on the tablet: sudo ./deploy/pi/setup-pi.sh --bundle {bundle.folder}"


def test_sites_apply_needs_the_broker_only_to_send_a_changed_config(
    tmp_path: Path, sites_file: Path, broker: RunningBroker
) -> None:
    """The first apply (no devices yet) works without the broker password; a changed desk needs it."""
    assert broker.local.process is not None
    pid_file = tmp_path / "mosquitto.pid"
    pid_file.write_text(f"{broker.local.process.pid}\n")
    db = tmp_path / "cli.db"
    Store(db).close()
    password_file = tmp_path / "broker-password"
    password_file.write_text(broker.collector_password + "\n")
    bare = tmp_path / "bare.toml"  # the broker but no password: a hand-run command before this fix
    bare.write_text(f'broker = "mqtt://taqyeem-collector@127.0.0.1:{broker.port}"\ndb = "{db}"\n')
    full = tmp_path / "collector.toml"  # as deploy/collector.example.toml: it names the password file
    full.write_text(bare.read_text() + f'broker_password_file = "{password_file}"\n')
    runner = CliRunner()

    def apply(config: Path) -> Result:
        return runner.invoke(cli, ["sites", "apply", str(sites_file), "--config", str(config)])

    first = apply(bare)
    assert first.exit_code == 0, first.output
    assert "created desk riyadh-hq/desk-01" in first.output
    made = runner.invoke(
        cli,
        [
            "provision", "device", "--config", str(full), "--site", "riyadh-hq", "--desk", "desk-01", "--no-qr",
            "--passwd-file", str(broker.local.password_file), "--mosquitto-pid-file", str(pid_file),
            "--device-broker", f"mqtts://127.0.0.1:{broker.tls_port}", "--device-ca", str(broker.ca_file),
            "--out", str(tmp_path / "bundles"), "--install-dir", "-",
        ],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    device_id = made.output.split()[1]
    assert apply(bare).output.strip() == "no changes: the database already matches the file"

    sites_file.write_text(SITES_TOML.replace('name_en = "Desk 1"', 'name_en = "Desk 1 (passports)"'))
    refused = apply(bare)
    assert refused.exit_code == 1 and "refused the collector's account (Not authorized)" in refused.stderr
    sent = apply(full)
    assert sent.exit_code == 0, sent.output
    assert f"sent the new config to device {device_id}" in sent.output
    peer = Peer(broker.port, "taqyeem-collector", broker.collector_password, client_id="test-config-reader")
    try:
        peer.subscribe(topics.config(device_id))
        config = DeviceConfig.model_validate_json(peer.next_message(timeout=5).payload)
    finally:
        peer.close()
    assert config.desk_name_en == "Desk 1 (passports)"


def test_cli_list_on_a_missing_database_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["provision", "list", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert not (tmp_path / "nope.db").exists()


# --- a bridged centre: registered at HQ, its account at the centre ---------------------------


def test_register_and_account_are_the_two_halves_of_provisioning(
    store: Store, publisher: RetainedConfigPublisher, admin: PasswordFileAdmin, options: BundleOptions
) -> None:
    config = resolve_desk_config(store, "riyadh-hq", "desk-02")
    device_id = register_device(store, publisher, config=config, actor="it", now=NOW)

    assert store.devices.active_at("riyadh-hq", "desk-02") == [device_id]
    assert not admin.has_device(device_id)  # HQ makes no account: the centre does
    bundle = provision_account(admin, options, device_id=device_id)
    assert admin.has_device(device_id) and bundle.config is None
    assert "registered at HQ" in (bundle.folder / "README.txt").read_text()
    with pytest.raises(ProvisioningError, match="already has an account"):
        provision_account(admin, options, device_id=device_id)
    with pytest.raises(ProvisioningError, match="account at a bridged centre"):  # HQ cannot make its new account
        replace_device(store, admin, publisher, options, device_id=device_id, actor="it", now=NOW)
    revoke_account(admin, device_id=device_id)
    assert not admin.has_device(device_id)
    with pytest.raises(ProvisioningError, match="no account"):
        revoke_account(admin, device_id=device_id)


def test_a_failed_register_leaves_nothing_registered(store: Store) -> None:
    class BrokenPublisher:
        def publish(self, device_id: str, config: DeviceConfig | None) -> None:
            raise ProvisioningError("broker gone")

    config = resolve_desk_config(store, "riyadh-hq", "desk-01")
    with pytest.raises(ProvisioningError, match="broker gone"):
        register_device(store, BrokenPublisher(), config=config, actor="it", now=NOW)
    assert store.devices.active_at("riyadh-hq", "desk-01") == []
