"""The production broker files in deploy/mosquitto/ stay in step with the code and really run."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from collector.fleet.broker import set_password
from devtools.local_broker import acl_text, free_port, wait_for_port
from tests.conftest import RunningBroker
from tests.support.mqtt_peer import Peer
from tests.support.throwaway_ca import make_test_ca

DEPLOY = Path(__file__).resolve().parents[1] / "deploy" / "mosquitto"


def test_the_acl_file_is_the_generated_one():
    lines = [
        line
        for line in (DEPLOY / "acl").read_text().splitlines()
        if not line.startswith("# Taqyeem topic ACL")
        and not line.startswith("# with %c")
        and not line.startswith("# `python")
    ]
    generated = [
        line for line in acl_text(queue_user="taqyeem-queue").splitlines() if not line.startswith("# Generated")
    ]
    assert lines == generated
    assert "%c" not in "\n".join(line for line in lines if not line.startswith("#"))


# Debian's /etc/mosquitto/mosquitto.conf (mosquitto 2.0.11, Debian 12), which includes conf.d.
DEBIAN_MAIN_CONF = """pid_file /run/mosquitto/mosquitto.pid

persistence true
persistence_location /var/lib/mosquitto/

log_dest file /var/log/mosquitto/mosquitto.log

include_dir /etc/mosquitto/conf.d
"""


@contextmanager
def production_broker(tmp_path: Path, users: dict[str, str]) -> Iterator[tuple[int, int, str]]:
    """deploy/mosquitto/taqyeem.conf installed as Debian installs it (Debian's mosquitto.conf including it
    from conf.d), with the deploy ACL and these accounts: (plain port, TLS port, CA file)."""
    tls = make_test_ca(tmp_path)
    plain, secure = free_port(), free_port()
    main = Path("/etc/mosquitto/mosquitto.conf")
    main_conf = main.read_text() if main.exists() else DEBIAN_MAIN_CONF
    main_conf = main_conf.replace("/run/mosquitto/mosquitto.pid", str(tmp_path / "mosquitto.pid"))
    main_conf = main_conf.replace("/var/lib/mosquitto/", f"{tmp_path}/")
    main_conf = main_conf.replace("/var/log/mosquitto/mosquitto.log", str(tmp_path / "mosquitto.log"))
    main_conf = main_conf.replace("/etc/mosquitto/conf.d", str(tmp_path / "conf.d"))
    conf = (DEPLOY / "taqyeem.conf").read_text()
    conf = conf.replace("/etc/mosquitto/taqyeem/passwd", str(tmp_path / "passwd"))
    conf = conf.replace("/etc/mosquitto/taqyeem/acl", str(tmp_path / "acl"))
    conf = conf.replace("/etc/mosquitto/taqyeem/ca.crt", str(tls.ca_cert))
    conf = conf.replace("/etc/mosquitto/taqyeem/server.crt", str(tls.server_cert))
    conf = conf.replace("/etc/mosquitto/taqyeem/server.key", str(tls.server_key))
    conf = conf.replace("listener 1883 127.0.0.1", f"listener {plain} 127.0.0.1")
    conf = conf.replace("listener 8883", f"listener {secure} 127.0.0.1")
    if os.geteuid() == 0:
        main_conf = "user root\n" + main_conf
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "conf.d" / "taqyeem.conf").write_text(conf)
    (tmp_path / "m.conf").write_text(main_conf)
    shutil.copy(DEPLOY / "acl", tmp_path / "acl")
    for user, password in users.items():
        set_password(tmp_path / "passwd", user, password)
    process = subprocess.Popen(
        [shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", str(tmp_path / "m.conf")], stderr=subprocess.PIPE
    )
    try:
        wait_for_port("127.0.0.1", plain, 10, process)
        wait_for_port("127.0.0.1", secure, 10, process)
        yield plain, secure, str(tls.ca_cert)
    finally:
        process.terminate()
        process.wait(10)
        assert process.stderr is not None
        process.stderr.close()


def test_the_production_config_runs_under_debians_main_config_and_refuses_strangers(tmp_path: Path):
    with production_broker(tmp_path, {"desk-1": "right-password"}) as (plain, secure, ca_file):
        for user, password in (("", ""), ("desk-1", "wrong"), ("nobody", "x")):
            try:
                peer = Peer(plain, user, password, client_id="probe")
            except AssertionError:
                continue  # paho never reported a connect: refused
            assert peer.connect_reason.is_failure, f"{user!r} was let in"
            peer.close()
        peer = Peer(secure, "desk-1", "right-password", ca_file=ca_file)
        assert not peer.connect_reason.is_failure
        assert not peer.publish("taqyeem/v1/devices/desk-1/ratings", b"{}").is_failure
        assert peer.publish("taqyeem/v1/devices/desk-2/ratings", b"{}").is_failure
        peer.close()


def knock_off_attempt(port: int, desk: tuple[str, str], evil: tuple[str, str], ca_file: str) -> Peer:
    """A desk signed in with its own id as client id, then another account connecting with that client id.

    Returns the desk's connection after a round trip made once the other's CONNACK came: the broker
    handles a CONNECT (and any take-over of its client id) before answering it, so a desk knocked off
    has seen its connection closed by then (``disconnects``).
    """
    peer = Peer(port, desk[0], desk[1], ca_file=ca_file)
    intruder = Peer(port, evil[0], evil[1], client_id=desk[0], ca_file=ca_file)
    try:
        assert not intruder.connect_reason.is_failure  # let in, under its own name
        assert intruder.publish(f"taqyeem/v1/devices/{desk[0]}/ratings", b"{}").is_failure  # the ACL is by name
        assert not peer.publish(f"taqyeem/v1/devices/{desk[0]}/status", b"{}").is_failure
    finally:
        intruder.close()
    return peer


def test_on_the_devices_listener_an_account_cannot_knock_a_desk_off_with_its_client_id(tmp_path: Path):
    accounts = {"riyadh-hq-desk-01": "desk-password", "evil-dev": "evil-password"}
    with production_broker(tmp_path, accounts) as (_plain, secure, ca_file):
        desk = knock_off_attempt(secure, ("riyadh-hq-desk-01", "desk-password"), ("evil-dev", "evil-password"), ca_file)
        assert desk.disconnects == 0
        desk.close()


def test_the_test_broker_ties_a_client_id_to_its_user_name_on_its_tls_listener(broker: RunningBroker, unique_id):
    desk_id, evil_id = unique_id("desk"), unique_id("evil")
    desk_pair, evil_pair = (desk_id, broker.add_device(desk_id)), (evil_id, broker.add_device(evil_id))
    desk = knock_off_attempt(broker.tls_port, desk_pair, evil_pair, str(broker.ca_file))
    assert desk.disconnects == 0
    desk.close()
