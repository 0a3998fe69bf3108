"""A USB stick plugged into a tablet: mounted privately, its bundle taken if the tablet is not enrolled, unmounted.

Raspberry Pi OS Lite mounts nothing by itself. deploy/pi/99-taqyeem-enrol.rules
starts taqyeem-enrol@<dev>.service (root, a oneshot) for each partition of a USB
disk, which runs ``taqyeem-device enrol --usb /dev/<dev>``: mount read-write,
nosuid, nodev, noexec on a fresh folder only root may enter, take the one bundle
(device/enrolment.py:take_from_stick), sync, unmount. The stick is unmounted
whatever happened.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from device.enrolment import ENROLLED_DIR, ETC_CONFIG, TABLET_DATA_DIR, EnrolmentData, EnrolmentError, take_from_stick

MOUNT_OPTIONS = "rw,nosuid,nodev,noexec,noatime"


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)


def take_from_device(
    device: Path,
    *,
    enrolled_dir: Path = ENROLLED_DIR,
    etc_config: Path = ETC_CONFIG,
    data_dir: Path = TABLET_DATA_DIR,
) -> EnrolmentData:
    """Mount ``device`` (e.g. /dev/sda1), take its bundle, sync and unmount; EnrolmentError if it cannot."""
    if not device.is_block_device():
        raise EnrolmentError("no_bundle", f"{device} is not a block device (a USB stick's partition, e.g. /dev/sda1)")
    if etc_config.is_file() or (enrolled_dir / "device.toml").is_file():  # checked again after mounting
        raise EnrolmentError("enrolled", "this tablet is already enrolled; the stick was not mounted")
    with tempfile.TemporaryDirectory(prefix="taqyeem-usb-") as folder:  # 0700: only root may look inside
        mounted = _run("mount", "-o", MOUNT_OPTIONS, str(device), folder)
        if mounted.returncode != 0:
            raise EnrolmentError("no_bundle", f"cannot mount {device}: {mounted.stderr.strip()}")
        try:
            return take_from_stick(Path(folder), enrolled_dir=enrolled_dir, etc_config=etc_config, data_dir=data_dir)
        finally:
            _run("sync")
            unmounted = _run("umount", folder)
            if unmounted.returncode != 0:
                _run("umount", "-l", folder)
