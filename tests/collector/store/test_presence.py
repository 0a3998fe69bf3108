"""The sign-in log (collector/store/presence.py) and the rule over it (collector/reviews/presence_at_tap.py).

On a real SQLite file.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.reviews.presence_at_tap import at_tap, presence_at_tap
from collector.store import Store
from shared.clock import format_time, uuid7
from shared.contract import Presence, PresenceCause, PresenceEvent
from tests.support.db_files import rows
from tests.support.fixed_time_ratings import NOW, T0, config, rating


def presence(
    employee_id: str = "E1",
    event: PresenceEvent = "sign_in",
    minute: int = 0,
    *,
    cause: PresenceCause = "pin",
    device_id: str = "dev-a1",
) -> Presence:
    moment = T0 + timedelta(minutes=minute)
    return Presence(
        id=str(uuid7(int(moment.timestamp() * 1000))),
        device_id=device_id,
        employee_id=employee_id,
        event=event,
        cause=cause,
        at=format_time(moment),
    )


def at(minute: float) -> str:
    return format_time(T0 + timedelta(minutes=minute))


def test_presence_is_stored_once_by_id_and_acked_every_time(store: Store, db_path: Path) -> None:
    store.devices.register("dev-a1", config(), NOW)
    signed_in = presence()
    first = store_batch(store, Batch(presence=[signed_in, signed_in]), NOW)
    again = store_batch(store, Batch(presence=[signed_in]), NOW)
    assert first.presence_ids == [signed_in.id, signed_in.id] and again.presence_ids == [signed_in.id]
    assert rows(db_path, "SELECT id, employee_id, event, cause, site_id, desk_id FROM presence") == [
        (signed_in.id, "E1", "sign_in", "pin", "site-a", "desk-1")
    ]
    assert rows(db_path, "SELECT count(*) FROM dead_letters") == [(0,)]


def test_the_same_id_with_other_content_is_a_conflict_kept_in_the_dead_letters(store: Store, db_path: Path) -> None:
    signed_in = presence()
    store_batch(store, Batch(presence=[signed_in]), NOW)
    forged = signed_in.model_copy(update={"employee_id": "E2"})
    result = store_batch(store, Batch(presence=[forged], presence_payloads=[forged.to_json()]), NOW)
    assert result.presence_ids == [signed_in.id]  # answered, so the device stops resending it
    assert rows(db_path, "SELECT employee_id FROM presence") == [("E1",)]
    [(topic, reason)] = rows(db_path, "SELECT topic, reason FROM dead_letters")
    assert topic == "taqyeem/v1/devices/dev-a1/presence"
    assert reason.startswith("conflict:") and "employee_id 'E1' stored, 'E2' now" in reason


def test_who_was_signed_in_at_a_moment(store: Store) -> None:
    events = [
        presence("E1", "sign_in", 0),
        presence("E1", "sign_out", 30, cause="replaced"),
        presence("E2", "sign_in", 30),  # the same instant: the sign-in is the later word
        presence("E2", "sign_out", 60, cause="idle"),
    ]
    store_batch(store, Batch(presence=events[::-1]), NOW)  # arrival order does not matter
    assert store.presence.latest_at("dev-a1", at(-1)) is None  # nothing recorded before: unknown
    assert [store.presence.signed_in_at("dev-a1", at(m)) for m in (0, 10, 30, 45, 60, 90)] == [
        "E1",
        "E1",
        "E2",
        "E2",
        None,
        None,
    ]
    assert store.presence.signed_in_at("dev-other", at(10)) is None


def test_the_log_filters_by_device_employee_site_and_time_newest_first(store: Store) -> None:
    store.devices.register("dev-a1", config("site-a"), NOW)
    store.devices.register("dev-b1", config("site-b"), NOW)
    a_in, a_out = presence("E1", "sign_in", 0), presence("E1", "sign_out", 20, cause="manual")
    b_in = presence("E2", "sign_in", 10, device_id="dev-b1")
    store_batch(store, Batch(presence=[a_in, a_out, b_in]), NOW)

    def ids(**filters: object) -> list[str]:
        return [row["id"] for row in store.presence.log(**filters)]  # type: ignore[arg-type]

    assert ids() == [a_out.id, b_in.id, a_in.id]
    assert ids(device_id="dev-a1") == [a_out.id, a_in.id]
    assert ids(employee_id="E2") == [b_in.id]
    assert ids(site_id="site-a", since=at(5)) == [a_out.id]
    assert ids(until=at(10)) == [a_in.id]
    assert ids(sites=["site-b"]) == [b_in.id]
    assert ids(sites=[]) == []
    assert ids(limit=1) == [a_out.id]


def test_the_review_says_whether_the_rated_employee_was_signed_in_at_the_tap(store: Store) -> None:
    store_batch(store, Batch(presence=[presence("E1", "sign_in", 0), presence("E1", "sign_out", 5)]), NOW)
    assert at_tap("E1", None) == {"state": "no_record", "since": None, "signed_in_employee_id": None}
    tapped = rating(minute=3, employee_id="E1").model_dump()
    assert presence_at_tap(store, tapped) == {"state": "signed_in", "since": at(0), "signed_in_employee_id": "E1"}
    other = rating(minute=3, employee_id="E9").model_dump()
    assert presence_at_tap(store, other)["state"] == "not_signed_in"
    after = rating(minute=8, employee_id="E1").model_dump()
    assert presence_at_tap(store, after) == {"state": "not_signed_in", "since": None, "signed_in_employee_id": None}
    elsewhere = rating(device_id="dev-b9", minute=3).model_dump()
    assert presence_at_tap(store, elsewhere)["state"] == "no_record"
