"""``taqyeem devices list``: the fleet view at a terminal, on a real SQLite file, as a table or JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import cli
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.store import Store
from shared.clock import format_time
from shared.contract import Status
from shared.releases import UpdateReport
from tests.support.two_sites_today import desk_config, make_rating

REASON = "sha256 does not match the release"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Four desks at two sites: one never seen, one offline for an hour, one hot with a refused update, one fine."""
    path = tmp_path / "taqyeem.db"
    store = Store(path)
    now = datetime.now(UTC)
    at = format_time(now)
    for device_id, site, desk in (
        ("riyadh-hq-d01", "riyadh-hq", "desk-01"),
        ("riyadh-hq-d02", "riyadh-hq", "desk-02"),
        ("riyadh-hq-d03", "riyadh-hq", "desk-03"),
        ("jeddah-d01", "jeddah", "desk-01"),
    ):
        store.devices.register(device_id, desk_config(site, desk), "2026-11-28T06:00:00.000Z")
    refused = UpdateReport(version="0.2.0", state="failed", reason=REASON, at=at)
    hot = Status(state="online", app_version="0.1.0", outbox=2, at=at, free_disk_mb=3_300, temperature_c=83.4)
    store.devices.record_status("riyadh-hq-d01", hot.model_copy(update={"update": refused}), at, live=True)
    hour_ago = format_time(now - timedelta(hours=1))
    store.devices.record_status("riyadh-hq-d02", Status(state="online", at=hour_ago), hour_ago, live=True)
    store.devices.record_status("riyadh-hq-d02", Status(state="offline"), hour_ago, live=True)
    fine = Status(state="online", app_version="0.1.0", outbox=0, at=at, free_disk_mb=420)
    store.devices.record_status("jeddah-d01", fine, at, live=True)
    store_batch(store, Batch([make_rating("jeddah-d01", seq, 5, now) for seq in (1, 4)]), at)  # seq 2 and 3 lost
    store.close()
    return path


def test_the_table_lists_the_silent_first_with_aligned_columns_flags_and_reasons(db: Path) -> None:
    result = CliRunner().invoke(cli, ["devices", "list", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header, rows = lines[0], lines[1:5]
    assert header.split()[:4] == ["DEVICE", "SITE", "DESK", "STATE"]
    assert [row.split()[0] for row in rows] == ["riyadh-hq-d03", "riyadh-hq-d02", "jeddah-d01", "riyadh-hq-d01"]
    assert rows[0].split()[3:5] == ["unknown", "never"]
    assert "offline" in rows[1] and "1 h ago" in rows[1] and rows[1].endswith("silent")
    assert rows[2].endswith("low_disk,gaps") and "420 MiB" in rows[2]
    assert rows[3].endswith("hot,update_failed") and "83.4 °C" in rows[3] and "0.2.0 failed" in rows[3]
    flags_at = header.index("FLAGS")
    assert all(row[flags_at - 2 : flags_at] == "  " and row[flags_at] != " " for row in rows)  # one column
    disk_end = header.index("FREE DISK") + len("FREE DISK")
    assert all(row[disk_end - 1] != " " for row in rows if "MiB" in row or "GiB" in row)  # numbers end together
    assert lines[5:] == ["", f"riyadh-hq-d01: update 0.2.0 failed: {REASON}"]


def test_one_site_and_json(db: Path) -> None:
    result = CliRunner().invoke(cli, ["devices", "list", "--site", "riyadh-hq", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    devices = json.loads(result.output)["devices"]
    assert [d["device_id"] for d in devices] == ["riyadh-hq-d03", "riyadh-hq-d02", "riyadh-hq-d01"]
    hot = devices[2]
    assert (hot["temperature_c"], hot["free_disk_mb"], hot["flags"]) == (83.4, 3_300, ["hot", "update_failed"])
    assert hot["update"] == {"version": "0.2.0", "state": "failed", "reason": REASON, "at": hot["update"]["at"]}
    assert devices[0]["since_seen_s"] is None and "config" not in hot


def test_an_unknown_site_says_which_sites_have_devices(db: Path) -> None:
    result = CliRunner().invoke(cli, ["devices", "list", "--site", "riyad-hq", "--db", str(db)])
    assert result.exit_code == 0
    assert result.output == "no devices at site riyad-hq (sites with devices: jeddah, riyadh-hq)\n"
