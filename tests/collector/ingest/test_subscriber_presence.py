"""Presence against a real mosquitto: sign-ins travel like ratings, through an outage, to the sign-in log over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from collector.ingest.batch_records import StoredBatch
from collector.ingest.classify import Incoming, acks_for, classify
from collector.ingest.subscriber import Ingest
from collector.settings import CollectorSettings
from collector.store import Store
from device.core import DeviceCore
from device.settings import DeviceSettings
from shared import topics
from shared.clock import now_text, uuid7
from tests.collector.conftest import serve_collector
from tests.collector.ingest.test_subscriber import device_peer, next_ack  # noqa: F401 - device_peer is a fixture
from tests.conftest import RunningBroker, start_broker, wait_until
from tests.support.db_files import rows


def presence_payload(topic_device_id: str, **changes: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "v": 1,
        "id": str(uuid7()),
        "device_id": topic_device_id,
        "employee_id": "E1042",
        "event": "sign_in",
        "cause": "pin",
        "at": now_text(),
    }
    payload.update(changes)
    return payload


def test_classify_sorts_presence_and_acks_name_stored_and_rejected_ids() -> None:
    """The pure core: a good Presence is kept for the store, a bad one is a dead letter answered by its id."""
    good, bad = presence_payload("desk-1"), presence_payload("desk-1", cause="lunch")
    items = [
        Incoming(topics.presence("desk-1"), json.dumps(body).encode(), mid, 1, False, datetime.now(UTC))
        for mid, body in enumerate((good, bad), start=1)
    ]
    classified = classify(items)
    assert [p.id for p in classified.presence] == [good["id"]]
    [(letter, rejected_id)] = classified.rejected
    assert (letter.topic, rejected_id) == (topics.presence("desk-1"), bad["id"])
    [ack] = acks_for(classified, StoredBatch([], [], [], presence_ids=[str(good["id"])]))["desk-1"]
    assert ack.ids == [good["id"]] and [(r.id, r.error.split(":")[0]) for r in ack.rejected] == [(bad["id"], "cause")]


def test_a_presence_is_stored_once_and_acked_twice(make_collector, device_peer):  # noqa: F811
    ingest = make_collector()
    peer = device_peer()
    device_id = peer.client._username.decode()
    body = presence_payload(device_id)
    for _ in range(2):
        assert not peer.publish(topics.presence(device_id), json.dumps(body)).is_failure
        assert next_ack(peer).ids == [body["id"]]
    assert [(r["id"], r["event"]) for r in ingest.store.presence.log(device_id=device_id)] == [(body["id"], "sign_in")]


@pytest.mark.parametrize(
    ("change", "reason"),
    [({"event": "arrived"}, "event:"), ({"cause": "lunch"}, "cause:"), ({"device_id": "someone-else"}, "published by")],
)
def test_a_bad_presence_is_a_dead_letter_and_answered_as_rejected(make_collector, device_peer, change, reason):  # noqa: F811
    ingest = make_collector()
    peer = device_peer()
    device_id = peer.client._username.decode()
    body = presence_payload(device_id, **change)
    payload = json.dumps(body).encode()
    assert not peer.publish(topics.presence(device_id), payload).is_failure
    ack = next_ack(peer)
    assert ack.ids == [] and [r.id for r in ack.rejected] == [body["id"]] and reason in ack.rejected[0].error
    [letter] = ingest.store.ratings.dead_letters()
    assert (letter["topic"], letter["payload_bytes"]) == (topics.presence(device_id), len(payload))
    assert reason in letter["reason"]
    assert ingest.store.presence.log(device_id=device_id) == []


def test_a_device_cannot_write_another_devices_presence(broker, make_collector, device_peer):  # noqa: F811
    ingest = make_collector()
    victim, intruder = device_peer(), device_peer()
    victim_id = victim.client._username.decode()
    refused = intruder.publish(topics.presence(victim_id), json.dumps(presence_payload(victim_id)))
    assert refused.is_failure and refused.value == 0x87
    assert rows(ingest.store.path, "SELECT count(*) FROM presence") == [(0,)]


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[RunningBroker]:
    """A broker of this test's own, to stop and start again (persistence on, as in production)."""
    running = start_broker(tmp_path / "broker", tls=False)
    yield running
    running.local.stop()


def test_sign_in_and_out_during_a_broker_outage_reach_the_sign_in_log(own_broker, unique_id, tmp_path: Path):
    """The tablet keeps both in its outbox while the broker is down; after it comes back both are stored once."""
    store = Store(tmp_path / "collector.db")
    address = {"broker": own_broker.collector_url(), "client_id": unique_id("collector")}
    settings = CollectorSettings.model_validate({**address, "db": store.path, "batch_wait_ms": 20})
    ingest = Ingest(settings, store)
    device_id = unique_id("desk")
    core = DeviceCore(
        DeviceSettings(
            device_id=device_id,
            data_dir=tmp_path / "device",
            broker=f"mqtt://127.0.0.1:{own_broker.port}",
            password=own_broker.add_device(device_id),
            resend_after_s=1.0,
        )
    )
    token = store.accounts.create_token("viewer", "viewer", ["*"], now_text())
    ingest.start()
    core.start()
    try:
        wait_until(lambda: ingest.connected and core.connected, what="the collector and the desk to connect")
        own_broker.local.stop()
        wait_until(lambda: not core.connected, what="the desk to see the broker gone")

        signed_in = datetime.now(UTC)  # a second apart, as at a real desk: equal times sort by their own rule
        core.sign_in("E1042", now=signed_in)
        core.sign_out(cause="manual", now=signed_in + timedelta(seconds=1))
        assert core.outbox.presence_depth() == 2 and core.employee_id is None

        own_broker.local.start()
        wait_until(lambda: core.outbox.presence_depth() == 0, timeout=30, what="both Presence acked after the outage")
        log = store.presence.log(device_id=device_id)
        assert [(r["employee_id"], r["event"], r["cause"]) for r in log] == [
            ("E1042", "sign_out", "manual"),
            ("E1042", "sign_in", "pin"),
        ]
        assert rows(store.path, "SELECT count(*) FROM presence") == [(2,)]
        assert core.outbox.rejected() == []

        with serve_collector(store, ingest) as base:
            response = httpx.get(
                f"{base}/api/v1/presence",
                params={"device_id": device_id},
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
        assert response.status_code == 200, response.text
        assert [(p["id"], p["event"]) for p in response.json()["presence"]] == [(r["id"], r["event"]) for r in log]
    finally:
        core.stop()
        ingest.stop()
        store.close()
