"""The fleet view for IT (pure): which tablets are silent, each one's flags, and the order to list them in.

The Desks and devices page, ``taqyeem devices list`` and ``GET /api/v1/devices`` all read
``store.devices.all()`` and pass it through ``fleet_rows``, so the three agree on every row,
flag and position. What each flag means and what IT does about it: docs/deployment.md,
"The fleet view".

- **silent**: a tablet serving a desk (assigned, not revoked) that is not ``online``, was
  never heard from, or was last heard from more than ``SILENT_AFTER_S`` ago (a connected
  tablet sends a Status every ``STATUS_EVERY_S``, so a few missed ones). Listed first, the
  longest silent first (never heard from before all), whatever the centre's opening hours.
- **low_disk**: less than ``LOW_DISK_MB`` free where its outbox lives.
- **hot**: ``HOT_C`` or more (a Raspberry Pi slows itself down from 80 °C).
- **clock_off**: its clock is further off than ``CLOCK_OFF_S`` (collector/ingest/clock_skew.py).
- **gaps**: ``seq`` numbers missing (ratings that never arrived) or a counter that jumped.
- **update_failed**, **rolled_back**: its latest release was refused, or tried and undone;
  the update's ``reason`` says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from collector.ingest.clock_skew import CLOCK_OFF_S
from shared.clock import parse_time

STATUS_EVERY_S = 30  # a connected tablet's Status period (device/settings.py: status_every_s)
SILENT_AFTER_S = 4 * STATUS_EVERY_S
LOW_DISK_MB = 500
HOT_C = 80.0
# The thresholds, as the page's legend and docs/deployment.md state them.
LIMITS = {"silent_s": SILENT_AFTER_S, "low_disk_mb": LOW_DISK_MB, "hot_c": HOT_C, "clock_off_s": CLOCK_OFF_S}
FLAGS = ("silent", "low_disk", "hot", "clock_off", "gaps", "update_failed", "rolled_back")


def watched(row: dict[str, Any]) -> bool:
    """A tablet that should be talking: it serves a desk and was not revoked."""
    return bool(row.get("assigned")) and not row.get("revoked_at")


def seconds_since(stamp: str | None, now: datetime) -> float | None:
    if not stamp:
        return None
    try:
        return (now - parse_time(stamp)).total_seconds()
    except ValueError:
        return None


def is_silent(row: dict[str, Any], now: datetime) -> bool:
    if not watched(row):
        return False
    quiet = seconds_since(row.get("last_seen"), now)
    return row.get("state") != "online" or quiet is None or quiet > SILENT_AFTER_S


def flags_of(row: dict[str, Any], now: datetime) -> list[str]:
    """The row's flags, in the order of ``FLAGS``."""
    update = row.get("update") or {}
    raised = {
        "silent": is_silent(row, now),
        "low_disk": row.get("free_disk_mb") is not None and row["free_disk_mb"] < LOW_DISK_MB,
        "hot": row.get("temperature_c") is not None and row["temperature_c"] >= HOT_C,
        "clock_off": bool(row.get("clock_off")),
        "gaps": bool(row.get("gaps")) or bool(row.get("seq_jumps")),
        "update_failed": update.get("state") == "failed",
        "rolled_back": update.get("state") == "rolled_back",
    }
    return [flag for flag in FLAGS if raised[flag]]


def _order(row: dict[str, Any]) -> tuple[Any, ...]:
    place = (row.get("site_id") or "~", row.get("desk_id") or "~", row["device_id"])
    if row["silent"]:
        quiet = row["since_seen_s"]
        return (0, 0 if quiet is None else 1, -(quiet or 0.0), *place)
    return (1, 0, 0.0, *place)


def fleet_rows(rows: Iterable[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Each row with ``silent``, ``since_seen_s`` (seconds since last heard, None: never) and ``flags``, in order."""
    result = []
    for row in rows:
        quiet = seconds_since(row.get("last_seen"), now)
        flags = flags_of(row, now)
        result.append({**row, "silent": "silent" in flags, "since_seen_s": quiet, "flags": flags})
    return sorted(result, key=_order)


def age(seconds: float | None) -> tuple[int, str] | None:
    """How long, in the largest whole unit: (n, "s" | "min" | "h" | "d"); None for never."""
    if seconds is None:
        return None
    seconds = max(seconds, 0.0)
    for unit, size in (("d", 86_400), ("h", 3_600), ("min", 60)):
        if seconds >= size:
            return int(seconds // size), unit
    return int(seconds), "s"


def disk_text(mb: int | None) -> str:
    """Free disk for a person: "480 MiB", "3.2 GiB"; "—" when not reported."""
    if mb is None:
        return "—"
    return f"{mb} MiB" if mb < 1024 else f"{mb / 1024:.1f} GiB"


def temperature_text(celsius: float | None) -> str:
    """ "61.3 °C"; "—" when not reported (no thermal zone on that tablet)."""
    return "—" if celsius is None else f"{celsius:.1f} °C"
