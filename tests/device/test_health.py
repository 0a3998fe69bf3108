"""The tablet's health figures for its Status: free disk and temperature, read from a fake /sys tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from device.core import DeviceCore
from device.health import free_disk_mb, temperature_c
from device.settings import DeviceSettings


def zone(root: Path, number: int, kind: str | None, temp: str | None) -> Path:
    """``thermal_zoneN`` with its ``type`` and ``temp`` files, as Linux lays them out (either may be missing)."""
    path = root / f"thermal_zone{number}"
    path.mkdir(parents=True)
    if kind is not None:
        (path / "type").write_text(kind + "\n")
    if temp is not None:
        (path / "temp").write_text(temp + "\n")
    return path


def test_the_cpu_thermal_zone_is_preferred_in_millidegrees(tmp_path: Path) -> None:
    zone(tmp_path, 0, "acpitz", "27800")
    zone(tmp_path, 1, "cpu-thermal", "61322")
    assert temperature_c(tmp_path) == 61.3


def test_without_a_cpu_thermal_zone_the_first_by_number_is_read(tmp_path: Path) -> None:
    zone(tmp_path, 10, "x86_pkg_temp", "90000")
    zone(tmp_path, 2, "acpitz", "45000")
    zone(tmp_path, 0, "bcm2835_thermal", "-5500")
    (tmp_path / "cooling_device0").mkdir()  # not a zone
    assert temperature_c(tmp_path) == -5.5


@pytest.mark.parametrize(
    "temp",
    [None, "", "hot", "250000", "-70000"],
    ids=["no temp file", "empty", "not a number", "above 200 C", "below -60 C"],
)
def test_an_unreadable_or_impossible_zone_is_passed_over(tmp_path: Path, temp: str | None) -> None:
    zone(tmp_path, 0, "cpu-thermal", temp)
    assert temperature_c(tmp_path) is None
    zone(tmp_path, 1, "acpitz", "40000")
    assert temperature_c(tmp_path) == 40.0


def test_no_thermal_folder_or_an_empty_one_is_no_temperature(tmp_path: Path) -> None:
    assert temperature_c(tmp_path / "absent") is None
    assert temperature_c(tmp_path) is None
    zone(tmp_path, 0, None, "50000")  # no type: still a zone
    assert temperature_c(tmp_path) == 50.0


def test_a_zone_whose_temp_cannot_be_read_is_no_temperature(tmp_path: Path) -> None:
    (zone(tmp_path, 0, "cpu-thermal", None) / "temp").mkdir()  # reading it fails with an OSError, even as root
    assert temperature_c(tmp_path) is None


def test_free_disk_is_the_free_space_of_the_folders_disk_in_mib(tmp_path: Path) -> None:
    expected = shutil.disk_usage(tmp_path).free // (1024 * 1024)
    assert abs(free_disk_mb(tmp_path) - expected) <= 2  # type: ignore[operator]  # others write meanwhile
    assert free_disk_mb(tmp_path / "gone") is None


def test_the_status_carries_free_disk_and_temperature_or_null(tmp_path: Path) -> None:
    core = DeviceCore(DeviceSettings(device_id="riyadh-hq-d12", data_dir=tmp_path / "desk"))
    try:
        core.thermal_root = tmp_path / "sys" / "class" / "thermal"
        status = core.status()
        assert status.temperature_c is None
        assert status.free_disk_mb is not None and status.free_disk_mb > 0
        zone(core.thermal_root, 0, "cpu-thermal", "48300")
        status = core.status()
        assert status.temperature_c == 48.3
        assert '"temperature_c":48.3' in status.to_json().decode()
    finally:
        core.stop()
