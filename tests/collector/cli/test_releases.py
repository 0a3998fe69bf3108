"""``taqyeem release ...`` through click's runner, on a real database and a real mosquitto."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from collector.cli import cli
from collector.fleet.config_publisher import connect_config_publisher
from collector.fleet.provisioning import register_device, resolve_desk_config
from collector.fleet.sites import apply_sites, load_sites_file
from collector.store import Store
from shared.broker_url import parse_broker_url
from shared.contract import Status
from shared.releases import load_public_key, signature_is_valid
from tests.collector.fleet.test_release_wheels import crafted
from tests.collector.fleet.test_rollout import NOW, SITES
from tests.collector.fleet.test_staff_broker import retained
from tests.conftest import RunningBroker
from tests.support.fleet_releases import make_wheel

pytestmark = pytest.mark.usefixtures("without_taqyeem_variables")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def centre(tmp_path: Path, broker: RunningBroker) -> Path:
    """A collector database with two sites, a broker account's password file and a collector.toml (no key yet)."""
    db = tmp_path / "taqyeem.db"
    (tmp_path / "sites.toml").write_text(SITES)
    store = Store(db)
    apply_sites(store, load_sites_file(tmp_path / "sites.toml"), NOW)
    store.close()
    (tmp_path / "broker-password").write_text(broker.collector_password + "\n")
    config = tmp_path / "collector.toml"
    config.write_text(
        f'db = "{db}"\nbroker = "mqtt://taqyeem-collector@127.0.0.1:{broker.port}"\n'
        f'broker_password_file = "{tmp_path / "broker-password"}"\n'
    )
    return config


def _keygen(centre: Path) -> str:
    made = run("release", "keygen", "--out", str(centre.parent / "release.key"))
    assert made.exit_code == 0, made.output
    line = made.output.splitlines()[-1]
    assert line.startswith('release_public_key = "')
    with centre.open("a") as toml:
        toml.write(line + "\n")
    return tomllib.loads(line)["release_public_key"]


def _register(centre: Path, broker: RunningBroker, site: str, desk: str) -> str:
    store = Store(Path(tomllib.loads(centre.read_text())["db"]))
    try:
        with connect_config_publisher(parse_broker_url(broker.collector_url())) as publisher:
            config = resolve_desk_config(store, site, desk)
            return register_device(store, publisher, config=config, actor="it", now=NOW)
    finally:
        store.close()


def test_keygen_add_list_rollout_and_stop_from_the_command_line(centre: Path, broker: RunningBroker) -> None:
    config = str(centre)
    public = _keygen(centre)
    again = run("release", "keygen", "--out", str(centre.parent / "release.key"))
    assert again.exit_code == 1 and "never overwritten" in again.output
    d1 = _register(centre, broker, "riyadh-hq", "desk-01")
    wheel = make_wheel(centre.parent / "dist", "0.2.0")
    key = str(centre.parent / "release.key")

    added = run("release", "add", str(wheel), "--sign-key", key, "--config", config)
    assert added.exit_code == 0, added.output
    assert added.output.startswith(f"added release 0.2.0: {wheel.stat().st_size} bytes, sha256 ")
    assert (centre.parent / "releases" / wheel.name).read_bytes() == wheel.read_bytes()
    assert (
        "already there with these bytes"
        in run("release", "add", str(wheel), "--sign-key", key, "--config", config).output
    )

    no_url = run("release", "rollout", "0.2.0", "--desk", "riyadh-hq/desk-01", "--config", config)
    assert no_url.exit_code == 1 and "Error: tablet_url is not set" in no_url.output
    with centre.open("a") as toml:
        toml.write('tablet_url = "https://taqyeem.centre.lan"\n')

    rolled = run("release", "rollout", "0.2.0", "--desk", "riyadh-hq/desk-01", "--config", config)
    assert rolled.exit_code == 0, rolled.output
    assert f"sent device {d1} its config: 0.2.0" in rolled.output
    release = retained(broker, d1).release
    assert release is not None and signature_is_valid(load_public_key(public), release)

    early = run("release", "rollout", "0.2.0", "--site", "riyadh-hq", "--config", config)
    assert early.exit_code == 1
    assert (
        "Error: not rolled out to site riyadh-hq: no tablet reports running 0.2.0 yet: roll it out to one desk"
        in early.output
    )

    listed = run("release", "list", "--config", config)
    assert listed.exit_code == 0, listed.output
    row = listed.output.splitlines()[1].split()
    assert row[:3] == ["0.2.0", "0", "1"] and row[-1] == "riyadh-hq/desk-01"

    stopped = run("release", "stop", "--desk", "riyadh-hq/desk-01", "--config", config)
    assert stopped.exit_code == 0, stopped.output
    assert f"sent device {d1} its config: no release (keeps what it runs)" in stopped.output
    assert retained(broker, d1).release is None


def test_a_site_then_the_fleet_once_tablets_report_the_version(centre: Path, broker: RunningBroker) -> None:
    config = str(centre)
    _keygen(centre)
    with centre.open("a") as toml:
        toml.write('tablet_url = "https://taqyeem.centre.lan"\n')
    d1, d2 = (_register(centre, broker, "riyadh-hq", desk) for desk in ("desk-01", "desk-02"))
    j1 = _register(centre, broker, "jeddah", "desk-01")
    wheel = make_wheel(centre.parent / "dist", "0.2.0")
    assert (
        run(
            "release", "add", str(wheel), "--sign-key", str(centre.parent / "release.key"), "--config", config
        ).exit_code
        == 0
    )
    store = Store(Path(tomllib.loads(centre.read_text())["db"]))
    for device_id in (d1, d2):
        store.devices.record_status(device_id, Status(state="online", app_version="0.2.0"), NOW, live=True)
    store.close()

    site = run("release", "rollout", "0.2.0", "--site", "riyadh-hq", "--config", config)
    assert site.exit_code == 0, site.output
    fleet = run("release", "rollout", "0.2.0", "--all", "--config", config)
    assert fleet.exit_code == 0, fleet.output
    assert fleet.output.splitlines()[1:] == [f"sent device {j1} its config: 0.2.0"]
    assert retained(broker, j1).release is not None


def test_a_wrong_key_and_a_renamed_wheel_are_one_line_errors(centre: Path) -> None:
    config = str(centre)
    _keygen(centre)
    other = run("release", "keygen", "--out", str(centre.parent / "other.key"))
    assert other.exit_code == 0
    wheel = make_wheel(centre.parent / "dist", "0.2.0")

    wrong = run("release", "add", str(wheel), "--sign-key", str(centre.parent / "other.key"), "--config", config)
    assert wrong.exit_code == 1 and wrong.output.startswith("Error: tablets would refuse it: ")

    renamed = wheel.rename(wheel.with_name("taqyeem-0.3.0-py3-none-any.whl"))
    tampered = run("release", "add", str(renamed), "--sign-key", str(centre.parent / "release.key"), "--config", config)
    assert tampered.exit_code == 1
    assert "the wheel has no taqyeem-0.3.0.dist-info/METADATA: is it a wheel of Taqyeem 0.3.0?" in tampered.output
    assert len(tampered.output.strip().splitlines()) == 1


def test_release_add_refuses_a_wheel_holding_a_symlink_in_one_line(centre: Path) -> None:
    _keygen(centre)
    wheel = crafted(centre.parent / "dist", "device/kiosk/evil.py", link_to="/etc/shadow")
    added = run("release", "add", str(wheel), "--sign-key", str(centre.parent / "release.key"), "--config", str(centre))
    assert added.exit_code == 1, added.output
    assert added.output.startswith("Error: the wheel holds a symbolic link ('device/kiosk/evil.py')")
    assert len(added.output.strip().splitlines()) == 1
    assert "0.2.0" not in run("release", "list", "--config", str(centre)).output


def test_provisioning_gives_a_new_tablet_the_public_key(centre: Path, broker: RunningBroker, tmp_path: Path) -> None:
    public = _keygen(centre)
    assert broker.local.process is not None
    pid_file = tmp_path / "mosquitto.pid"
    pid_file.write_text(f"{broker.local.process.pid}\n")
    made = run(
        "provision", "device", "--site", "riyadh-hq", "--desk", "desk-01", "--config", str(centre),
        "--passwd-file", str(broker.local.password_file), "--mosquitto-pid-file", str(pid_file),
        "--device-broker", f"mqtts://127.0.0.1:{broker.tls_port}", "--device-ca", str(broker.ca_file),
        "--out", str(tmp_path / "bundles"), "--install-dir", "-", "--no-qr",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    device_id = made.output.split()[1]
    device_toml = tomllib.loads((tmp_path / "bundles" / device_id / "device.toml").read_text())
    assert device_toml["release_key"] == public
