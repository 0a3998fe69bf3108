"""The tablet's update path against real parts: HTTPS with the tests' CA, mosquitto, the collector, processes.

A release is downloaded on the updater's own thread, checked (size, SHA-256, Ed25519, the wheel)
and unpacked into the spare slot; the switch writes the trial and flips ``current``; a kiosk
process started with ``PYTHONPATH`` at ``current`` (as the systemd unit starts it) runs the new
version, confirms it and reports it; ``taqyeem-device update-check`` from the base install rolls
back a version that crashes or never comes online.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from collector.fleet.broker import COLLECTOR_USER
from device.core import DeviceCore, default_config
from device.kiosk import flow
from device.kiosk.update_switch import switch_if_at_rest
from device.settings import DeviceSettings
from device.updates.layout import Releases
from device.updates.updater import Updater, start_updates
from shared import topics
from shared.releases import Release
from tests.conftest import RunningBroker, wait_until
from tests.support.db_files import count
from tests.support.kiosk_process import start_kiosk, stop_kiosk, update_check, wait_status
from tests.support.mqtt_peer import Peer
from tests.support.tablet_releases import ReleaseServer, Signer, make_wheel

BASE = "0.1.0"


@pytest.fixture
def server(broker: RunningBroker) -> Iterator[ReleaseServer]:
    assert broker.local.tls is not None
    running = ReleaseServer(broker.local.tls)
    yield running
    running.close()


@pytest.fixture
def signer() -> Signer:
    return Signer()


def _settings(tmp_path: Path, device_id: str, signer: Signer | None, **values: object) -> DeviceSettings:
    return DeviceSettings.model_validate(
        {
            "device_id": device_id,
            "data_dir": tmp_path / "device",
            "ca_file": None,
            "release_key": signer.public if signer else None,
            **values,
        }
    )


def _offer(core: DeviceCore, release: Release) -> None:
    core.apply_config(default_config(core.settings.device_id).model_copy(update={"release": release}))


# --- refusals, no broker needed --------------------------------------------------------------


@pytest.fixture
def offline_core(tmp_path: Path, broker: RunningBroker, signer: Signer) -> Iterator[DeviceCore]:
    core = DeviceCore(_settings(tmp_path, "desk-offline", signer, ca_file=broker.ca_file))
    yield core
    core.stop()


def test_a_good_release_is_checked_and_unpacked_into_the_spare_slot(
    offline_core: DeviceCore, server: ReleaseServer, signer: Signer
) -> None:
    data = make_wheel("0.2.0")
    _offer(offline_core, signer.release("0.2.0", data, server.serve("/good.whl", data)))
    updater = Updater(offline_core.settings, offline_core, running=BASE)
    offline_core.update_report = updater.report
    updater.step()
    report = offline_core.status().update
    assert report is not None and (report.version, report.state) == ("0.2.0", "ready")
    releases = Releases(offline_core.settings.data_dir / "releases")
    assert releases.current_slot() is None and (releases.slot_path("a") / "device" / "cli.py").is_file()
    assert updater.ready_to_switch()
    assert not list(releases.downloads.iterdir())  # the download is not kept
    updater.step()
    assert server.hits("/good.whl") == 1  # ready: not fetched again


@pytest.mark.parametrize(
    ("case", "words", "again"),
    [
        ("wrong hash", "SHA-256 of the downloaded 0.2.0", False),
        ("wrong signature", "does not match this tablet's release_key", False),
        ("no release key", "no release_key in device.toml", False),
        ("longer than signed", "longer than the signed size", False),
        ("truncated", "stopped at", True),
    ],
)
def test_a_bad_release_is_refused_and_reported_with_what_to_do(
    offline_core: DeviceCore, server: ReleaseServer, signer: Signer, case: str, words: str, again: bool
) -> None:
    data = make_wheel("0.2.0")
    path = "/" + case.replace(" ", "-") + ".whl"
    mode = {"truncated": "truncated", "longer than signed": "longer"}.get(case, "whole")
    url = server.serve(path, data, mode)  # type: ignore[arg-type]
    if case == "wrong hash":
        release = signer.release("0.2.0", data[::-1], url)  # signed, but for other bytes of the same size
    elif case == "wrong signature":
        release = Signer().release("0.2.0", data, url)  # another centre's key
    else:
        release = signer.release("0.2.0", data, url)
    settings = offline_core.settings
    if case == "no release key":
        settings = settings.model_copy(update={"release_key": None})
    _offer(offline_core, release)
    updater = Updater(settings, offline_core, running=BASE, retry_s=0.0)
    offline_core.update_report = updater.report
    updater.step()
    report = offline_core.status().update
    assert report is not None and report.state == "failed" and report.version == "0.2.0"
    assert report.reason is not None and words in report.reason, report.reason
    assert "secret-token" not in report.reason  # the download token never shows
    hits = server.hits(path)
    assert hits == (0 if case in ("wrong signature", "no release key") else 1)
    updater.step()
    assert server.hits(path) == hits + (1 if again else 0)  # a refusal is final for this config; a cut is retried
    releases = Releases(settings.data_dir / "releases")
    assert not (releases.slot_path("a") / "device").exists() and releases.current_slot() is None
    if case == "no release key":  # the key added to device.toml: the same config's release is taken now
        updater = Updater(offline_core.settings, offline_core, running=BASE)
        updater.step()
        report = updater.report()
        assert report is not None and report.state == "ready"


# --- with the broker and the collector -------------------------------------------------------


def test_a_rating_taken_while_a_release_downloads_is_kept_and_sent(
    broker: RunningBroker, make_collector, server: ReleaseServer, signer: Signer, unique_id, tmp_path: Path
) -> None:
    ingest = make_collector()
    device_id = unique_id("desk")
    settings = _settings(
        tmp_path,
        device_id,
        signer,
        ca_file=broker.ca_file,
        broker=f"mqtt://127.0.0.1:{broker.port}",
        password=broker.add_device(device_id),
    )
    core = DeviceCore(settings)
    core.start()
    updater = start_updates(settings, core, poll_s=0.05)
    try:
        wait_until(lambda: core.connected, what="the device to connect")
        data = make_wheel("0.2.0")
        _offer(core, signer.release("0.2.0", data, server.serve("/slow.whl", data, "held")))
        assert server.started.wait(10), "the download did not start"
        began = time.monotonic()
        rating = core.rate(5, employee_id="E1", lang="ar")
        assert time.monotonic() - began < 1.0  # the tap is not held up by the download
        wait_until(lambda: core.outbox_depth() == 0, what="the collector's Ack while the download is held")
        report = updater.report()
        assert report is not None and report.state == "downloading"
        server.gate.set()
        wait_until(lambda: (r := updater.report()) is not None and r.state == "ready", what="the release to be ready")
    finally:
        updater.stop()
        core.stop()
    rows, _ = ingest.store.ratings.page(device_id=device_id)
    assert [r["id"] for r in rows] == [rating.id]
    assert count(ingest.settings.db, "ratings") == 1


def _device_toml(tmp_path: Path, settings: DeviceSettings, password: str, port: int) -> Path:
    secret = tmp_path / "password"
    secret.write_text(password)
    toml = tmp_path / "device.toml"
    toml.write_text(
        f'device_id = "{settings.device_id}"\ndata_dir = "{settings.data_dir}"\n'
        f'broker = "mqtt://127.0.0.1:{port}"\npassword_file = "{secret}"\n'
        f'ca_file = "{settings.ca_file}"\nrelease_key = "{settings.release_key}"\nfullscreen = false\n'
        "status_every_s = 1\n"
    )
    return toml


def _switch_to(
    data: bytes, broker: RunningBroker, server: ReleaseServer, signer: Signer, device_id: str, tmp_path: Path
) -> tuple[Path, Releases, Peer]:
    """The running (base) kiosk's part: the release through the retained config, ready, switched at rest."""
    password = broker.add_device(device_id)
    settings = _settings(
        tmp_path, device_id, signer, ca_file=broker.ca_file, broker=f"mqtt://127.0.0.1:{broker.port}", password=password
    )
    collector = Peer(broker.port, COLLECTOR_USER, broker.collector_password, client_id=f"{device_id}-collector")
    release = signer.release("0.2.0", data, server.serve(f"/{device_id}.whl", data))
    config = default_config(device_id).model_copy(update={"release": release})
    collector.publish(topics.config(device_id), config.model_dump_json(exclude_none=True), retain=True)
    collector.subscribe(topics.status(device_id))
    core = DeviceCore(settings)
    core.start()
    updater = start_updates(settings, core, poll_s=0.05, running=BASE)
    exited: list[bool] = []
    try:
        wait_until(lambda: updater.ready_to_switch(), timeout=30, what="the release to be ready")
        rest = flow.start("ar", 0.0, None)
        assert switch_if_at_rest(rest, 0.0, core, updater, lambda: exited.append(True))
    finally:
        updater.stop()
        core.stop()  # what the kiosk's exit does; systemd then starts it again
    assert exited == [True]
    releases = Releases(settings.data_dir / "releases")
    assert releases.current_slot() == "a" and releases.trial_file.is_file()
    return _device_toml(tmp_path, settings, password, broker.port), releases, collector


def test_the_kiosk_takes_a_release_switches_at_rest_and_comes_back_as_the_new_version(
    broker: RunningBroker, server: ReleaseServer, signer: Signer, unique_id, tmp_path: Path
) -> None:
    """The whole cycle with real processes, as the kiosk unit runs them (PYTHONPATH always at ``current``)."""
    device_id = unique_id("desk")
    password = broker.add_device(device_id)
    settings = _settings(tmp_path, device_id, signer, ca_file=broker.ca_file)
    toml = _device_toml(tmp_path, settings, password, broker.port)
    releases = Releases(settings.data_dir / "releases")
    collector = Peer(broker.port, COLLECTOR_USER, broker.collector_password, client_id=f"{device_id}-collector")
    try:
        data = make_wheel("0.2.0")
        release = signer.release("0.2.0", data, server.serve(f"/{device_id}.whl", data))
        config = default_config(device_id).model_copy(update={"release": release})
        collector.publish(topics.config(device_id), config.model_dump_json(exclude_none=True), retain=True)
        collector.subscribe(topics.status(device_id))
        assert "no release on trial" in update_check(toml, "--starting")  # ExecStartPre
        old = start_kiosk(toml, releases)  # no `current` yet: the base install runs
        try:
            ready = wait_status(collector, lambda s: s.update is not None and s.update.state == "ready")
            output = old.communicate(timeout=60)[0]  # at rest, outbox empty, online: it switches and exits
        finally:
            stop_kiosk(old)
        assert ready.app_version == BASE
        assert old.returncode == 0, output
        assert "switched to 0.2.0 in slot a" in output
        trying = wait_status(collector, lambda s: s.state == "stopped")
        assert trying.update is not None and trying.update.state == "trying"
        assert "0.2.0 on trial" in update_check(toml, "--starting")  # systemd starts it again
        new = start_kiosk(toml, releases)
        try:
            done = wait_status(collector, lambda s: s.update is not None and s.update.state == "done")
        finally:
            output = stop_kiosk(new)
        assert done.app_version == "0.2.0", output
        assert done.update is not None and done.update.version == "0.2.0"
        assert not releases.trial_file.exists() and releases.current_slot() == "a"
        assert "no release on trial" in update_check(toml)  # the timer finds nothing to do
        assert server.hits(f"/{device_id}.whl") == 1
    finally:
        collector.close()


def test_a_release_that_crashes_at_start_is_rolled_back_and_the_reason_reported(
    broker: RunningBroker, server: ReleaseServer, signer: Signer, unique_id, tmp_path: Path
) -> None:
    device_id = unique_id("desk")
    data = make_wheel("0.2.0", broken=True)
    toml, releases, collector = _switch_to(data, broker, server, signer, device_id, tmp_path)
    try:
        for _ in range(3):  # systemd: ExecStartPre, then the kiosk, which dies; Restart=always
            assert "0.2.0 on trial" in update_check(toml, "--starting")
            kiosk = start_kiosk(toml, releases)
            output = kiosk.communicate(timeout=60)[0]
            assert kiosk.returncode != 0 and "broken on purpose" in output
        said = update_check(toml, "--starting")
        assert "rolled back: 0.2.0 started 3 times without coming online" in said
        assert releases.current_slot() is None  # the base install runs again
        kiosk = start_kiosk(toml, None)
        try:
            status = wait_status(collector, lambda s: s.update is not None and s.update.state == "rolled_back")
        finally:
            stop_kiosk(kiosk)
        assert status.app_version == BASE
        assert status.update is not None and "started 3 times" in (status.update.reason or "")
        assert server.hits(f"/{device_id}.whl") == 1  # not taken again while the config names it
        record = json.loads(releases.record_file.read_text())
        assert record["rolled_back"] == "0.2.0"
    finally:
        collector.close()


def test_a_release_that_never_comes_online_is_rolled_back_by_the_timer(
    broker: RunningBroker, server: ReleaseServer, signer: Signer, unique_id, tmp_path: Path
) -> None:
    device_id = unique_id("desk")
    toml, releases, collector = _switch_to(make_wheel("0.2.0"), broker, server, signer, device_id, tmp_path)
    collector.close()
    (tmp_path / "password").write_text("not-the-password")  # the broker refuses it: never online
    assert "0.2.0 on trial" in update_check(toml, "--starting")
    kiosk = start_kiosk(toml, releases)
    try:
        time.sleep(3)  # it runs, unable to connect
        assert kiosk.poll() is None
        said = update_check(toml, "--trial-minutes", "0.01")
    finally:
        output = stop_kiosk(kiosk)
    assert "rolled back: 0.2.0 did not come online within 0.01 min" in said, output
    assert releases.current_slot() is None and not releases.trial_file.exists()
    record = json.loads(releases.record_file.read_text())
    assert record["report"]["state"] == "rolled_back" and record["rolled_back"] == "0.2.0"
