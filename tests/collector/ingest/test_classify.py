"""The pure core of ingest: classify(), acks_for() and alert_for() (collector/ingest/classify.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from collector.ingest.batch_records import StoredBatch
from collector.ingest.subscriber import ACK_IDS_PER_MESSAGE, Incoming, acks_for, alert_for, classify
from shared import topics
from shared.clock import format_time, uuid7
from shared.contract import MAX_PAYLOAD_BYTES, Ack, Rejection

NOW = datetime(2026, 11, 28, 9, 15, 3, tzinfo=UTC)
DEV = "riyadh-hq-d12"


def rating_dict(device_id: str = DEV, seq: int = 1, *, created: datetime | None = None, **extra: Any) -> dict[str, Any]:
    moment = created or NOW - timedelta(seconds=1)
    data: dict[str, Any] = {
        "v": 1,
        "id": str(uuid7(int(moment.timestamp() * 1000))),
        "seq": seq,
        "device_id": device_id,
        "employee_id": "E1042",
        "score": 4,
        "reasons": [],
        "lang": "ar",
        "created_at": format_time(moment),
    }
    data.update(extra)
    return data


def incoming(
    topic: str, payload: bytes | dict[str, Any], *, retain: bool = False, at: datetime = NOW, mid: int = 1
) -> Incoming:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return Incoming(topic=topic, payload=body, mid=mid, qos=1, retain=retain, received_at=at)


def rating_msg(data: dict[str, Any], device_id: str = DEV, **kw: Any) -> Incoming:
    return incoming(topics.ratings(device_id), data, **kw)


def stored(new: list[str], dup: list[str] | None = None) -> StoredBatch:
    return StoredBatch(new_rating_ids=new, duplicate_ids=dup or [], negatives=[])


# --- sorting ---------------------------------------------------------------------------


def test_valid_ratings_are_kept_in_order() -> None:
    a, b = rating_dict(seq=1), rating_dict("jeddah-d1", seq=7, score=1)

    out = classify([rating_msg(a), rating_msg(b, "jeddah-d1")])

    assert [(r.id, r.device_id, r.seq) for r in out.ratings] == [(a["id"], DEV, 1), (b["id"], "jeddah-d1", 7)]
    assert out.rejected == []
    assert out.statuses == []
    assert out.skews == {DEV: pytest.approx(-1.0), "jeddah-d1": pytest.approx(-1.0)}  # on time: measured


def test_an_empty_batch() -> None:
    out = classify([])
    assert (out.ratings, out.rejected, out.statuses, out.skews) == ([], [], [], {})


def _one_rejection(item: Incoming) -> tuple[Any, str | None]:
    out = classify([item])
    assert out.ratings == []
    assert len(out.rejected) == 1
    return out.rejected[0]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"not json at all", "payload is not JSON"),
        (b"\xff\xfe\x00\x01", "payload is not UTF-8"),
        (b"[1, 2, 3]", "payload must be a JSON object"),
        (b"", "payload is not JSON"),
    ],
)
def test_unreadable_payloads_are_dead_letters_without_id(payload: bytes, reason: str) -> None:
    letter, rating_id = _one_rejection(incoming(topics.ratings(DEV), payload))

    assert rating_id is None
    assert letter.payload == payload  # kept whole
    assert letter.topic == topics.ratings(DEV)
    assert letter.device_id == DEV
    assert letter.reason.startswith(reason)


def test_an_oversized_payload_is_a_dead_letter_with_its_id() -> None:
    data = rating_dict(visit_id="A-1")
    data["padding"] = "x" * MAX_PAYLOAD_BYTES  # unknown keys are allowed, but not this many bytes
    payload = json.dumps(data).encode()

    letter, rating_id = _one_rejection(incoming(topics.ratings(DEV), payload))

    assert rating_id == data["id"]
    assert letter.reason == f"payload is {len(payload)} bytes; the limit is {MAX_PAYLOAD_BYTES}"
    assert letter.payload == payload


def test_exactly_the_size_limit_is_accepted() -> None:
    data = rating_dict()
    data["padding"] = ""
    size = len(json.dumps(data).encode())
    data["padding"] = "x" * (MAX_PAYLOAD_BYTES - size)
    payload = json.dumps(data).encode()
    assert len(payload) == MAX_PAYLOAD_BYTES

    out = classify([incoming(topics.ratings(DEV), payload)])

    assert [r.id for r in out.ratings] == [data["id"]]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"v": 2}, "v: unsupported version 2"),
        ({"score": 9}, "score: must be 1..5"),
        ({"score": 0}, "score: must be 1..5"),
        ({"score": "5"}, "score:"),
        ({"seq": 0}, "seq:"),
        ({"created_at": "2026-11-28 09:15:02"}, "created_at: must be RFC 3339"),
        ({"reasons": ["waiting_time", "waiting_time"]}, "reasons: must not repeat"),
        ({"lang": "French"}, "lang:"),
        ({"device_id": "someone-else"}, "device_id: payload says 'someone-else' but it was published by"),
    ],
)
def test_contract_breaches_are_dead_letters_naming_the_id(change: dict[str, Any], reason: str) -> None:
    data = rating_dict(**change)

    letter, rating_id = _one_rejection(rating_msg(data))

    assert rating_id == data["id"]
    assert reason in letter.reason
    assert letter.device_id == DEV  # the topic's device, never the payload's
    assert json.loads(letter.payload) == data


def test_a_bad_id_is_a_dead_letter_with_that_id_so_the_device_can_drop_it() -> None:
    data = rating_dict(id="not-a-uuid")
    letter, rating_id = _one_rejection(rating_msg(data))
    assert rating_id == "not-a-uuid"
    assert letter.reason.startswith("id: must be a lowercase UUID like ")


def test_an_unexpected_topic_is_a_dead_letter() -> None:
    for topic in (topics.acks(DEV), topics.config(DEV), "taqyeem/v1/other", "taqyeem/v1/devices/BAD ID/ratings"):
        letter, rating_id = _one_rejection(incoming(topic, rating_dict()))
        assert letter.reason == "unexpected topic"
        assert rating_id is None
        assert letter.topic == topic


def test_good_and_bad_in_one_batch() -> None:
    good, bad = rating_dict(seq=1), rating_dict(seq=2, score=9)

    out = classify([rating_msg(good), rating_msg(bad), incoming(topics.ratings(DEV), b"{")])

    assert [r.id for r in out.ratings] == [good["id"]]
    assert [rid for _, rid in out.rejected] == [bad["id"], None]


def test_a_deeply_nested_payload_is_a_dead_letter_not_a_crash() -> None:
    # Refused before json.loads, which would recurse near the limit; uncaught, that once blocked the ingest writer.
    payload = b'{"v": 1, "x": ' + b"[" * 2000 + b"]" * 2000 + b"}"
    assert len(payload) <= MAX_PAYLOAD_BYTES

    letter, rating_id = _one_rejection(incoming(topics.ratings(DEV), payload))

    assert letter.reason == "payload is not JSON: nested too deeply"
    assert rating_id is None


@pytest.mark.parametrize(
    "spell", [str.upper, lambda i: "{" + i + "}", lambda i: "urn:uuid:" + i, lambda i: i.replace("-", "")]
)
def test_the_ack_names_the_id_exactly_as_the_device_sent_it(spell: Any) -> None:
    # A non-canonical spelling is refused, and the refusal names the id as sent, so the device drops it.
    data = rating_dict()
    data["id"] = spell(data["id"])
    out = classify([rating_msg(data)])
    (ack,) = acks_for(out, stored([r.id for r in out.ratings]))[DEV]

    assert ack.ids == []
    assert [r.id for r in ack.rejected] == [data["id"]]
    assert ack.rejected[0].error.startswith("id: must be a lowercase UUID")


# --- statuses ----------------------------------------------------------------------------------


def test_a_live_status_is_live_and_a_retained_one_is_not() -> None:
    status = {"v": 1, "state": "online", "outbox": 2, "last_seq": 9}

    out = classify([incoming(topics.status(DEV), status), incoming(topics.status("jeddah-d1"), status, retain=True)])

    assert [(device, s.state, s.outbox, live) for device, s, live in out.statuses] == [
        (DEV, "online", 2, True),
        ("jeddah-d1", "online", 2, False),
    ]
    assert out.ratings == []
    assert out.rejected == []


def test_the_last_will_is_a_status() -> None:
    out = classify([incoming(topics.status(DEV), {"v": 1, "state": "offline"})])
    ((device, status, live),) = out.statuses
    assert (device, status.state, live) == (DEV, "offline", True)


def test_a_bad_status_is_a_dead_letter_without_id() -> None:
    letter, rating_id = _one_rejection(incoming(topics.status(DEV), {"v": 1, "state": "asleep", "id": "x"}))
    assert letter.reason.startswith("state:")
    assert rating_id is None


# --- clock skew -------------------------------------------------------------------------------------


def test_a_rating_from_five_minutes_in_the_future_means_the_clock_is_ahead() -> None:
    data = rating_dict(created=NOW + timedelta(minutes=5))

    out = classify([rating_msg(data)])

    assert [r.id for r in out.ratings] == [data["id"]]  # still stored
    assert out.skews == {DEV: pytest.approx(300.0)}


def test_an_old_rating_sent_late_after_an_outage_is_not_skew() -> None:
    data = rating_dict(created=NOW - timedelta(hours=6))
    out = classify([rating_msg(data)])
    assert out.skews == {}
    assert len(out.ratings) == 1


def test_a_small_lead_within_tolerance_is_measured_as_it_is() -> None:
    out = classify([rating_msg(rating_dict(created=NOW + timedelta(seconds=30)))])
    assert out.skews == {DEV: pytest.approx(30.0)}
    out = classify([rating_msg(rating_dict(created=NOW + timedelta(seconds=30)))], clock_tolerance_s=10)
    assert out.skews == {DEV: pytest.approx(30.0)}


def test_an_on_time_rating_after_a_wild_lead_makes_the_latest_value_the_one_shown() -> None:
    wild = rating_dict(seq=1, created=NOW + timedelta(days=400))
    on_time = rating_dict(seq=2, created=NOW - timedelta(seconds=2))

    out = classify([rating_msg(wild, mid=1), rating_msg(on_time, mid=2)])

    assert out.skews == {DEV: pytest.approx(-2.0)}


def test_a_clock_set_back_is_flagged_by_the_live_status_and_its_old_looking_ratings_do_not_clear_it() -> None:
    behind = {"v": 1, "state": "online", "at": format_time(NOW - timedelta(hours=1))}
    rating = rating_dict(created=NOW - timedelta(hours=1))

    out = classify([incoming(topics.status(DEV), behind), rating_msg(rating)])

    assert out.skews == {DEV: pytest.approx(-3600.0)}


def test_a_live_online_status_measures_the_clock_both_ways() -> None:
    ahead = {"v": 1, "state": "online", "at": format_time(NOW + timedelta(minutes=2))}
    behind = {"v": 1, "state": "online", "at": format_time(NOW - timedelta(minutes=3))}

    out = classify([incoming(topics.status(DEV), ahead), incoming(topics.status("jeddah-d1"), behind)])

    assert out.skews == {DEV: pytest.approx(120.0), "jeddah-d1": pytest.approx(-180.0)}


def test_a_retained_status_does_not_measure_the_clock() -> None:
    old = {"v": 1, "state": "online", "at": format_time(NOW - timedelta(days=2))}
    out = classify([incoming(topics.status(DEV), old, retain=True)])
    assert out.skews == {}


# --- acks --------------------------------------------------------------------------------------------------


def test_acks_group_stored_and_duplicate_ids_per_device() -> None:
    a1, a2 = rating_dict(seq=1), rating_dict(seq=2)
    b1 = rating_dict("jeddah-d1", seq=1)
    out = classify([rating_msg(a1), rating_msg(a2), rating_msg(b1, "jeddah-d1")])

    acks = acks_for(out, stored([a1["id"], b1["id"]], [a2["id"]]))

    assert acks == {DEV: [Ack(ids=[a1["id"], a2["id"]])], "jeddah-d1": [Ack(ids=[b1["id"]])]}


def test_acks_name_an_id_once_even_if_it_came_twice() -> None:
    a = rating_dict()
    out = classify([rating_msg(a), rating_msg(a)])
    acks = acks_for(out, stored([a["id"]]))
    assert acks == {DEV: [Ack(ids=[a["id"]])]}


def test_acks_carry_rejections_with_their_reason_and_id() -> None:
    good, bad = rating_dict(seq=1), rating_dict(seq=2, score=9)
    out = classify([rating_msg(good), rating_msg(bad), incoming(topics.ratings(DEV), b"garbage")])

    (ack,) = acks_for(out, stored([good["id"]]))[DEV]

    assert ack.ids == [good["id"]]
    assert ack.rejected[0] == Rejection(id=bad["id"], error="score: must be 1..5")
    assert ack.rejected[1].id is None
    assert ack.rejected[1].error.startswith("payload is not JSON")


def test_a_foreign_device_id_is_rejected_to_the_publisher_not_the_named_device() -> None:
    data = rating_dict(device_id="victim-d1")
    out = classify([rating_msg(data, DEV)])

    acks = acks_for(out, stored([]))

    assert list(acks) == [DEV]
    (ack,) = acks[DEV]
    assert ack.ids == []
    assert [r.id for r in ack.rejected] == [data["id"]]


def test_no_ack_for_statuses_or_unexpected_topics() -> None:
    out = classify(
        [
            incoming(topics.status(DEV), {"v": 1, "state": "online"}),
            incoming(topics.status(DEV), b"junk"),
            incoming(topics.config(DEV), b"junk"),
        ]
    )
    assert acks_for(out, stored([])) == {}


def test_no_ack_for_a_rating_that_was_not_stored() -> None:
    a = rating_dict()
    out = classify([rating_msg(a)])
    assert acks_for(out, stored([])) == {}


def test_many_ids_are_split_into_acks_of_bounded_size() -> None:
    total = 2 * ACK_IDS_PER_MESSAGE + 50
    good = [rating_dict(seq=s) for s in range(1, total + 1)]
    bad = rating_dict(seq=total + 1, score=9)
    out = classify([rating_msg(d) for d in [*good, bad]])
    acks = acks_for(out, stored([r.id for r in out.ratings]))[DEV]

    assert [len(a.ids) for a in acks] == [ACK_IDS_PER_MESSAGE, ACK_IDS_PER_MESSAGE, 50]
    assert [i for a in acks for i in a.ids] == [d["id"] for d in good]  # every id once, in order
    assert [r.id for a in acks for r in a.rejected] == [bad["id"]]
    for ack in acks:
        body = json.loads(ack.to_json())
        assert body["v"] == 1
        assert len(ack.to_json()) < 8 * 1024


def test_exactly_one_full_ack() -> None:
    good = [rating_dict(seq=s) for s in range(1, ACK_IDS_PER_MESSAGE + 1)]
    out = classify([rating_msg(d) for d in good])
    acks = acks_for(out, stored([r.id for r in out.ratings]))[DEV]
    assert [len(a.ids) for a in acks] == [ACK_IDS_PER_MESSAGE]


# --- alerts ------------------------------------------------------------------------------------------------


def test_alert_for_a_stored_negative_row() -> None:
    row = {
        "id": "r1",
        "site_id": "riyadh-hq",
        "desk_id": "desk-12",
        "employee_id": "E1042",
        "score": 1,
        "reasons": json.dumps(["staff_courtesy"]),
        "created_at": "2026-11-28T09:15:02.123Z",
    }

    alert = alert_for(row)

    assert alert.model_dump() == {
        "v": 1,
        "kind": "negative",
        "rating_id": "r1",
        "site_id": "riyadh-hq",
        "desk_id": "desk-12",
        "employee_id": "E1042",
        "score": 1,
        "reasons": ["staff_courtesy"],
        "created_at": "2026-11-28T09:15:02.123Z",
        "rule": None,
        "window": None,
        "value": None,
        "threshold": None,
    }


def test_alert_for_an_unassigned_device() -> None:
    row = {
        "id": "r1",
        "site_id": None,
        "desk_id": None,
        "employee_id": None,
        "score": 2,
        "reasons": [],
        "created_at": "2026-11-28T09:15:02.123Z",
    }
    alert = alert_for(row)
    assert (alert.site_id, alert.desk_id, alert.reasons) == (None, None, [])


def test_acks_stay_small_however_many_rejections_a_device_causes() -> None:
    device = "desk-flood"
    items = [
        Incoming(
            f"taqyeem/v1/devices/{device}/ratings",
            b'{"v": 1, "id": "' + b"x" * 60 + b'", "pad": "' + b"p" * 400 + b'"}',
            n,
            1,
            False,
            datetime.now(UTC),
        )
        for n in range(500)
    ]
    classified = classify(items)
    acks = acks_for(classified, StoredBatch([], [], []))[device]
    assert sum(len(a.rejected) for a in acks) == 500
    assert max(len(a.to_json()) for a in acks) <= 16 * 1024


def test_a_service_account_cannot_pass_for_a_desk() -> None:
    body = rating_dict(device_id="taqyeem-queue")
    out = classify(
        [
            Incoming(
                "taqyeem/v1/devices/taqyeem-queue/ratings", json.dumps(body).encode(), 1, 1, False, datetime.now(UTC)
            )
        ]
    )
    assert out.ratings == []
    [(letter, rating_id)] = out.rejected
    assert "service account" in letter.reason and rating_id == body["id"]


def test_an_unexpected_failure_while_validating_one_rating_is_a_rejection_naming_it(monkeypatch) -> None:
    import collector.ingest.classify

    def broken(_device_id: str, _payload: bytes) -> Any:
        raise TypeError("validator bug")

    monkeypatch.setattr(collector.ingest.classify, "parse_rating", broken)
    data = rating_dict()

    letter, rating_id = _one_rejection(rating_msg(data))

    assert rating_id == data["id"]
    assert letter.reason == "collector error: TypeError: validator bug"
