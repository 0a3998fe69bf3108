"""deploy/: systemd units, shell scripts, the certificate script against a real mosquitto, example files."""

from __future__ import annotations

import grp
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from click.testing import CliRunner
from paho.mqtt.enums import CallbackAPIVersion

from collector.cli import cli
from collector.fleet.sites import load_sites_file
from collector.store import Store
from devtools.local_broker import free_port, wait_for_port
from shared.broker_url import parse_broker_url

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = [
    DEPLOY / "systemd" / "taqyeem-collector.service",
    DEPLOY / "systemd" / "taqyeem-backup.service",
    DEPLOY / "systemd" / "taqyeem-backup.timer",
    DEPLOY / "pi" / "taqyeem-kiosk.service",
    DEPLOY / "pi" / "taqyeem-update-check.service",
    DEPLOY / "pi" / "taqyeem-update-check.timer",
]
VERIFY_ARM64 = DEPLOY / "pi" / "verify-arm64.sh"
SCRIPTS = [DEPLOY / "tls" / "make-certs.sh", DEPLOY / "pi" / "setup-pi.sh", VERIFY_ARM64]
MOSQUITTO = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None)


@pytest.fixture(scope="module")
def unit_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The units with the program path pointed at this checkout's taqyeem (verify checks it exists)."""
    folder = tmp_path_factory.mktemp("units")
    program = ROOT / ".venv" / "bin" / "taqyeem"
    if not program.exists():
        program = Path(shutil.which("taqyeem") or "/bin/true")
    for unit in UNITS:
        (folder / unit.name).write_text(unit.read_text().replace("/opt/taqyeem/.venv/bin/taqyeem", str(program)))
    (folder / "mosquitto.service.d").mkdir()
    shutil.copy(DEPLOY / "systemd" / "mosquitto.service.d" / "taqyeem.conf", folder / "mosquitto.service.d")
    return folder


def _verify(unit_dir: Path, name: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SYSTEMD_UNIT_PATH": f"{unit_dir}:", "SYSTEMD_LOG_COLOR": "0"}
    # --man=no: Documentation=man:... of Debian's units is not ours to check, and a minimal system has no man pages.
    command = ["systemd-analyze", "verify", "--man=no", name]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("name", [u.name for u in UNITS])
def test_units_pass_systemd_analyze_verify(unit_dir: Path, name: str) -> None:
    result = _verify(unit_dir, name)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # warnings (unknown keys) count too


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.skipif(not Path("/lib/systemd/system/mosquitto.service").exists(), reason="Debian's mosquitto unit absent")
def test_mosquitto_drop_in_passes_verify(unit_dir: Path) -> None:
    result = _verify(unit_dir, "mosquitto.service")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_collector_unit_takes_its_secret_through_load_credential() -> None:
    text = (DEPLOY / "systemd" / "taqyeem-collector.service").read_text()
    for line in (
        "User=taqyeem",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "LoadCredential=broker-password:",
        "Environment=TAQYEEM_BROKER_PASSWORD_FILE=%d/broker-password",
    ):
        assert line in text
    kiosk = (DEPLOY / "pi" / "taqyeem-kiosk.service").read_text()
    assert "SDL_VIDEODRIVER=kmsdrm" in kiosk and "SupplementaryGroups=video render input" in kiosk
    assert "Restart=always" in kiosk


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_are_valid_bash_and_executable(script: Path) -> None:
    assert os.access(script, os.X_OK)
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
    if shutil.which("shellcheck"):
        result = subprocess.run(["shellcheck", "-S", "warning", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout


def test_setup_pi_refuses_a_folder_that_is_not_a_bundle(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(DEPLOY / "pi" / "setup-pi.sh"), "--bundle", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "is missing" in result.stderr or "run me as root" in result.stderr


def test_verify_arm64_refuses_an_unknown_argument_and_a_cache_inside_the_repository() -> None:
    result = subprocess.run([str(VERIFY_ARM64), "--no-such-option"], capture_output=True, text=True, timeout=10)
    assert result.returncode == 2 and "usage: sudo deploy/pi/verify-arm64.sh" in result.stdout
    env = {**os.environ, "TAQYEEM_ARM64_CACHE": str(ROOT / "arm64-cache")}
    result = subprocess.run([str(VERIFY_ARM64)], capture_output=True, text=True, env=env, timeout=10)
    assert result.returncode == 1 and "must be outside the repository" in result.stderr
    assert not (ROOT / "arm64-cache").exists()


def test_verify_arm64_is_documented_and_not_part_of_ci() -> None:
    deployment = (ROOT / "docs" / "deployment.md").read_text()
    assert "sudo deploy/pi/verify-arm64.sh" in deployment
    assert "`pi/verify-arm64.sh`" in deployment  # in the table of deploy/'s files
    assert "verify-arm64.sh" in (ROOT / "docs" / "performance.md").read_text()  # its latest figures
    assert "verify-arm64" not in (ROOT / ".ci" / "run").read_text()  # minutes under emulation: run by hand
    script = VERIFY_ARM64.read_text()
    assert "trap cleanup EXIT" in script and "trap 'exit 130' INT" in script and "trap 'exit 143' TERM" in script
    assert 'setup-pi.sh" --bundle' in script  # the tablet is installed by the real script, not a copy of it


@pytest.fixture
def cert_dir() -> Iterator[Path]:
    """A folder mosquitto's own user can reach (pytest's tmp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="taqyeem-certs-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _group() -> str:
    try:
        return grp.getgrnam("mosquitto").gr_name
    except KeyError:
        return grp.getgrgid(os.getgid()).gr_name


@pytest.mark.skipif(MOSQUITTO is None or shutil.which("openssl") is None, reason="needs mosquitto and openssl")
def test_make_certs_gives_files_mosquitto_accepts(cert_dir: Path) -> None:
    out = cert_dir / "taqyeem"
    env = {**os.environ, "OUT": str(out), "GROUP": _group()}
    made = subprocess.run(
        ["bash", str(DEPLOY / "tls" / "make-certs.sh"), "localhost", "127.0.0.1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    key = out / "server.key"
    assert key.stat().st_mode & 0o777 == 0o640 and grp.getgrgid(key.stat().st_gid).gr_name == _group()
    assert (out / "ca.key").stat().st_mode & 0o777 == 0o600
    again = subprocess.run(
        ["bash", str(DEPLOY / "tls" / "make-certs.sh"), "localhost"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0 and "made a new CA" not in again.stdout  # the CA is reused, never replaced

    port = free_port()
    conf = cert_dir / "mosquitto.conf"
    # As root, mosquitto drops to the 'mosquitto' user before reading the key: the test of the group bits.
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\ncafile {out}/ca.crt\n"
        f"certfile {out}/server.crt\nkeyfile {key}\ntls_version tlsv1.2\n"
    )
    process = subprocess.Popen([str(MOSQUITTO), "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port("127.0.0.1", port, 10, process)
        connected = threading.Event()
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="cert-check", protocol=mqtt.MQTTv5)
        client.tls_set(ca_certs=str(out / "ca.crt"), cert_reqs=ssl.CERT_REQUIRED)
        client.on_connect = lambda *_args: connected.set()
        client.connect("localhost", port)
        client.loop_start()
        assert connected.wait(10), "TLS connection with the made CA failed"
        client.disconnect()
        client.loop_stop()
    finally:
        process.terminate()
        process.wait(10)
        assert process.stderr is not None
        process.stderr.close()


def test_example_files_are_valid(tmp_path: Path) -> None:
    file = load_sites_file(DEPLOY / "sites.example.toml")
    assert {s.id for s in file.sites} == {"riyadh-hq", "jeddah"}
    Store(tmp_path / "t.db").close()
    result = CliRunner().invoke(
        cli, ["sites", "apply", str(DEPLOY / "sites.example.toml"), "--db", str(tmp_path / "t.db")]
    )
    assert result.exit_code == 0, result.output
    from collector.settings import load_collector_settings

    settings = load_collector_settings(DEPLOY / "collector.example.toml")
    assert parse_broker_url(settings.broker).username == "taqyeem-collector"


def test_example_config_names_the_password_file_the_unit_loads() -> None:
    """Hand-run commands with --config read the file systemd hands the service (LoadCredential)."""
    from collector.settings import load_collector_settings

    unit = (DEPLOY / "systemd" / "taqyeem-collector.service").read_text()
    (line,) = [x for x in unit.splitlines() if x.startswith("LoadCredential=")]
    source = line.split(":", 1)[1]
    settings = load_collector_settings(DEPLOY / "collector.example.toml")
    assert str(settings.broker_password_file) == source == "/etc/taqyeem/credentials/broker-password"
    assert f"{source}\n" in (ROOT / "docs" / "deployment.md").read_text()  # where section 1 writes it


def test_bridge_template_carries_ratings_out_and_acks_in() -> None:
    text = (DEPLOY / "mosquitto" / "bridge-to-hq.conf").read_text()
    topics = [line.split()[1:3] for line in text.splitlines() if line.startswith("topic ")]
    assert ["taqyeem/v1/devices/+/ratings", "out"] in topics and ["taqyeem/v1/devices/+/acks", "in"] in topics
    assert "bridge_insecure false" in text and "cleansession false" in text


def test_the_kiosk_runs_the_release_in_current_and_the_base_install_checks_it() -> None:
    """docs/deployment.md, "How a tablet updates itself": the slot first on PYTHONPATH, the check without it."""
    kiosk = (DEPLOY / "pi" / "taqyeem-kiosk.service").read_text()
    assert "Environment=PYTHONPATH=/var/lib/taqyeem/releases/current" in kiosk
    assert "ExecStartPre=-/usr/bin/env -u PYTHONPATH /opt/taqyeem/.venv/bin/taqyeem-device update-check --starting" in (
        kiosk
    )
    check = (DEPLOY / "pi" / "taqyeem-update-check.service").read_text()
    assert "UnsetEnvironment=PYTHONPATH" in check and "--restart taqyeem-kiosk.service" in check
    assert "OnUnitActiveSec=1min" in (DEPLOY / "pi" / "taqyeem-update-check.timer").read_text()
    setup = (DEPLOY / "pi" / "setup-pi.sh").read_text()
    assert "taqyeem-update-check.timer" in setup and "systemctl enable taqyeem-update-check.timer" in setup
