"""The tablet's health for its Status (1.1): free disk where the outbox lives, and the board's temperature.

Both are read each time a Status is made (every 30 s while connected), so both are cheap:
one ``statvfs`` and a few small files under ``/sys``. A figure that cannot be read is None
(the Status then says ``null``), never an error: a Status must always go out.

The temperature comes from Linux's thermal zones, ``/sys/class/thermal/thermal_zoneN``, each
with a ``type`` (a Raspberry Pi's SoC is ``cpu-thermal``) and a ``temp`` in millidegrees
Celsius. The zone named ``cpu-thermal`` is preferred; otherwise the first zone by number. A
zone that cannot be read, or reads outside what the contract allows (-60 to 200 °C), is
passed over for the next one.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

SYS_THERMAL = Path("/sys/class/thermal")
PREFERRED_ZONE = "cpu-thermal"
MIB = 1024 * 1024
MIN_C, MAX_C = -60.0, 200.0  # Status.temperature_c's bounds
_ZONE = re.compile(r"^thermal_zone(\d+)$")


def free_disk_mb(path: Path) -> int | None:
    """Free space, in whole MiB, that an ordinary process may use on the disk holding ``path``."""
    try:
        return shutil.disk_usage(path).free // MIB
    except OSError:
        return None


def _zones(thermal: Path) -> list[Path]:
    """The thermal zones in order of preference: ``cpu-thermal`` first, then the rest by number."""
    try:
        found = [(int(m.group(1)), entry) for entry in thermal.iterdir() if (m := _ZONE.match(entry.name))]
    except OSError:
        return []
    zones = [entry for _, entry in sorted(found)]
    return sorted(zones, key=lambda zone: _read(zone / "type") != PREFERRED_ZONE)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None


def _celsius(zone: Path) -> float | None:
    text = _read(zone / "temp")
    try:
        value = int(text) / 1000 if text is not None else None
    except ValueError:
        return None
    if value is None or not MIN_C <= value <= MAX_C:
        return None
    return round(value, 1)


def temperature_c(thermal: Path = SYS_THERMAL) -> float | None:
    """The board's temperature in °C (one decimal), or None when no zone can be read."""
    for zone in _zones(thermal):
        value = _celsius(zone)
        if value is not None:
            return value
    return None
