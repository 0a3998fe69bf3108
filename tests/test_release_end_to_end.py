"""A release from the admin's command line to a desk's tablet, every part real (issue 13, part 3).

``taqyeem release keygen``, ``add`` and ``rollout --desk`` on the collector's database; the
retained config through mosquitto; ``taqyeem collector`` serving the download over HTTPS with a
certificate of the centre's CA (the tablet's bundle carries that CA); a tablet provisioned by
``taqyeem provision device`` whose kiosk process (as the systemd unit starts it) takes the
release, switches at rest, starts again as the new version and reports it; the collector then
counts it as running the release.
"""

from __future__ import annotations

import os
import ssl
import sys
import tomllib
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from collector.cli import cli
from collector.fleet.sites import apply_sites, load_sites_file
from collector.store import Store
from device.updates.layout import Releases
from devtools.local_broker import free_port
from shared import topics
from tests.collector.fleet.test_rollout import NOW, SITES
from tests.conftest import RunningBroker, wait_until
from tests.support.kiosk_process import start_kiosk, stop_kiosk, update_check, wait_status
from tests.support.mqtt_peer import Peer
from tests.support.tablet_releases import make_wheel

REPO = Path(__file__).resolve().parents[1]


pytestmark = pytest.mark.usefixtures("without_taqyeem_variables")


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def centre(tmp_path: Path, broker: RunningBroker) -> Path:
    """collector.toml: a database with the sites, the broker, HTTPS with the test CA's certificate, the release key."""
    tls = broker.local.tls
    assert tls is not None
    db = tmp_path / "taqyeem.db"
    (tmp_path / "sites.toml").write_text(SITES)
    store = Store(db)
    apply_sites(store, load_sites_file(tmp_path / "sites.toml"), NOW)
    store.close()
    (tmp_path / "broker-password").write_text(broker.collector_password + "\n")
    port = free_port()
    config = tmp_path / "collector.toml"
    config.write_text(
        f'db = "{db}"\nbroker = "mqtt://taqyeem-collector@127.0.0.1:{broker.port}"\n'
        f'broker_password_file = "{tmp_path / "broker-password"}"\n'
        f'http = "127.0.0.1:{port}"\nclient_id = "collector-{port}"\n'
        f'https_cert = "{tls.server_cert}"\nhttps_key = "{tls.server_key}"\n'
        f'tablet_url = "https://127.0.0.1:{port}"\n'
    )
    made = run("release", "keygen", "--out", str(tmp_path / "release.key"))
    with config.open("a") as toml:
        toml.write(made.output.splitlines()[-1] + "\n")  # release_public_key = "..."
    return config


@pytest.fixture
def collector_process(centre: Path, tmp_path: Path, broker: RunningBroker) -> Iterator[str]:
    """``taqyeem collector`` serving HTTPS; yields its base URL."""
    import subprocess

    settings = tomllib.loads(centre.read_text())
    base = settings["tablet_url"]
    log = (tmp_path / "collector.log").open("wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAQYEEM_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "collector", "collector", "--config", str(centre)],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )

    trust = ssl.create_default_context(cafile=str(broker.ca_file))

    def healthy() -> bool:
        assert process.poll() is None, (tmp_path / "collector.log").read_text()
        with suppress(httpx.HTTPError):
            return httpx.get(f"{base}/healthz", verify=trust, timeout=5).status_code == 200
        return False

    try:
        wait_until(healthy, timeout=30, what="the collector's /healthz over HTTPS")
        yield base
    finally:
        process.terminate()
        process.wait(15)
        log.close()


def test_a_release_added_and_rolled_out_to_a_desk_reaches_its_tablet(
    centre: Path, collector_process: str, broker: RunningBroker, tmp_path: Path
) -> None:
    config = str(centre)
    assert broker.local.process is not None
    pid_file = tmp_path / "mosquitto.pid"
    pid_file.write_text(f"{broker.local.process.pid}\n")
    made = run(
        "provision", "device", "--site", "riyadh-hq", "--desk", "desk-01", "--config", config,
        "--passwd-file", str(broker.local.password_file), "--mosquitto-pid-file", str(pid_file),
        "--device-broker", f"mqtts://127.0.0.1:{broker.tls_port}", "--device-ca", str(broker.ca_file),
        "--out", str(tmp_path / "bundles"), "--install-dir", "-", "--no-qr",
    )  # fmt: skip
    device_id = made.output.split()[1]
    toml = tmp_path / "bundles" / device_id / "device.toml"
    with toml.open("a") as device_toml:
        device_toml.write("fullscreen = false\nstatus_every_s = 1\n")
    tablet = tomllib.loads(toml.read_text())
    releases = Releases(Path(tablet["data_dir"]) / "releases")

    dist = tmp_path / "dist"
    dist.mkdir()
    wheel = dist / "taqyeem-0.2.0-py3-none-any.whl"
    wheel.write_bytes(make_wheel("0.2.0"))
    run("release", "add", str(wheel), "--sign-key", str(tmp_path / "release.key"), "--config", config)

    watcher = Peer(broker.port, "taqyeem-collector", broker.collector_password, client_id=f"watch-{device_id}")
    try:
        watcher.subscribe(topics.status(device_id))
        old = start_kiosk(toml, releases)  # the base install: no `current` yet
        try:
            online = wait_status(watcher, lambda s: s.state == "online")
            assert online.app_version == "0.1.0"
            rolled = run("release", "rollout", "0.2.0", "--desk", "riyadh-hq/desk-01", "--config", config)
            assert f"sent device {device_id} its config: 0.2.0" in rolled.output
            ready = wait_status(watcher, lambda s: s.update is not None and s.update.state == "ready")
            assert ready.update is not None and ready.update.version == "0.2.0"
            output = old.communicate(timeout=60)[0]  # switched at rest, and exited for systemd to restart it
        finally:
            stop_kiosk(old)
        assert old.returncode == 0 and "switched to 0.2.0" in output, output
        assert "0.2.0 on trial" in update_check(toml, "--starting")
        new = start_kiosk(toml, releases)
        try:
            done = wait_status(watcher, lambda s: s.update is not None and s.update.state == "done")
            assert done.app_version == "0.2.0"

            def counted() -> bool:
                listed = run("release", "list", "--config", config).output.splitlines()
                return listed[1].split()[:3] == ["0.2.0", "1", "1"]

            wait_until(counted, timeout=20, what="the collector to count the tablet as running 0.2.0")
        finally:
            stop_kiosk(new)
    finally:
        watcher.close()
    assert not releases.trial_file.exists() and releases.current_slot() == "a"
