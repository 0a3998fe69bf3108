"""Nothing lost: collector killed, broker restarted, device killed, mid-stream."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from collector.store import Store
from device.core import DeviceCore
from device.settings import DeviceSettings
from device.simulator import open_desks, simulate, wait_drained
from devtools.local_broker import free_port
from tests.conftest import RunningBroker, start_broker, wait_until
from tests.support.db_files import count

DESKS, PER_DESK = 5, 1000
REPO = Path(__file__).resolve().parents[3]


def start_collector_process(broker: RunningBroker, db: Path, client_id: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "collector",
            "collector",
            "--broker",
            broker.collector_url(),
            "--db",
            str(db),
            "--http",
            f"127.0.0.1:{free_port()}",
            "--client-id",
            client_id,
            "--log-level",
            "WARNING",
            "--create-db",
        ],
        cwd=REPO,
    )


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    store = Store(db)
    try:
        return count(store.path, "ratings")
    finally:
        store.close()


def assert_every_rating_once(db: Path, prefix: str) -> None:
    store = Store(db)
    try:
        assert count(store.path, "ratings") == DESKS * PER_DESK
        devices = {d["device_id"]: d for d in store.devices.all() if d["device_id"].startswith(prefix)}
        assert len(devices) == DESKS
        for device in devices.values():
            assert (device["ratings"], device["last_seq"], device["gaps"]) == (PER_DESK, PER_DESK, 0), device
    finally:
        store.close()


desks_stop: list[threading.Event] = []


def stop_desks(desks, thread) -> None:
    for stop in desks_stop:
        stop.set()
    thread.join(30)
    for desk in desks:
        desk.core.stop()


def run_desks(broker: RunningBroker, tmp_path: Path, prefix: str):
    password = "desk-" + os.urandom(6).hex()
    for number in range(1, DESKS + 1):
        broker.local.add_user(f"{prefix}-{number:02d}", password)
    desks = open_desks(
        broker=f"mqtt://127.0.0.1:{broker.port}",
        password=password,
        count=DESKS,
        prefix=prefix,
        data_dir=tmp_path / "desks",
        resend_after_s=5.0,
    )
    for desk in desks:
        desk.core.start()
    stop = threading.Event()
    thread = threading.Thread(
        target=simulate, kwargs={"desks": desks, "ratings": PER_DESK, "interval_s": 0, "stop": stop, "seed": 7}
    )
    thread.start()
    desks_stop.append(stop)
    return desks, thread


def test_collector_killed_mid_stream_and_restarted_loses_nothing(broker, tmp_path: Path, unique_id):
    db, client_id, prefix = tmp_path / "collector.db", unique_id("collector"), unique_id("kill")
    collector = start_collector_process(broker, db, client_id)
    desks, thread = run_desks(broker, tmp_path, prefix)
    try:
        wait_until(lambda: stored(db) >= 1000, timeout=60, what="1,000 stored ratings")
        collector.send_signal(signal.SIGKILL)
        collector.wait()
        at_kill = stored(db)
        collector = start_collector_process(broker, db, client_id)
        thread.join(120)
        assert wait_drained(desks, timeout=120), "outboxes did not drain after the restart"
        assert at_kill < DESKS * PER_DESK, "the kill came too late to prove anything"
    finally:
        collector.terminate()
        collector.wait(10)
        stop_desks(desks, thread)
    assert_every_rating_once(db, prefix)


def test_broker_restarted_mid_stream_loses_nothing(tmp_path: Path, unique_id):
    own_broker = start_broker(tmp_path / "broker", tls=False)
    db, client_id, prefix = tmp_path / "collector.db", unique_id("collector"), unique_id("bounce")
    collector = start_collector_process(own_broker, db, client_id)
    desks, thread = run_desks(own_broker, tmp_path, prefix)
    try:
        wait_until(lambda: stored(db) >= 1000, timeout=60, what="1,000 stored ratings")
        own_broker.local.kill()  # the hard way: no chance to save its in-memory queues
        own_broker.local.start()
        thread.join(120)
        assert wait_drained(desks, timeout=120), "outboxes did not drain after the broker came back"
    finally:
        collector.terminate()
        collector.wait(10)
        stop_desks(desks, thread)
        own_broker.local.stop()
    assert_every_rating_once(db, prefix)


KILLED_DEVICE = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from device.core import DeviceCore
    from device.settings import DeviceSettings
    core = DeviceCore(DeviceSettings(device_id=sys.argv[1], data_dir=Path(sys.argv[2]), broker=sys.argv[3],
                                     password=sys.argv[4]))
    rating = core.rate(1, employee_id="E9", reasons=["waiting_time"])
    print(rating.id, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # after the tap, before the link ever published it
    """
)


def test_a_device_killed_between_tap_and_publish_sends_the_rating_after_restart(
    broker, make_collector, tmp_path: Path, unique_id
):
    ingest = make_collector()
    device_id = unique_id("desk")
    password = broker.add_device(device_id)
    url = f"mqtt://127.0.0.1:{broker.port}"
    done = subprocess.run(
        [sys.executable, "-c", KILLED_DEVICE, device_id, str(tmp_path / "dev"), url, password],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    rating_id = done.stdout.strip()
    core = DeviceCore(DeviceSettings(device_id=device_id, data_dir=tmp_path / "dev", broker=url, password=password))
    assert core.outbox_depth() == 1
    core.start()
    try:
        wait_until(lambda: core.outbox_depth() == 0, what="the rating to be acked after the restart")
        nxt = core.rate(5, employee_id="E9")
        assert nxt.seq == 2  # seq survived the kill
    finally:
        core.stop()
    rows, _ = ingest.store.ratings.page(device_id=device_id)
    assert [r["id"] for r in rows if r["seq"] == 1] == [rating_id]


@pytest.mark.parametrize("power_cut_after", ["add"])
def test_outbox_survives_a_power_cut_style_kill(tmp_path: Path, power_cut_after: str):
    """The seq and the rating are committed together: a reopened outbox has both."""
    settings = DeviceSettings(device_id="desk-power", data_dir=tmp_path)
    core = DeviceCore(settings)
    first = core.rate(3, employee_id=None)
    core.outbox.close()  # no clean stop: the next open must still see it
    again = DeviceCore(settings)
    assert [r.id for r in again.outbox.pending()] == [first.id]
    assert again.rate(4).seq == 2
    again.stop()


def test_a_locked_database_delays_ratings_but_never_dead_letters_them(broker, make_collector, unique_id, tmp_path):
    import sqlite3

    from tests.collector.ingest.test_subscriber import next_ack, rating_payload
    from tests.support.mqtt_peer import Peer

    ingest = make_collector()
    device_id = unique_id("desk")
    peer = Peer(broker.port, device_id, broker.add_device(device_id))
    peer.subscribe(f"taqyeem/v1/devices/{device_id}/acks")
    blocker = sqlite3.connect(ingest.store.path, timeout=0)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock longer than busy_timeout
        body = rating_payload(device_id)
        peer.publish(f"taqyeem/v1/devices/{device_id}/ratings", __import__("json").dumps(body))
        # Other tests' retained statuses may be queued too: at least the rating is.
        failing = lambda: ingest.health.now().state == "failing" and ingest.queue_depth() >= 1  # noqa: E731
        wait_until(failing, timeout=20, what="the writer to fail with the rating unacked")
        assert "locked" in (ingest.health.now().cause or "")
        blocker.execute("ROLLBACK")  # after 5 s busy_timeout at least one attempt failed
        assert next_ack(peer, timeout=30).ids == [body["id"]]
    finally:
        blocker.close()
        peer.close()
    assert count(ingest.store.path, "ratings") == 1
    assert ingest.store.ratings.dead_letters() == []
