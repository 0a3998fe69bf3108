"""A desk's history as the collector tells it, from real tablets over a real mosquitto."""

from __future__ import annotations

from pathlib import Path

from device.core import DeviceCore
from device.settings import DeviceSettings
from tests.conftest import wait_until


def test_a_tablet_restored_to_a_fresh_outbox_is_reported_as_a_reset_not_as_gaps(
    broker, make_collector, unique_id, tmp_path: Path
) -> None:
    ingest = make_collector()
    device_id = unique_id("desk")
    password = broker.add_device(device_id)

    def run_tablet(data_dir: Path, taps: int) -> None:
        core = DeviceCore(
            DeviceSettings(
                device_id=device_id, data_dir=data_dir, broker=f"mqtt://127.0.0.1:{broker.port}", password=password
            )
        )
        core.start()
        try:
            for _ in range(taps):
                core.rate(4, employee_id="E1")
            wait_until(lambda: core.outbox_depth() == 0, what="the collector's Acks")
        finally:
            core.stop()

    run_tablet(tmp_path / "before", 5)
    run_tablet(tmp_path / "restored", 2)  # a fresh SD card image: seq 1 and 2 again

    device = next(d for d in ingest.store.devices.all() if d["device_id"] == device_id)
    assert (device["ratings"], device["seq_resets"], device["last_seq"], device["gaps"]) == (7, 1, 2, 0)
    assert device["last_reset_at"] is not None
    assert device["clock_off"] is False and device["clock_skew_at"] is not None
