"""Ingest throughput: the collector against the ceiling of a bare paho subscriber.

Both drain the same N QoS 1 ratings that wait, queued by mosquitto, in a
persistent session: (a) a bare paho MQTT 5 subscriber that only counts and
acks, (b) the real collector storing them in SQLite (batched, WAL) and acking
each after its commit, with the contract's Ack sent back to each device.

    .venv/bin/python bench/ingest.py --ratings 50000
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collector.fleet.broker import COLLECTOR_USER, set_password
from collector.ingest.subscriber import Ingest
from collector.settings import CollectorSettings
from collector.store import Store
from devtools.local_broker import LocalBroker, free_port
from shared import topics
from shared.clock import now_text, uuid7


def read_ratings(db: Path, sql: str) -> tuple[Any, ...]:
    """One row of a measurement query, read straight from the file the collector wrote."""
    database = Database(db)
    try:
        return tuple(database.execute(sql).fetchone())
    finally:
        database.close()


def count_ratings(db: Path) -> int:
    return int(read_ratings(db, "SELECT count(*) FROM ratings")[0])


def persistent_client(client_id: str, user: str, password: str, port: int, **kwargs: object) -> mqtt.Client:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, **kwargs)
    client.username_pw_set(user, password)
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 3600
    props.ReceiveMaximum = 1000
    client.connect("127.0.0.1", port, clean_start=False, properties=props)
    return client


def bench_rating(device_id: str, seq: int) -> dict[str, Any]:
    """The rating every bench sends: made now, one in ten negative (a review opened), no reasons."""
    return {
        "v": 1,
        "id": str(uuid7()),
        "seq": seq,
        "device_id": device_id,
        "employee_id": "E1042",
        "score": 5 if seq % 10 else 2,
        "reasons": [],
        "visit_id": f"A-{seq}",
        "lang": "ar",
        "created_at": now_text(),
    }


def queue_ratings(port: int, devices: list[str], password: str, total: int) -> None:
    """Publish ``total`` valid ratings, spread over ``devices``, and wait for every PUBACK."""
    per_device = total // len(devices)
    threads = []

    def publish(device_id: str) -> None:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=device_id, protocol=mqtt.MQTTv5)
        client.username_pw_set(device_id, password)
        client.max_inflight_messages_set(500)
        client.max_queued_messages_set(0)
        client.connect("127.0.0.1", port)
        client.loop_start()
        infos = []
        for seq in range(1, per_device + 1):
            infos.append(client.publish(topics.ratings(device_id), json.dumps(bench_rating(device_id, seq)), qos=1))
        for info in infos:
            info.wait_for_publish(60)
        client.disconnect()
        client.loop_stop()

    for device_id in devices:
        threads.append(threading.Thread(target=publish, args=(device_id,)))
        threads[-1].start()
    for thread in threads:
        thread.join()


def bare_subscriber_rate(
    broker: LocalBroker, password: str, devices: list[str], device_password: str, total: int
) -> tuple[float, float]:
    """Messages per second, and CPU seconds of this process per message (every thread: load-independent)."""
    received = 0
    done = threading.Event()
    first: list[float] = []

    def on_message(client: mqtt.Client, _u: object, message: mqtt.MQTTMessage) -> None:
        nonlocal received
        if not first:
            first.append(time.perf_counter())
        received += 1
        if received >= total:
            done.set()

    client = persistent_client("bench-bare", COLLECTOR_USER, password, broker.port)
    client.on_message = on_message
    client.subscribe(topics.ALL_RATINGS, qos=1)
    client.loop_start()
    time.sleep(0.5)
    client.disconnect()
    client.loop_stop()
    queue_ratings(broker.port, devices, device_password, total)
    client = persistent_client("bench-bare", COLLECTOR_USER, password, broker.port)
    client.on_message = on_message
    start, cpu = time.perf_counter(), time.process_time()
    client.loop_start()
    if not done.wait(300):
        raise SystemExit(f"bare subscriber got only {received} of {total}")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    client.disconnect()
    client.loop_stop()
    return total / elapsed, cpu / total


def collector_rate(
    broker: LocalBroker, password: str, devices: list[str], device_password: str, total: int, workdir: Path
) -> tuple[float, float, int]:
    """Messages per second, CPU seconds of this process per message (paho's thread and the writer), rows."""
    settings = CollectorSettings(
        broker=f"mqtt://{COLLECTOR_USER}:{password}@127.0.0.1:{broker.port}",
        db=workdir / "bench.db",
        client_id="bench-collector",
    )
    store = Store(settings.db)
    ingest = Ingest(settings, store)
    ingest.start()
    while not ingest.connected:
        time.sleep(0.05)
    time.sleep(0.5)
    ingest.stop()
    queue_ratings(broker.port, devices, device_password, total)
    ingest = Ingest(settings, store)
    start, cpu = time.perf_counter(), time.process_time()
    ingest.start()
    while ingest.stats["stored"] < total:
        if time.perf_counter() - start > 300:
            raise SystemExit(f"collector stored only {ingest.stats['stored']} of {total}")
        time.sleep(0.01)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    ingest.stop()
    store.close()
    return total / elapsed, cpu / total, count_ratings(settings.db)


def shared_collectors_rate(
    broker: LocalBroker,
    password: str,
    devices: list[str],
    device_password: str,
    total: int,
    workdir: Path,
    processes: int,
) -> tuple[float, int]:
    """(c) ``processes`` collector processes sharing the ratings through $share/bench/..., one SQLite file.

    Timed from the first to the last ``received_at`` the collectors stamped, so the
    processes' start-up (imports) is not counted.
    """
    import subprocess

    db = workdir / "shared.db"
    url = f"mqtt://{COLLECTOR_USER}:{password}@127.0.0.1:{broker.port}"

    def start() -> list[subprocess.Popen[bytes]]:
        return [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "collector",
                    "collector",
                    "--broker",
                    url,
                    "--db",
                    str(db),
                    "--http",
                    f"127.0.0.1:{free_port()}",
                    "--client-id",
                    f"bench-shared-{n}",
                    "--shared-group",
                    "bench",
                    "--log-level",
                    "ERROR",
                    "--create-db",
                ],
                cwd=Path(__file__).resolve().parents[1],
            )
            for n in range(1, processes + 1)
        ]

    def stop(running: list[subprocess.Popen[bytes]]) -> None:
        for process in running:
            process.terminate()
        for process in running:
            process.wait(30)

    def stored() -> int:
        if not db.exists():
            return 0
        return count_ratings(db)

    running = start()  # create the persistent shared sessions, then leave
    time.sleep(3)
    stop(running)
    queue_ratings(broker.port, devices, device_password, total)
    running = start()
    deadline = time.monotonic() + 300
    while stored() < total and time.monotonic() < deadline:
        time.sleep(0.2)
    stop(running)
    first, last, rows = read_ratings(db, "SELECT min(received_at), max(received_at), count(*) FROM ratings")
    from shared.clock import parse_time

    elapsed = (parse_time(last) - parse_time(first)).total_seconds()
    return rows / max(elapsed, 1e-3), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=50_000)
    parser.add_argument("--devices", type=int, default=10)
    parser.add_argument("--shared", type=int, default=0, help="also run N collector processes sharing the load")
    parser.add_argument(
        "--switch-interval", type=float, default=None, help="sys.setswitchinterval (s) for (b) only; default 0.005"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        broker = LocalBroker(workdir / "broker", free_port())
        broker.workdir.mkdir(parents=True)
        password, device_password = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
        set_password(broker.password_file, COLLECTOR_USER, password)
        devices = [f"bench-{n:02d}" for n in range(1, args.devices + 1)]
        for device_id in devices:
            set_password(broker.password_file, device_id, device_password)
        broker.start()
        try:
            total = args.ratings // args.devices * args.devices
            ceiling, ceiling_cpu = bare_subscriber_rate(broker, password, devices, device_password, total)
            default_interval = sys.getswitchinterval()
            if args.switch_interval is not None:
                sys.setswitchinterval(args.switch_interval)
            try:
                rate, cpu, rows = collector_rate(broker, password, devices, device_password, total, workdir)
            finally:
                sys.setswitchinterval(default_interval)
            if args.shared:
                shared_rate, shared_rows = shared_collectors_rate(
                    broker, password, devices, device_password, total, workdir, args.shared
                )
        finally:
            broker.stop()
    print(f"ratings:                          {total} from {args.devices} devices, QoS 1, MQTT 5")
    print(f"(a) bare paho subscriber drain:   {ceiling:,.0f} msg/s  ({ceiling_cpu * 1e6:.1f} us CPU/msg)")
    print(f"(b) collector store+commit+ack:   {rate:,.0f} msg/s  ({rows} rows stored, {cpu * 1e6:.1f} us CPU/msg)")
    print(f"ratio (b)/(a):                    {rate / ceiling:.0%}")
    if args.shared:
        print(f"(c) {args.shared} collectors, $share, 1 file: {shared_rate:,.0f} msg/s  ({shared_rows} rows stored)")


if __name__ == "__main__":
    main()
