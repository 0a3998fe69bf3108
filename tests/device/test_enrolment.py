"""First-boot enrolment from a bundle (device/enrolment.py, device/usb_stick.py, ``taqyeem-device enrol``).

A tmp folder stands in for the mounted stick; one test mounts a real block device (a loop
device holding an ext4 file system, as root) through ``taqyeem-device enrol --usb``.
The bundles are the collector's own (collector/fleet/enrolment.py:write_bundle).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.fleet.enrolment import BundleOptions, Enrolment, write_bundle
from device.cli import cli
from device.enrolment import EnrolmentError, find_config, read_bundle, take_from_stick
from device.settings import load_device_settings
from shared.releases import public_key_text
from tests.conftest import wait_until
from tests.support.throwaway_ca import make_test_ca

ROOT = Path(__file__).resolve().parents[2]

NOW = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)
RELEASE_KEY = public_key_text(Ed25519PrivateKey.generate().public_key())


@pytest.fixture(scope="module")
def ca_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_test_ca(tmp_path_factory.mktemp("ca")).ca_cert


pytestmark = pytest.mark.usefixtures("without_taqyeem_variables")


def bundle_on(stick: Path, ca_file: Path, device_id: str = "riyadh-hq-desk-01-a1b2c3") -> Path:
    """A real bundle, as `taqyeem provision device` writes it, in a folder of the stick."""
    enrolment = Enrolment(
        device_id, "mqtts://broker.centre.lan:8883", f"pw-{device_id}-0123456789", ca_file.read_text()
    )
    options = BundleOptions(broker_url=enrolment.broker, ca_file=ca_file, out_dir=stick)
    return write_bundle(enrolment, options, site_id="riyadh-hq", desk_id="desk-01", config=None).folder


class Tablet:
    def __init__(self, root: Path) -> None:
        self.etc = root / "etc" / "device.toml"
        self.enrolled = root / "var" / "enrolled"
        self.data = root / "var"

    def take(self, stick: Path):
        return take_from_stick(stick, enrolled_dir=self.enrolled, etc_config=self.etc, data_dir=self.data, now=NOW)


@pytest.fixture
def tablet(tmp_path: Path) -> Tablet:
    return Tablet(tmp_path / "tablet")


def test_a_stick_enrols_the_tablet_and_loses_its_secrets(tablet: Tablet, tmp_path: Path, ca_file: Path) -> None:
    folder = bundle_on(tmp_path / "stick", ca_file)
    password = (folder / "password").read_text().strip()

    data = tablet.take(tmp_path / "stick")

    config = find_config(tablet.etc, tablet.enrolled)
    assert config == tablet.enrolled / "device.toml"
    settings = load_device_settings(config)
    assert (settings.device_id, settings.broker) == (data.device_id, "mqtts://broker.centre.lan:8883")
    assert settings.data_dir == tablet.data and settings.password_file == tablet.enrolled / "password"
    assert settings.broker_address().password == password  # type: ignore[union-attr]
    assert (tablet.enrolled / "password").stat().st_mode & 0o777 == 0o600
    assert (tablet.enrolled / "ca.crt").read_text() == ca_file.read_text()
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["README.txt", "TAKEN.txt", "ca.crt", "device.toml"]  # password and QR codes gone
    taken = (folder / "TAKEN.txt").read_text()
    assert data.device_id in taken and "2026-12-01 04:30 UTC" in taken and "wipe" in taken
    assert taken.index("أخذ") < taken.index("This bundle")  # Arabic first


def test_an_enrolled_tablet_refuses_a_second_stick_and_leaves_it_as_it_was(
    tablet: Tablet, tmp_path: Path, ca_file: Path
) -> None:
    bundle_on(tmp_path / "first", ca_file)
    tablet.take(tmp_path / "first")
    second = bundle_on(tmp_path / "second", ca_file, "riyadh-hq-desk-09-ffffff")
    before = {p.name: p.read_bytes() for p in second.iterdir()}

    with pytest.raises(EnrolmentError) as refused:
        tablet.take(tmp_path / "second")

    assert refused.value.kind == "enrolled"
    assert {p.name: p.read_bytes() for p in second.iterdir()} == before
    assert load_device_settings(tablet.enrolled / "device.toml").device_id == "riyadh-hq-desk-01-a1b2c3"


def test_a_tablet_set_up_by_hand_refuses_a_stick_too(tablet: Tablet, tmp_path: Path, ca_file: Path) -> None:
    tablet.etc.parent.mkdir(parents=True)
    tablet.etc.write_text('device_id = "by-hand"\n')
    bundle_on(tmp_path / "stick", ca_file)
    with pytest.raises(EnrolmentError, match="already enrolled"):
        tablet.take(tmp_path / "stick")
    assert not tablet.enrolled.exists()


def test_a_stick_with_no_bundle_or_two_is_refused_untouched(tablet: Tablet, tmp_path: Path, ca_file: Path) -> None:
    (tmp_path / "empty" / "photos").mkdir(parents=True)
    with pytest.raises(EnrolmentError) as empty:
        tablet.take(tmp_path / "empty")
    assert empty.value.kind == "no_bundle"
    bundle_on(tmp_path / "two", ca_file, "riyadh-hq-desk-01-aaaaaa")
    bundle_on(tmp_path / "two", ca_file, "riyadh-hq-desk-02-bbbbbb")
    with pytest.raises(EnrolmentError) as two:
        tablet.take(tmp_path / "two")
    assert two.value.kind == "many_bundles" and "desk-02" in str(two.value)
    assert all((p / "password").exists() for p in (tmp_path / "two").iterdir())
    assert find_config(tablet.etc, tablet.enrolled) is None


def test_a_bundle_folder_keeps_its_other_settings_and_the_cli_says_who_the_tablet_is(
    tmp_path: Path, ca_file: Path
) -> None:
    folder = bundle_on(tmp_path / "bundles", ca_file)
    with (folder / "device.toml").open("a") as toml:
        toml.write(f'release_key = "{RELEASE_KEY}"\nfullscreen = false\n')
    enrolled = tmp_path / "enrolled"
    common = ["--enrolled-dir", str(enrolled), "--data-dir", str(tmp_path), "--etc-config", str(tmp_path / "no")]

    result = CliRunner().invoke(cli, ["enrol", "--bundle", str(folder), *common])

    assert result.exit_code == 0, result.output
    assert "this tablet is riyadh-hq-desk-01-a1b2c3" in result.output
    values = tomllib.loads((enrolled / "device.toml").read_text())
    assert values["release_key"] == RELEASE_KEY and values["fullscreen"] is False
    assert (folder / "password").exists()  # a bundle folder given by hand is not a stick: nothing removed
    again = CliRunner().invoke(cli, ["enrol", "--bundle", str(folder), *common])
    assert again.exit_code == 1 and "already enrolled" in again.output and "--force" in again.output
    assert CliRunner().invoke(cli, ["enrol", "--bundle", str(folder), "--force", *common]).exit_code == 0
    shown = CliRunner().invoke(cli, ["show-config"], env={"TAQYEEM_ENROLLED_DIR": str(enrolled)})
    if not Path("/etc/taqyeem/device.toml").exists():  # the default config wins when a machine has one
        assert shown.exit_code == 0 and "riyadh-hq-desk-01-a1b2c3" in shown.output, shown.output


def test_a_broken_bundle_names_what_is_missing(tmp_path: Path, ca_file: Path) -> None:
    folder = bundle_on(tmp_path / "stick", ca_file)
    (folder / "ca.crt").unlink()
    with pytest.raises(EnrolmentError, match=r"ca\.crt is missing"):
        read_bundle(folder)


def _loop_device(image: Path, *options: str) -> Path:
    made = subprocess.run(
        ["losetup", "-f", "--show", *options, str(image)], capture_output=True, text=True, check=False
    )
    if made.returncode != 0:
        pytest.skip(f"no loop device here: {made.stderr.strip()}")
    return Path(made.stdout.strip())


@pytest.fixture
def stick_image(tmp_path: Path) -> Path:
    """An ext4 file system in a file, to be a USB stick through a loop device (as root; skipped elsewhere)."""
    if os.geteuid() != 0 or not shutil.which("losetup") or not shutil.which("mkfs.ext4"):
        pytest.skip("needs root, losetup and mkfs.ext4")
    image = tmp_path / "stick.img"
    with image.open("wb") as out:
        out.truncate(8 * 1024 * 1024)
    subprocess.run(["mkfs.ext4", "-q", str(image)], check=True)
    return image


@pytest.fixture
def usb_stick(stick_image: Path) -> Iterator[Path]:
    """A real block device with a file system (a loop device)."""
    device = _loop_device(stick_image)
    try:
        yield device
    finally:
        subprocess.run(["losetup", "-d", str(device)], check=False)


def test_a_write_protected_stick_still_enrols_and_says_it_could_not_be_cleaned(
    stick_image: Path, tmp_path: Path, ca_file: Path
) -> None:
    staging = tmp_path / "mnt"
    staging.mkdir()
    writable = _loop_device(stick_image)
    try:
        subprocess.run(["mount", str(writable), str(staging)], check=True)
        bundle_on(staging, ca_file)
        subprocess.run(["umount", str(staging)], check=True)
    finally:
        subprocess.run(["losetup", "-d", str(writable)], check=False)
    protected = _loop_device(stick_image, "--read-only")  # a stick with its write-protect switch on
    try:
        args = ["enrol", "--usb", str(protected), "--enrolled-dir", str(tmp_path / "enrolled")]
        result = CliRunner().invoke(cli, [*args, "--data-dir", str(tmp_path), "--etc-config", str(tmp_path / "no")])
    finally:
        subprocess.run(["losetup", "-d", str(protected)], check=False)
    assert result.exit_code == 1
    assert "now enrolled as riyadh-hq-desk-01-a1b2c3" in result.output and "wipe the stick" in result.output
    assert (tmp_path / "enrolled" / "device.toml").is_file()


def test_enrol_usb_mounts_a_real_stick_takes_its_bundle_and_unmounts_it(
    usb_stick: Path, tmp_path: Path, ca_file: Path
) -> None:
    staging = tmp_path / "mnt"
    staging.mkdir()
    subprocess.run(["mount", str(usb_stick), str(staging)], check=True)
    try:
        bundle_on(staging, ca_file)
    finally:
        subprocess.run(["umount", str(staging)], check=True)
    enrolled = tmp_path / "enrolled"
    args = ["enrol", "--usb", str(usb_stick), "--enrolled-dir", str(enrolled), "--data-dir", str(tmp_path)]

    result = CliRunner().invoke(cli, [*args, "--etc-config", str(tmp_path / "none")])

    assert result.exit_code == 0, result.output
    assert str(usb_stick) not in Path("/proc/mounts").read_text()  # unmounted again
    subprocess.run(["mount", "-o", "ro", str(usb_stick), str(staging)], check=True)
    try:
        folder = staging / "riyadh-hq-desk-01-a1b2c3"
        assert sorted(p.name for p in folder.iterdir()) == ["README.txt", "TAKEN.txt", "ca.crt", "device.toml"]
    finally:
        subprocess.run(["umount", str(staging)], check=True)
    again = CliRunner().invoke(cli, [*args, "--etc-config", str(tmp_path / "none")])
    assert again.exit_code == 1 and "already enrolled" in again.output and "not mounted" in again.output


@pytest.mark.skipif(Path("/etc/taqyeem/device.toml").exists(), reason="this machine has a tablet config of its own")
def test_run_without_any_config_shows_the_enrolment_screen_then_exits_once_a_stick_enrolled_it(
    tmp_path: Path, ca_file: Path
) -> None:
    """The real command in its own process (SDL offscreen): what systemd starts on a new tablet."""
    enrolled = tmp_path / "enrolled"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TAQYEEM_", "DISPLAY", "WAYLAND"))}
    env |= {
        "TAQYEEM_ENROLLED_DIR": str(enrolled),
        "TAQYEEM_ENROL_SETTINGS": str(tmp_path / "enrol.toml"),
        "KIVY_HOME": str(tmp_path / "kivy"),
        "SDL_VIDEODRIVER": "offscreen",
        "SDL_AUDIODRIVER": "dummy",
    }
    (tmp_path / "enrol.toml").write_text('collector_url = "https://taqyeem.centre.lan"\n')
    log = tmp_path / "run.log"
    with log.open("w") as out:
        kiosk = subprocess.Popen(
            [sys.executable, "-m", "device", "run", "--windowed"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        wait_until(lambda: "showing the enrolment screen" in log.read_text() or kiosk.poll() is not None, 60)
        assert kiosk.poll() is None, log.read_text()
        assert "collector https://taqyeem.centre.lan" in log.read_text()
        bundle_on(tmp_path / "stick", ca_file)
        take_from_stick(tmp_path / "stick", enrolled_dir=enrolled, etc_config=tmp_path / "none", data_dir=tmp_path)
        assert kiosk.wait(timeout=30) == 0, log.read_text()  # the device id shown, then out: systemd starts the kiosk
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.wait()
