"""Nothing acked that is not kept: the collector's database file, deleted, missing, damaged or full.

Each test runs the real collector process (``python -m collector collector``)
against the session's real mosquitto, with a raw MQTT peer as the desk.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
import pytest

from collector.store import Store
from shared import topics
from tests.collector.ingest.test_subscriber import next_ack, rating_payload
from tests.collector.store.test_opening import big_database
from tests.conftest import RunningBroker, wait_until
from tests.support.collector_process import CollectorProcess
from tests.support.db_files import count
from tests.support.mqtt_peer import Peer


@pytest.fixture
def collectors(broker: RunningBroker, tmp_path: Path, unique_id) -> Iterator[Any]:
    started: list[CollectorProcess] = []
    client_id = unique_id("collector")  # one session at the broker across restarts, as in production

    def start(db: Path, *extra: str) -> CollectorProcess:
        process = CollectorProcess(broker, db, client_id, tmp_path / f"collector-{len(started)}.log", *extra)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def desk(broker: RunningBroker, unique_id) -> Iterator[tuple[str, Peer]]:
    device_id = unique_id("desk")
    peer = Peer(broker.port, device_id, broker.add_device(device_id))
    peer.subscribe(topics.acks(device_id))
    yield device_id, peer
    peer.close()


def send(peer: Peer, device_id: str, seqs: range) -> list[str]:
    ids = []
    for seq in seqs:
        body = rating_payload(device_id, seq=seq)
        peer.publish(topics.ratings(device_id), json.dumps(body))
        ids.append(str(body["id"]))
    return ids


def acked_ids(peer: Peer, within_s: float) -> set[str]:
    """Every rating id named in an Ack that arrives within ``within_s``."""
    ids: set[str] = set()
    deadline = time.monotonic() + within_s
    while (left := deadline - time.monotonic()) > 0:
        try:
            ids.update(next_ack(peer, timeout=left).ids)
        except Exception:  # queue.Empty: nothing more came
            break
    return ids


def wait_acked(peer: Peer, ids: list[str], timeout: float = 30) -> None:
    wanted, seen = set(ids), set()
    deadline = time.monotonic() + timeout
    while not wanted <= seen:
        assert time.monotonic() < deadline, f"{len(wanted - seen)} of {len(wanted)} ratings never acked"
        seen |= acked_ids(peer, min(1.0, deadline - time.monotonic()))


def wait_503(collector: CollectorProcess) -> dict[str, Any]:
    bodies: list[dict[str, Any]] = []

    def unhealthy() -> bool:
        with suppress(httpx.HTTPError):
            response = collector.healthz()
            if response.status_code == 503:
                bodies.append(response.json())
                return True
        return False

    wait_until(unhealthy, timeout=20, what="/healthz to answer 503")
    return bodies[-1]


def test_a_database_deleted_under_the_collector_is_never_acked_for_and_never_silently_recreated(
    collectors, desk, tmp_path: Path
):
    device_id, peer = desk
    db = tmp_path / "taqyeem.db"
    collector = collectors(db, "--create-db")
    collector.wait_healthy()
    wait_acked(peer, send(peer, device_id, range(1, 2)))

    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    later = send(peer, device_id, range(2, 102))
    body = wait_503(collector)

    assert body["status"] == "degraded"
    assert "deleted or moved" in body["cause"], body
    assert collector.wait_exit() == 3, collector.output()
    assert not acked_ids(peer, 1.0) & set(later)
    output = collector.output()
    assert output.count("deleted or moved") == 1 and "stopped acking" in output, output
    assert "Traceback" not in output

    again = collectors(db)  # systemd's restart, without --create-db
    assert again.wait_exit() == 1
    assert f"no collector database at {db}" in again.output() and "taqyeem restore" in again.output()
    assert not db.exists()


def test_a_database_moved_away_and_put_back_loses_nothing(collectors, desk, tmp_path: Path):
    device_id, peer = desk
    db, aside = tmp_path / "taqyeem.db", tmp_path / "aside"
    collector = collectors(db, "--create-db")
    collector.wait_healthy()
    first = send(peer, device_id, range(1, 2))
    wait_acked(peer, first)

    aside.mkdir()
    for name in (db.name, f"{db.name}-wal", f"{db.name}-shm"):
        if (db.parent / name).exists():
            (db.parent / name).rename(aside / name)
    later = send(peer, device_id, range(2, 52))
    assert collector.wait_exit() == 3, collector.output()
    assert not acked_ids(peer, 0.5) & set(later)
    for name in os.listdir(aside):
        (aside / name).rename(db.parent / name)

    collectors(db).wait_healthy()  # IT put the file back: the broker still had every unacked rating
    wait_acked(peer, later)
    assert count(db, "ratings") == 51


def test_a_missing_database_is_refused_naming_the_path_unless_create_db(collectors, tmp_path: Path):
    db = tmp_path / "var" / "taqyeem.db"
    db.parent.mkdir()

    refused = collectors(db)
    assert refused.wait_exit() == 1
    errors = [line for line in refused.output().splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and f"no collector database at {db}" in errors[0] and "--create-db" in errors[0]
    assert not db.exists()

    db.touch()  # an empty file is no database either
    assert collectors(db).wait_exit() == 1
    db.unlink()

    created = collectors(db, "--create-db")
    created.wait_healthy()
    assert created.healthz().json()["database"] == "ok"
    assert "created a new, empty collector database" in created.output()
    assert count(db, "ratings") == 0


def test_a_damaged_database_is_refused_at_start_with_how_to_restore_it(collectors, tmp_path: Path):
    db = tmp_path / "taqyeem.db"
    Store(db).close()
    conn = sqlite3.connect(db)  # enough rows for pages well past the schema's
    with conn:
        conn.executemany(
            "INSERT INTO dead_letters (topic, payload, reason, received_at) VALUES ('t', ?, 'r', 'x')",
            [(os.urandom(500),) for _ in range(400)],
        )
    conn.close()  # the last connection: checkpointed into the file
    with open(db, "r+b") as file:  # garbage in the file's middle
        size = file.seek(0, os.SEEK_END)
        file.seek(size // 2)
        file.write(os.urandom(8192))
    before = db.read_bytes()

    refused = collectors(db)
    assert refused.wait_exit() == 1
    errors = [line for line in refused.output().splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "is damaged" in errors[0] and "taqyeem restore" in errors[0], refused.output()
    assert db.read_bytes() == before  # refused without touching it


def unchecked_at_start(tmp_path: Path) -> Path:
    """A config whose check before serving waits 0 s: every file is too big for it (docs/deployment.md)."""
    config = tmp_path / "collector.toml"
    config.write_text("startup_check_s = 0\n")
    return config


def test_a_damaged_database_too_big_to_check_before_serving_stops_the_collector_and_its_restart(
    collectors, tmp_path: Path
):
    db = big_database(tmp_path / "taqyeem.db", damaged=True)
    collector = collectors(db, "--config", str(unchecked_at_start(tmp_path)))
    bodies: list[dict[str, Any]] = []

    def found() -> bool:
        with suppress(httpx.HTTPError):
            body = collector.healthz().json()
            bodies.append(body)
            return "is damaged" in body.get("cause", "")
        return False

    wait_until(found, timeout=30, what="/healthz to say the database is damaged")  # served meanwhile: it answers
    assert bodies[-1]["status"] == "degraded" and "taqyeem restore" in bodies[-1]["cause"], bodies[-1]
    assert collector.wait_exit() == 3, collector.output()
    output = collector.output()
    assert "goes on after 0.0 s, beside the collector serving" in output, output
    critical = [line for line in output.splitlines() if " CRITICAL " in line]
    assert critical and all("is damaged" in line and "taqyeem restore" in line for line in critical), output
    assert Path(f"{db}.damaged").exists()

    again = collectors(db)  # systemd's restart: refused at once, as a damaged file always was
    assert again.wait_exit() == 1
    errors = [line for line in again.output().splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "is damaged" in errors[0] and "found by the integrity check" in errors[0], errors


def test_a_good_database_too_big_to_check_before_serving_serves_at_once_and_is_then_found_good(
    collectors, desk, tmp_path: Path
):
    device_id, peer = desk
    db = big_database(tmp_path / "taqyeem.db")
    collector = collectors(db, "--config", str(unchecked_at_start(tmp_path)))
    collector.wait_healthy()
    wait_acked(peer, send(peer, device_id, range(1, 21)))

    wait_until(lambda: "finished: ok" in collector.output(), timeout=30, what="the whole check to finish")
    assert collector.healthz().status_code == 200
    assert "goes on after 0.0 s" in collector.output() and " CRITICAL " not in collector.output()
    assert not Path(f"{db}.damaged").exists()


@contextmanager
def small_tmpfs(size: str) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="taqyeem-full-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here (needs root and mount rights): {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()


def fill(folder: Path) -> Path:
    """Take every free byte of ``folder``'s file system."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (1 << 20, 4096, 1):
            with suppress(OSError):
                while os.write(fd, b"\0" * chunk):
                    pass
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_makes_healthz_503_with_the_cause_and_nothing_is_acked_until_it_has_room(
    collectors, desk, tmp_path: Path
):
    device_id, peer = desk
    with small_tmpfs("4m") as folder:
        db = folder / "taqyeem.db"
        collector = collectors(db, "--create-db")
        try:
            collector.wait_healthy()
            filler = fill(folder)
            held = send(peer, device_id, range(1, 4))
            body = wait_503(collector)

            assert body["database"] == "failing" and "full" in body["cause"], body
            assert body["queue"] >= 1 and body["failing_since"]
            assert not acked_ids(peer, 1.0) & set(held)
            filler.unlink()
            wait_acked(peer, held)
            assert collector.healthz().status_code == 200
            assert count(db, "ratings") == 3
        finally:
            collector.stop()
