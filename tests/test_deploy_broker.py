"""The production broker files in deploy/mosquitto/ stay in step with the code and really run."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from collector.fleet.broker import set_password
from devtools.local_broker import acl_text, free_port, wait_for_port
from tests.mqtt_peer import Peer
from tests.tls import make_test_ca

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


def test_the_production_config_runs_under_debians_main_config_and_refuses_strangers(tmp_path: Path):
    """Installed as Debian installs it: Debian's mosquitto.conf including ours from conf.d."""
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
    set_password(tmp_path / "passwd", "desk-1", "right-password")
    process = subprocess.Popen(
        [shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", str(tmp_path / "m.conf")], stderr=subprocess.PIPE
    )
    try:
        wait_for_port("127.0.0.1", plain, 10, process)
        wait_for_port("127.0.0.1", secure, 10, process)
        for user, password in (("", ""), ("desk-1", "wrong"), ("nobody", "x")):
            try:
                peer = Peer(plain, user, password, client_id="probe")
            except AssertionError:
                continue  # paho never reported a connect: refused
            assert peer.connect_reason.is_failure, f"{user!r} was let in"
            peer.close()
        peer = Peer(secure, "desk-1", "right-password", ca_file=str(tls.ca_cert))
        assert not peer.connect_reason.is_failure
        assert not peer.publish("taqyeem/v1/devices/desk-1/ratings", b"{}").is_failure
        assert peer.publish("taqyeem/v1/devices/desk-2/ratings", b"{}").is_failure
        peer.close()
    finally:
        process.terminate()
        process.wait(10)
        assert process.stderr is not None
        process.stderr.close()
