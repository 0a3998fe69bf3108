"""The spine against a real mosquitto: tap -> outbox -> MQTT -> collector -> SQLite -> Ack."""

from __future__ import annotations

import json
import queue
from datetime import timedelta
from pathlib import Path

import pytest

from collector.reports.maths import Calendar
from device.core import DeviceCore
from device.settings import DeviceSettings
from shared import topics
from shared.clock import now_text, uuid7
from shared.contract import Ack, Alert, parse_message
from tests.conftest import wait_until
from tests.support.db_files import count
from tests.support.mqtt_peer import Peer


def rating_payload(topic_device_id: str, **changes: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "v": 1,
        "id": str(uuid7()),
        "seq": 1,
        "device_id": topic_device_id,
        "employee_id": "E1042",
        "score": 4,
        "reasons": [],
        "visit_id": "A-117",
        "lang": "ar",
        "created_at": now_text(),
    }
    payload.update(changes)
    return payload


def next_ack(peer: Peer, timeout: float = 5.0) -> Ack:
    while True:
        message = peer.next_message(timeout)
        if message.topic.endswith("/acks"):
            return parse_message(Ack, message.payload)


@pytest.fixture
def device_peer(broker, unique_id):
    made: list[Peer] = []

    def make(device_id: str | None = None) -> Peer:
        device_id = device_id or unique_id("desk")
        peer = Peer(broker.port, device_id, broker.add_device(device_id))
        peer.subscribe(topics.acks(device_id))
        made.append(peer)
        return peer

    yield make
    for peer in made:
        peer.close()


def test_a_rating_from_the_device_core_is_stored_once_and_acked(broker, make_collector, unique_id, tmp_path: Path):
    ingest = make_collector()
    device_id = unique_id("desk")
    core = DeviceCore(broker.desk_settings(device_id, tmp_path / "device"))
    core.start()
    try:
        rating = core.rate(2, employee_id="E7", reasons=["waiting_time"], visit_id="A-9", lang="en")
        wait_until(lambda: core.outbox_depth() == 0, what="the collector's Ack to empty the outbox")
    finally:
        core.stop()
    rows, _ = ingest.store.ratings.page(device_id=device_id)
    assert [(r["id"], r["score"], r["employee_id"], r["reasons"], r["visit_id"], r["negative"]) for r in rows] == [
        (rating.id, 2, "E7", ["waiting_time"], "A-9", True)
    ]
    reviews = ingest.store.reviews.all(status="open")
    assert [r["rating"]["id"] for r in reviews] == [rating.id]


def test_the_same_id_twice_is_stored_once_and_acked_twice(make_collector, device_peer):
    ingest = make_collector()
    peer = device_peer()
    device_id = peer.client._username.decode()
    payload = json.dumps(rating_payload(device_id))
    rating_id = json.loads(payload)["id"]
    for _ in range(2):
        assert not peer.publish(topics.ratings(device_id), payload).is_failure
        assert next_ack(peer).ids == [rating_id]
    assert len(ingest.store.ratings.page(device_id=device_id)[0]) == 1
    assert ingest.stats["duplicates"] == 1


BAD_PAYLOADS = {
    "not JSON": (b"score=5", "not JSON"),
    "too large": (None, "limit is 4096"),
    "wrong version": ({"v": 2}, "unsupported version"),
    "score out of range": ({"score": 6}, "score: must be 1..5"),
    "device id not the topic's": ({"device_id": "someone-else"}, "published by"),
}


@pytest.mark.parametrize("kind", BAD_PAYLOADS)
def test_bad_payloads_become_dead_letters_and_are_answered_as_rejected(kind, make_collector, device_peer):
    ingest = make_collector()
    peer = device_peer()
    device_id = peer.client._username.decode()
    change, reason = BAD_PAYLOADS[kind]
    rating_id = None
    if isinstance(change, bytes):
        payload = change
    elif change is None:
        good = rating_payload(device_id, visit_id="x" * 10)
        good["padding"] = "p" * 5000
        payload, rating_id = json.dumps(good).encode(), str(good["id"])
    else:
        body = rating_payload(device_id, **change)
        payload, rating_id = json.dumps(body).encode(), str(body["id"])
    assert not peer.publish(topics.ratings(device_id), payload).is_failure
    ack = next_ack(peer)
    assert ack.ids == []
    assert len(ack.rejected) == 1 and reason in ack.rejected[0].error
    if kind != "too large":
        assert ack.rejected[0].id == rating_id
    letters = ingest.store.ratings.dead_letters()
    assert len(letters) == 1
    assert letters[0]["topic"] == topics.ratings(device_id) and reason in letters[0]["reason"]
    assert letters[0]["payload_bytes"] == len(payload)  # kept whole
    assert count(ingest.store.path, "ratings") == 0


def test_a_device_cannot_publish_as_another_nor_read_its_acks(broker, make_collector, device_peer):
    ingest = make_collector()
    victim, intruder = device_peer(), device_peer()
    victim_id = victim.client._username.decode()
    refused = intruder.publish(topics.ratings(victim_id), json.dumps(rating_payload(victim_id)))
    assert refused.is_failure and refused.value == 0x87
    suback = intruder.subscribe(topics.acks(victim_id))
    # The victim's own rating is acked to the victim only.
    body = rating_payload(victim_id)
    assert not victim.publish(topics.ratings(victim_id), json.dumps(body)).is_failure
    assert next_ack(victim).ids == [body["id"]]
    with pytest.raises(queue.Empty):
        message = intruder.next_message(timeout=0.5)
        pytest.fail(f"intruder read {message.topic} (SUBACK {suback})")
    assert count(ingest.store.path, "ratings") == 1


def test_a_borrowed_client_id_does_not_grant_another_devices_topics(broker, make_collector, device_peer, unique_id):
    make_collector()
    victim = device_peer()
    victim_id = victim.client._username.decode()
    intruder_id = unique_id("desk")
    password = broker.add_device(intruder_id)
    # The ACL is keyed on the username (%u), so the client id is no disguise.
    disguised = Peer(broker.port, intruder_id, password, client_id=victim_id + "-x")
    try:
        assert disguised.publish(topics.ratings(victim_id), json.dumps(rating_payload(victim_id))).is_failure
    finally:
        disguised.close()


def test_negative_rating_publishes_an_alert(broker, make_collector, device_peer):
    ingest = make_collector()
    watcher = Peer(broker.port, "taqyeem-collector", broker.collector_password, client_id="alert-watcher")
    try:
        watcher.subscribe(topics.alerts("unassigned"))
        peer = device_peer()
        device_id = peer.client._username.decode()
        body = rating_payload(device_id, score=1, reasons=["staff_courtesy"])
        peer.publish(topics.ratings(device_id), json.dumps(body))
        alert = parse_message(Alert, watcher.next_message().payload)
        assert (alert.rating_id, alert.score, alert.reasons) == (body["id"], 1, ["staff_courtesy"])
    finally:
        watcher.close()
    assert ingest.store.reviews.all(status="open")[0]["rating"]["id"] == body["id"]


def test_device_over_tls_with_its_ca_is_stored(broker, make_collector, unique_id, tmp_path: Path):
    ingest = make_collector()
    device_id = unique_id("desk")
    core = DeviceCore(
        DeviceSettings(
            device_id=device_id,
            data_dir=tmp_path / "device",
            broker=f"mqtts://localhost:{broker.tls_port}",
            password=broker.add_device(device_id),
            ca_file=broker.ca_file,
        )
    )
    core.start()
    try:
        rating = core.rate(5, employee_id="E1")
        wait_until(lambda: core.outbox_depth() == 0, what="the Ack over TLS")
    finally:
        core.stop()
    assert ingest.store.ratings.page(device_id=device_id)[0][0]["id"] == rating.id


def test_status_and_unknown_device_are_in_the_registry(broker, make_collector, unique_id, tmp_path: Path):
    ingest = make_collector()
    device_id = unique_id("desk")
    core = DeviceCore(broker.desk_settings(device_id, tmp_path / "device"))
    core.sign_in("E55")
    core.start()
    core.rate(4, employee_id="E55")
    wait_until(lambda: core.outbox_depth() == 0, what="the Ack")

    def device_row():
        return next((d for d in ingest.store.devices.all() if d["device_id"] == device_id), None)

    wait_until(lambda: device_row() and device_row()["state"] == "online", what="the online status")
    row = device_row()
    assert row["assigned"] is False and row["employee_id"] == "E55" and row["last_seq"] == 1 and row["gaps"] == 0
    core.stop()
    wait_until(lambda: device_row()["state"] == "stopped", what="the stopped status")


def test_a_config_published_by_the_collector_reaches_the_device_and_is_kept(
    broker, make_collector, unique_id, tmp_path: Path
):
    from shared.contract import DeviceConfig

    ingest = make_collector()
    device_id = unique_id("desk")
    password = broker.add_device(device_id)
    config = DeviceConfig(
        site_id="riyadh-hq",
        desk_id="desk-12",
        desk_name_ar="مكتب ١٢",
        desk_name_en="Desk 12",
        cooldown_s=3,
        mode="invited",
    )
    ingest.config_publisher.publish(device_id, config)
    settings = DeviceSettings(
        device_id=device_id, data_dir=tmp_path / "device", broker=f"mqtt://127.0.0.1:{broker.port}", password=password
    )
    core = DeviceCore(settings)
    core.start()
    wait_until(lambda: core.config.desk_id == "desk-12", what="the retained config")
    core.stop()
    offline = DeviceCore(settings.model_copy(update={"broker": None}))
    assert offline.config == config  # kept on disk for when the network is down
    offline.stop()


def test_the_collector_over_tls_with_its_ca(broker, make_collector, device_peer):
    url = f"mqtts://taqyeem-collector:{broker.collector_password}@localhost:{broker.tls_port}"
    ingest = make_collector(broker=url, ca=broker.ca_file)
    peer = device_peer()
    device_id = peer.client._username.decode()
    body = rating_payload(device_id)
    peer.publish(topics.ratings(device_id), json.dumps(body))
    assert next_ack(peer).ids == [body["id"]]
    assert count(ingest.store.path, "ratings") == 1


def test_a_seq_beyond_two_to_the_63_is_rejected_by_name_so_the_device_stops_resending_it(make_collector, device_peer):
    ingest = make_collector()
    peer = device_peer()
    device_id = peer.client._username.decode()
    body = rating_payload(device_id, seq=2**63)
    assert not peer.publish(topics.ratings(device_id), json.dumps(body)).is_failure
    ack = next_ack(peer)
    assert [(r.id, r.error) for r in ack.rejected] == [(body["id"], "seq: must be 1..9223372036854775807 (2^63-1)")]
    assert count(ingest.store.path, "ratings") == 0
    assert len(ingest.store.ratings.dead_letters()) == 1


def test_a_rating_the_collector_fails_on_is_rejected_by_name_and_the_rest_of_its_batch_is_stored(
    make_collector, device_peer
):
    ingest = make_collector(batch_wait_ms=200)
    peer = device_peer()
    device_id = peer.client._username.decode()
    poisoned, good = rating_payload(device_id, seq=1), rating_payload(device_id, seq=2)
    real_add = ingest.store.ratings.add

    def add_failing_on_the_poisoned_one(new, *args, **kwargs):  # new: (rating, content) each
        if any(r.id == poisoned["id"] for r, _ in new):
            raise RuntimeError("a bug met only by this rating")
        return real_add(new, *args, **kwargs)

    ingest.store.ratings.add = add_failing_on_the_poisoned_one  # type: ignore[method-assign]
    for body in (poisoned, good):
        assert not peer.publish(topics.ratings(device_id), json.dumps(body)).is_failure
    acked: list[str] = []
    rejected: list[tuple[str | None, str]] = []
    while len(acked) + len(rejected) < 2:
        ack = next_ack(peer)
        acked += ack.ids
        rejected += [(r.id, r.error) for r in ack.rejected]
    assert acked == [good["id"]]
    assert rejected == [(poisoned["id"], "collector error: RuntimeError: a bug met only by this rating")]
    (letter,) = ingest.store.ratings.dead_letters()
    assert letter["reason"].startswith("collector error: RuntimeError") and poisoned["id"] in letter["payload"]
    assert [r["id"] for r in ingest.store.ratings.page(device_id=device_id)[0]] == [good["id"]]


def test_a_known_id_with_another_score_is_acked_as_a_duplicate_and_recorded_as_a_conflict(make_collector, device_peer):
    ingest = make_collector()
    peer = device_peer()
    device_id = peer.client._username.decode()
    first = rating_payload(device_id, score=5)
    second = json.dumps({**first, "score": 1}).encode()
    peer.publish(topics.ratings(device_id), json.dumps(first))
    assert next_ack(peer).ids == [first["id"]]
    peer.publish(topics.ratings(device_id), second)
    ack = next_ack(peer)
    assert (ack.ids, ack.rejected) == ([first["id"]], [])
    assert [r["score"] for r in ingest.store.ratings.page(device_id=device_id)[0]] == [5]
    (letter,) = ingest.store.ratings.dead_letters()
    assert letter["reason"].startswith("conflict:") and letter["payload"] == second.decode()
    assert next(d for d in ingest.store.devices.all() if d["device_id"] == device_id)["conflicts"] == 1
    assert ingest.stats["conflicts"] == 1


def test_ratings_over_mqtt_are_counted_in_the_daily_sums_of_answers_and_languages(make_collector, device_peer):
    ingest = make_collector()
    peer = device_peer()
    device_id = peer.client._username.decode()
    sent = [
        rating_payload(device_id, seq=1, lang="en", answers={"ease": 3}),
        rating_payload(device_id, seq=2, answers={"ease": 3, "obstacles": "no"}),
        rating_payload(device_id, seq=3),
    ]
    for payload in sent:
        assert not peer.publish(topics.ratings(device_id), json.dumps(payload)).is_failure
        assert next_ack(peer).ids == [payload["id"]]
    store = ingest.store
    calendar = Calendar.from_settings(store.rollups.zone())
    today = calendar.today()
    days = ((today - timedelta(days=1)).isoformat(), (today + timedelta(days=1)).isoformat())
    since, until = calendar.day_bounds(today - timedelta(days=1))[0], calendar.day_bounds(today + timedelta(days=1))[1]
    assert (
        store.rollups.answers.counts(days)
        == store.answers.counts(since, until)
        == {
            "ease": {"3": 2},
            "obstacles": {"no": 1},
        }
    )
    assert store.rollups.answers.languages(days) == store.answers.languages(since, until) == {"ar": 2, "en": 1}
