"""Many centres: a centre's mosquitto bridged to an HQ mosquitto over TLS with deploy/mosquitto/bridge-to-hq.conf.

A desk at the centre talks only to the centre's broker; the collector runs at HQ.
The link between them runs through a TCP proxy the test can cut, like a WAN outage.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import cli
from collector.fleet.broker import PasswordFileAdmin, set_password
from collector.ingest.subscriber import Ingest
from collector.settings import CollectorSettings
from collector.store import Store
from device.core import DeviceCore
from device.settings import DeviceSettings, load_device_settings
from devtools.local_broker import acl_text, conf_text, free_port, wait_for_port
from shared import topics
from shared.contract import DeviceConfig
from tests.conftest import RunningBroker, start_broker, wait_until
from tests.support.db_files import count
from tests.support.mqtt_peer import Peer
from tests.support.throwaway_ca import make_test_ca

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE = ROOT / "deploy" / "mosquitto" / "bridge-to-hq.conf"
HQ_ACL_EXAMPLE = ROOT / "deploy" / "mosquitto" / "acl-hq-bridge.example"
CENTRE = "centre-test"
NOW = "2026-11-28T09:00:00.000Z"

pytestmark = pytest.mark.skipif(
    shutil.which("mosquitto") is None and not Path("/usr/sbin/mosquitto").exists(), reason="mosquitto is not installed"
)


class LinkProxy:
    """A TCP relay standing in for the WAN link; ``cut()`` drops it, ``restore()`` brings it back."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = threading.Event()
        self.up.set()
        self.connections = 0
        self.refused = 0  # connection attempts while the link was down
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up.is_set():
                client.close()
                self.refused += 1
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, upstream]
                self.connections += 1
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.up.clear()
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def restore(self) -> None:
        self.up.set()

    def close(self) -> None:
        self._closed = True
        self.cut()
        self.listener.close()


def render_bridge_conf(*, hq_port: int, hq_ca: Path, password: str) -> str:
    """The shipped template with its placeholders filled in, and quick retries for the test."""
    text = TEMPLATE.read_text()
    for placeholder in ("HQ_HOST", "CENTRE_ID", "BRIDGE_PASSWORD", "/etc/mosquitto/taqyeem/hq-ca.crt"):
        assert placeholder in text, f"the template lost its {placeholder} placeholder"
    text = (
        text.replace("HQ_HOST:8883", f"127.0.0.1:{hq_port}")
        .replace("CENTRE_ID", CENTRE)
        .replace("BRIDGE_PASSWORD", password)
        .replace("/etc/mosquitto/taqyeem/hq-ca.crt", str(hq_ca))
    )
    return text.replace("restart_timeout 2 60", "restart_timeout 1 1")


class CentreBroker:
    """The centre's mosquitto: the project's generated config plus the bridge section (and TLS for desks)."""

    def __init__(self, workdir: Path, bridge_conf: str, users: dict[str, str], *, tls: bool = False) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "persistence").mkdir(exist_ok=True)
        self.port = free_port()
        self.tls = make_test_ca(workdir / "tls") if tls else None
        self.tls_port = free_port() if tls else None
        passwd = self.passwd = workdir / "passwd"
        passwd.touch(mode=0o600)
        for user, password in users.items():
            set_password(passwd, user, password)
        acl = workdir / "acl"
        acl.write_text(acl_text() + "\nuser observer\ntopic read taqyeem/v1/devices/+/ratings\n")
        conf = workdir / "mosquitto.conf"
        conf.write_text(
            conf_text(
                port=self.port,
                password_file=passwd,
                acl_file=acl,
                persistence_dir=workdir / "persistence",
                log_file=workdir / "mosquitto.log",
                tls_port=self.tls_port,
                tls=self.tls,
            )
            + "\n"
            + bridge_conf
        )
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.process = subprocess.Popen([binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port("127.0.0.1", self.port, 10, self.process)  # type: ignore[arg-type]

    def stop(self) -> None:
        # A centre whose bridge is reconnecting to a stopped HQ can take over 10 s to honour
        # SIGTERM (seen in the fresh Debian root); the test is done with it, so kill it then.
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[tuple[RunningBroker, str]]:
    """HQ's broker with a bridge account for the centre, its ACL taken from deploy/."""
    running = start_broker(tmp_path / "hq")
    bridge_password = secrets.token_urlsafe(16)
    set_password(running.local.password_file, f"taqyeem-bridge-{CENTRE}", bridge_password)
    acl = running.local.acl_file
    acl.write_text(acl.read_text() + "\n" + HQ_ACL_EXAMPLE.read_text().replace("CENTRE_ID", CENTRE))
    running.local.reload()
    yield running, bridge_password
    running.local.stop()


def test_ratings_cross_the_bridge_and_survive_a_link_outage(hq: tuple[RunningBroker, str], tmp_path: Path) -> None:
    hq_broker, bridge_password = hq
    proxy = LinkProxy(hq_broker.tls_port)
    device_id, device_password, observer_password = "centre-test-desk-01-a1b2c3", secrets.token_urlsafe(16), "obs"
    centre = CentreBroker(
        tmp_path / "centre",
        render_bridge_conf(hq_port=proxy.port, hq_ca=hq_broker.ca_file, password=bridge_password),
        {device_id: device_password, "observer": observer_password},
    )
    store = Store(tmp_path / "hq.db")
    ingest = Ingest(
        CollectorSettings(
            broker=hq_broker.collector_url(), db=tmp_path / "hq.db", client_id="hq-collector", batch_wait_ms=20
        ),
        store,
    )
    desk = DeviceCore(
        DeviceSettings(
            device_id=device_id,
            data_dir=tmp_path / "desk",
            broker=f"mqtt://127.0.0.1:{centre.port}",
            password=device_password,
            resend_after_s=600,
        )
    )  # no resends: the bridge's queue must carry them
    observer = None
    try:
        ingest.start()
        wait_until(lambda: ingest.connected, what="the HQ collector")
        config = DeviceConfig(site_id=CENTRE, desk_id="desk-01", desk_name_ar="مكتب ١", desk_name_en="Desk 1")
        store.devices.register(device_id, config, NOW)
        ingest.config_publisher.publish(device_id, config)  # published at HQ, retained, bridged in
        desk.start()
        wait_until(lambda: desk.connected, what="the desk to reach the centre's broker")
        wait_until(lambda: desk.config.site_id == CENTRE, timeout=15, what="the desk config to come in over the bridge")

        before = [desk.rate(4).id for _ in range(10)]
        wait_until(lambda: desk.outbox_depth() == 0, timeout=15, what="acks from HQ over the bridge")
        assert count(store.path, "ratings") == 10

        proxy.cut()
        observer = Peer(centre.port, "observer", observer_password)
        observer.subscribe(topics.ALL_RATINGS)
        during = [desk.rate(2).id for _ in range(20)]
        seen = {observer.next_message(timeout=10).topic for _ in range(20)}  # the centre took all 20
        assert seen == {topics.ratings(device_id)}
        assert desk.connected  # the desk never noticed the outage
        assert count(store.path, "ratings") == 10 and desk.outbox_depth() == 20  # queued, not lost, not acked

        wait_until(lambda: proxy.refused >= 1, what="the bridge to try the dead link")  # a real outage
        proxy.restore()
        wait_until(lambda: desk.outbox_depth() == 0, timeout=20, what="the queued ratings to reach HQ and be acked")
        rows, _ = store.ratings.page(device_id=device_id, limit=100)
        assert sorted(r["id"] for r in rows) == sorted(before + during)
        assert {(r["site_id"], r["desk_id"]) for r in rows} == {(CENTRE, "desk-01")}
        assert len(store.reviews.all(status="open")) == 20  # negatives opened reviews at HQ
        assert proxy.connections >= 2  # the bridge really reconnected through the link
    finally:
        if observer is not None:
            observer.close()
        desk.stop()
        ingest.stop()
        store.close()
        centre.stop()
        proxy.close()


SITES_TOML = f"""
[[sites]]
id = "{CENTRE}"
name_ar = "مركز"
name_en = "Test centre"

  [[sites.desks]]
  id = "desk-01"
  name_ar = "مكتب ١"
  name_en = "Desk 1"
"""


def test_a_bridged_centres_desk_registered_at_hq_and_given_its_account_at_the_centre(
    hq: tuple[RunningBroker, str], tmp_path: Path
) -> None:
    """`provision register` at HQ, then `provision account` at the centre: config in, ratings out, stamped."""
    hq_broker, bridge_password = hq
    centre = CentreBroker(
        tmp_path / "centre",
        render_bridge_conf(hq_port=hq_broker.tls_port, hq_ca=hq_broker.ca_file, password=bridge_password),
        {},
        tls=True,
    )
    assert centre.tls is not None
    centre_pid = tmp_path / "centre.pid"
    centre_pid.write_text(f"{centre.process.pid}\n")
    centre_admin = ["--passwd-file", str(centre.passwd), "--mosquitto-pid-file", str(centre_pid)]
    sites = tmp_path / "sites.toml"
    sites.write_text(SITES_TOML)
    hq_db = tmp_path / "hq.db"
    Store(hq_db).close()
    runner = CliRunner()
    assert runner.invoke(cli, ["sites", "apply", str(sites), "--db", str(hq_db)]).exit_code == 0
    store = Store(hq_db)
    ingest = Ingest(
        CollectorSettings(broker=hq_broker.collector_url(), db=hq_db, client_id="hq-collector", batch_wait_ms=20),
        store,
    )
    tablets: list[DeviceCore] = []
    try:
        ingest.start()
        wait_until(lambda: ingest.connected, what="the HQ collector")

        # HQ: the registration (site and desk for its ratings) and the retained config; no account at HQ.
        hq_side = ["--db", str(hq_db), "--broker", hq_broker.collector_url()]
        registered = runner.invoke(cli, ["provision", "register", "--site", CENTRE, "--desk", "desk-01", *hq_side])
        assert registered.exit_code == 0, registered.output
        device_id = registered.output.split()[1]
        assert f"provision account --device {device_id}" in registered.output
        assert not PasswordFileAdmin(hq_broker.local.password_file, lambda: None).has_device(device_id)

        # The centre: the account on its own broker and the bundle; no database there.
        bundle_opts = [
            *("--device-broker", f"mqtts://127.0.0.1:{centre.tls_port}", "--device-ca", str(centre.tls.ca_cert)),
            *("--out", str(tmp_path / "bundles"), "--install-dir", "-", "--no-qr"),
        ]
        made = runner.invoke(cli, ["provision", "account", "--device", device_id, *centre_admin, *bundle_opts])
        assert made.exit_code == 0, made.output
        assert PasswordFileAdmin(centre.passwd, lambda: None).has_device(device_id)

        desk = DeviceCore(load_device_settings(tmp_path / "bundles" / device_id / "device.toml"))
        tablets.append(desk)
        desk.start()
        wait_until(lambda: desk.connected, what="the desk to sign in at the centre over TLS")
        wait_until(
            lambda: desk.config.desk_name_en == "Desk 1",
            timeout=15,
            what="the config published at HQ to come in over the bridge",
        )
        desk.rate(5)
        desk.rate(1)
        wait_until(lambda: desk.outbox_depth() == 0, timeout=15, what="acks from HQ")
        rows, _ = store.ratings.page(device_id=device_id)
        assert sorted((r["site_id"], r["desk_id"], r["score"]) for r in rows) == [
            (CENTRE, "desk-01", 1),
            (CENTRE, "desk-01", 5),
        ]

        # A lost tablet: its account goes at the centre, its registration at HQ.
        revoked = runner.invoke(cli, ["provision", "revoke", "--account-only", "--device", device_id, *centre_admin])
        assert revoked.exit_code == 0, revoked.output
        wait_until(lambda: not desk.connected, timeout=5, what="the centre to drop the desk")
        hq_passwd = ["--passwd-file", str(hq_broker.local.password_file)]
        at_hq = runner.invoke(cli, ["provision", "revoke", "--device", device_id, "--db", str(hq_db), *hq_passwd])
        assert at_hq.exit_code == 0, at_hq.output
        assert store.devices.get(device_id)["revoked_at"] is not None  # type: ignore[index]
    finally:
        for tablet in tablets:
            tablet.stop()
        ingest.stop()
        store.close()
        centre.stop()
