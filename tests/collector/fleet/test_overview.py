"""The fleet view's rules (pure): who is silent, the flags, the order, and how figures read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from collector.fleet.overview import (
    FLAGS,
    SILENT_AFTER_S,
    age,
    disk_text,
    flags_of,
    fleet_rows,
    is_silent,
    temperature_text,
)
from shared.clock import format_time

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def ago(seconds: float) -> str:
    return format_time(NOW - timedelta(seconds=seconds))


def device(device_id: str, **changes: Any) -> dict[str, Any]:
    """A row as store.devices.all() gives it: a healthy, online, assigned tablet heard from just now."""
    row: dict[str, Any] = {
        "device_id": device_id,
        "site_id": "riyadh-hq",
        "desk_id": device_id.replace("dev", "desk"),
        "assigned": True,
        "revoked_at": None,
        "state": "online",
        "last_seen": ago(5),
        "free_disk_mb": 12_000,
        "temperature_c": 52.0,
        "clock_off": False,
        "gaps": 0,
        "seq_jumps": 0,
        "update": None,
    }
    row.update(changes)
    return row


def test_a_healthy_online_tablet_has_no_flags() -> None:
    assert flags_of(device("dev-01"), NOW) == []


@pytest.mark.parametrize(
    ("changes", "silent"),
    [
        ({"state": "offline"}, True),
        ({"state": "stopped"}, True),
        ({"state": None, "last_seen": None}, True),  # provisioned, never heard from
        ({"last_seen": ago(SILENT_AFTER_S + 1)}, True),  # online says the broker, but no Status for minutes
        ({"last_seen": ago(SILENT_AFTER_S - 1)}, False),
        ({"state": "offline", "assigned": False}, False),  # an unknown device is not waited for
        ({"state": "offline", "revoked_at": ago(60)}, False),  # nor a revoked one
    ],
)
def test_who_is_silent(changes: dict[str, Any], silent: bool) -> None:
    assert is_silent(device("dev-01", **changes), NOW) is silent


def test_each_flag_at_its_threshold() -> None:
    assert flags_of(device("d", free_disk_mb=499), NOW) == ["low_disk"]
    assert flags_of(device("d", free_disk_mb=500), NOW) == []
    assert flags_of(device("d", temperature_c=80.0), NOW) == ["hot"]
    assert flags_of(device("d", temperature_c=79.9), NOW) == []
    assert flags_of(device("d", free_disk_mb=None, temperature_c=None), NOW) == []  # not reported: no flag
    assert flags_of(device("d", clock_off=True), NOW) == ["clock_off"]
    assert flags_of(device("d", gaps=3), NOW) == ["gaps"]
    assert flags_of(device("d", seq_jumps=1), NOW) == ["gaps"]
    failed = {"version": "0.2.0", "state": "failed", "reason": "signature does not match", "at": ago(60)}
    assert flags_of(device("d", update=failed), NOW) == ["update_failed"]
    assert flags_of(device("d", update={**failed, "state": "rolled_back"}), NOW) == ["rolled_back"]
    assert flags_of(device("d", update={**failed, "state": "done", "reason": None}), NOW) == []
    everything = device(
        "d",
        state="offline",
        free_disk_mb=10,
        temperature_c=91.5,
        clock_off=True,
        gaps=1,
        update={**failed, "state": "rolled_back"},
    )
    assert flags_of(everything, NOW) == ["silent", "low_disk", "hot", "clock_off", "gaps", "rolled_back"]
    assert set(FLAGS) == {"silent", "low_disk", "hot", "clock_off", "gaps", "update_failed", "rolled_back"}


def test_the_silent_come_first_never_seen_then_the_longest_silent_then_the_rest_by_site_and_desk() -> None:
    rows = [
        device("dev-05"),
        device("dev-02", state="offline", last_seen=ago(600)),
        device("dev-01", temperature_c=85.0),  # flagged but talking: in its place among the rest
        device("dev-04", state="offline", last_seen=ago(86_400)),
        device("dev-03", state=None, last_seen=None),
        device("dev-00", site_id="abha", state="offline", assigned=False),  # not waited for
        device("dev-06", last_seen=ago(3_600)),  # "online" at the broker, nothing for an hour
    ]
    ordered = fleet_rows(rows, NOW)
    assert [r["device_id"] for r in ordered] == ["dev-03", "dev-04", "dev-06", "dev-02", "dev-00", "dev-01", "dev-05"]
    assert [r["silent"] for r in ordered] == [True, True, True, True, False, False, False]
    assert ordered[0]["since_seen_s"] is None and ordered[1]["since_seen_s"] == 86_400
    assert ordered[5]["flags"] == ["hot"]
    assert rows[0].get("flags") is None  # the caller's rows are left as they were


def test_how_long_and_the_figures_read() -> None:
    assert [age(s) for s in (None, -3, 0, 59, 60, 3_599, 3_600, 86_399, 86_400, 200_000)] == [
        None,
        (0, "s"),
        (0, "s"),
        (59, "s"),
        (1, "min"),
        (59, "min"),
        (1, "h"),
        (23, "h"),
        (1, "d"),
        (2, "d"),
    ]
    assert [disk_text(mb) for mb in (None, 0, 480, 1023, 1024, 3_300)] == [
        "—",
        "0 MiB",
        "480 MiB",
        "1023 MiB",
        "1.0 GiB",
        "3.2 GiB",
    ]
    assert [temperature_text(c) for c in (None, 61.25, -5.0)] == ["—", "61.2 °C", "-5.0 °C"]
