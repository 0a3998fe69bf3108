"""deploy/pi/'s enrolment at first boot: the USB unit passes systemd-analyze verify, the udev rule starts it,
and setup-pi.sh without --bundle prepares a tablet that enrols itself."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_deploy import DEPLOY, ROOT, _verify

UNIT = DEPLOY / "pi" / "taqyeem-enrol@.service"
RULE = DEPLOY / "pi" / "99-taqyeem-enrol.rules"
SETUP = DEPLOY / "pi" / "setup-pi.sh"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_usb_enrolment_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    program = ROOT / ".venv" / "bin" / "taqyeem-device"
    if not program.exists():
        program = Path(shutil.which("taqyeem-device") or "/bin/true")
    (tmp_path / UNIT.name).write_text(UNIT.read_text().replace("/opt/taqyeem/.venv/bin/taqyeem-device", str(program)))
    result = _verify(tmp_path, "taqyeem-enrol@sda1.service")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_the_unit_never_touches_a_stick_on_an_enrolled_tablet_and_mounts_privately() -> None:
    text = UNIT.read_text()
    for line in (
        "ConditionPathExists=!/etc/taqyeem/device.toml",
        "ConditionPathExists=!/var/lib/taqyeem/enrolled/device.toml",
        "ExecStart=/opt/taqyeem/.venv/bin/taqyeem-device enrol --usb /dev/%I",
        "PrivateMounts=yes",
        "Type=oneshot",
    ):
        assert line in text
    kiosk = (DEPLOY / "pi" / "taqyeem-kiosk.service").read_text()
    assert "ReadWritePaths=/var/lib/taqyeem" in kiosk  # where the enrolment screen writes the config


def test_the_udev_rule_starts_the_unit_for_a_usb_file_system() -> None:
    rules = [line for line in RULE.read_text().splitlines() if line and not line.startswith("#")]
    assert len(rules) == 1
    keys = dict(re.findall(r'(\S+?)[=!+]=?"([^"]*)"', rules[0]))
    assert keys["ACTION"] == "add" and keys["SUBSYSTEM"] == "block" and keys["ENV{ID_BUS}"] == "usb"
    assert keys["ENV{SYSTEMD_WANTS}"] == "taqyeem-enrol@%k.service" and keys["TAG"] == "systemd"


def test_setup_pi_installs_the_rule_and_the_unit_and_takes_no_bundle_for_first_boot() -> None:
    text = SETUP.read_text()
    assert "/etc/udev/rules.d/99-taqyeem-enrol.rules" in text
    assert '"/etc/systemd/system/taqyeem-enrol@.service"' in text
    assert 'collector_url = \\"$COLLECTOR_URL\\"' in text


def test_setup_pi_refuses_a_collector_address_that_is_not_https(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(SETUP), "--collector-url", "http://taqyeem.centre.lan"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "must begin with https://" in result.stderr or "run me as root" in result.stderr
