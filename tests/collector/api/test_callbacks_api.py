"""The visitor called back (PROTOCOL 1.2) on real parts: a tablet's negative rating with a number through real
mosquitto, the review's callback shown to its supervisor and not to the employee, the call's outcome, closing
with visitor_contacted, the number erased after callback_days (the purge run with a moved clock), and every
refusal with its reason and nothing half-stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from collector.alerts.dispatcher import AlertDispatcher
from collector.ingest.subscriber import Ingest
from collector.people.auth import Accounts
from collector.reviews.rules import closure_from
from collector.settings import SiteAlerts
from collector.upkeep.retention import PurgeSchedule
from collector.visits.sms import REVIEWED_TEXT
from collector.web.live_feed import LiveFeed
from shared import topics
from shared.clock import format_time, parse_time, uuid7
from shared.contract import Ack, Rating, parse_message
from tests.collector.conftest import serve_collector
from tests.conftest import wait_until
from tests.support.db_files import alert_log
from tests.support.mqtt_peer import Peer
from tests.support.sms_webhook import webhook
from tests.support.two_sites_today import desk_config
from tests.support.web_session import sign_in

NOW = "2026-12-08T06:00:00.000Z"
PHONE = "+966512345678"


@pytest.fixture
def collector(make_collector: Callable[..., Ingest]) -> Ingest:
    ingest = make_collector()
    ingest.store.devices.register("desk-cb", desk_config("site-a", "desk-01"), NOW)
    employee = {"employee_id": "E7", "name_ar": "نورة", "name_en": "Noura", "site_id": "site-a", "section_id": None}
    ingest.store.employees.save([{**employee, "active": True}], "hr", NOW)
    accounts = Accounts(ingest.store)
    accounts.add_user("sup-a", "supervisor", ["site-a"], "sup-a-password-1")
    accounts.add_user("noura", "employee", [], "noura-password-1", employee_id="E7")
    return ingest


@pytest.fixture
def tablet(broker: Any, collector: Ingest) -> Iterator[Peer]:
    peer = Peer(broker.port, "desk-cb", broker.add_device("desk-cb"))
    peer.subscribe(topics.acks("desk-cb"))
    yield peer
    peer.close()


def _rate(tablet: Peer, score: int, phone: str | None, seq: int) -> tuple[Rating, Ack]:
    rating = Rating(
        id=str(uuid7()), seq=seq, device_id="desk-cb", employee_id="E7", score=score,
        reasons=["waiting_time"] if score <= 2 else [], created_at=format_time(datetime.now(UTC)), callback_phone=phone,
    )  # fmt: skip
    tablet.publish(topics.ratings("desk-cb"), rating.to_json())
    return rating, parse_message(Ack, tablet.next_message().payload)


def test_a_negative_with_a_number_is_called_back_closed_as_contacted_and_its_number_erased_after_30_days(
    collector: Ingest, tablet: Peer
) -> None:
    rating, ack = _rate(tablet, 1, PHONE, 1)
    assert ack.ids == [rating.id] and ack.rejected == []
    with serve_collector(collector.store, collector) as base, sign_in(base, "sup-a", "sup-a-password-1") as sup:
        csrf = {"X-CSRF-Token": _csrf(sup)}
        item = sup.get(f"/api/v1/reviews/{rating.id}").json()
        assert item["callback"]["phone"] == PHONE and item["callback"]["outcome"] is None
        listed = sup.get("/api/v1/reviews", params={"status": "open"}).json()["reviews"]
        assert [r["callback"]["phone"] for r in listed] == [PHONE]
        with sign_in(base, "noura", "noura-password-1") as noura:  # the employee rated sees no number
            assert noura.get(f"/api/v1/reviews/{rating.id}").json()["callback"] is None
            assert noura.get("/api/v1/reviews").json()["reviews"][0]["callback"] is None

        close = {"cause": "waiting_time", "action": "visitor_contacted", "note": "called her"}
        refused = sup.post(f"/api/v1/reviews/{rating.id}", json=close, headers=csrf)
        assert refused.status_code == 422 and "needs a reached callback" in refused.json()["detail"]
        no_answer = sup.post(f"/api/v1/reviews/{rating.id}/callback", json={"outcome": "no_answer"}, headers=csrf)
        assert no_answer.status_code == 200 and no_answer.json()["callback"]["outcome"] == "no_answer"
        assert sup.post(f"/api/v1/reviews/{rating.id}", json=close, headers=csrf).status_code == 422
        reached = {"outcome": "reached", "note": "apologised; she will come back on Sunday"}
        assert sup.post(f"/api/v1/reviews/{rating.id}/callback", json=reached, headers=csrf).status_code == 200
        closed = sup.post(f"/api/v1/reviews/{rating.id}", json=close, headers=csrf)
        assert closed.status_code == 200, closed.text
        kinds = [e["kind"] for e in closed.json()["history"]]
        assert kinds == ["opened", "called_back", "called_back", "closed"]

    closed_at = parse_time(collector.store.reviews.get(rating.id)["review"]["closed_at"])  # type: ignore[index]
    PurgeSchedule(collector.store, 90, clock=lambda: closed_at + timedelta(days=29)).run_once()
    assert collector.store.callbacks.of([rating.id])[rating.id]["phone"] == PHONE
    PurgeSchedule(collector.store, 90, clock=lambda: closed_at + timedelta(days=30, seconds=1)).run_once()
    kept = collector.store.callbacks.of([rating.id])[rating.id]
    assert kept["phone"] is None and kept["outcome"] == "reached" and kept["erased_at"] is not None


def test_a_number_on_a_positive_rating_is_rejected_with_its_reason_and_nothing_is_stored(
    collector: Ingest, tablet: Peer
) -> None:
    rating, ack = _rate(tablet, 5, PHONE, 1)
    assert ack.ids == [] and [r.id for r in ack.rejected] == [rating.id]
    assert "only for a negative rating" in ack.rejected[0].error
    assert collector.store.ratings.by_ids([rating.id]) == [] and collector.store.callbacks.of([rating.id]) == {}
    letters = collector.store.ratings.dead_letters()
    assert any("only for a negative rating" in letter["reason"] for letter in letters)


def test_the_api_refuses_a_malformed_number_a_number_on_a_positive_call_and_a_call_on_no_request(
    collector: Ingest, tablet: Peer
) -> None:
    token = collector.store.accounts.create_token("ivr", "integration", ["site-a"], NOW)
    plain, _ = _rate(tablet, 2, None, 1)
    with serve_collector(collector.store, collector) as base, httpx.Client(base_url=base, timeout=10) as http:
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        body = {"v": 1, "id": str(uuid7()), "site_id": "site-a", "score": 5, "created_at": NOW, "callback_phone": PHONE}
        positive = http.post("/api/v1/ratings", content=json.dumps(body), headers=auth)
        assert positive.status_code == 422 and "only for a negative rating" in positive.json()["detail"]
        assert collector.store.ratings.by_ids([body["id"]]) == []
        malformed = http.post("/api/v1/ratings", content=json.dumps({**body, "score": 1, "callback_phone": "0512"}),
                              headers=auth)  # fmt: skip
        assert malformed.status_code == 422 and "callback_phone" in malformed.text
        with sign_in(base, "sup-a", "sup-a-password-1") as sup:
            csrf = {"X-CSRF-Token": _csrf(sup)}
            none = sup.post(f"/api/v1/reviews/{plain.id}/callback", json={"outcome": "reached"}, headers=csrf)
            assert none.status_code == 422 and "did not ask to be called back" in none.json()["detail"]
            bad = sup.post(f"/api/v1/reviews/{plain.id}/callback", json={"outcome": "maybe"}, headers=csrf)
            assert bad.status_code == 422


def _csrf(client: httpx.Client) -> str:
    page = client.get("/reviews")
    marker = 'name="csrf" value="'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]


def test_a_visitor_whose_review_closed_is_thanked_by_sms_once_without_naming_the_employee(
    collector: Ingest, tablet: Peer
) -> None:
    rating, _ = _rate(tablet, 1, PHONE, 1)
    with webhook() as (port, received):
        settings = collector.settings.model_copy(
            update={"alerts": {"site-a": SiteAlerts(sms_urls=[f"json://127.0.0.1:{port}/sms/{{phone}}"])}}
        )
        dispatcher = AlertDispatcher(collector.store, settings, LiveFeed())
        assert dispatcher.thank_called_back_visitors() == 0  # still open: nothing to say yet
        closure = closure_from("waiting_time", "process_fix", "a second desk opens at nine")
        collector.store.reviews.close(rating.id, "sup-a", closure.as_dict(), format_time(datetime.now(UTC)))
        assert dispatcher.thank_called_back_visitors() == 1
        wait_until(lambda: received, timeout=10, what="the thank-you SMS")
        assert dispatcher.thank_called_back_visitors() == 0  # once
        dispatcher.stop()
    assert received[0]["path"] == "/sms/+966512345678"  # apprise unquotes the URL-quoted number
    body = json.loads(received[0]["body"])["message"]
    assert body == REVIEWED_TEXT  # the whole message: a fixed text naming no employee, rating or cause
    assert body.startswith("شكرا لملاحظتك") and "Thank you for your feedback" in body
    assert all(PHONE not in row["channel"] for row in alert_log(collector.store.path))
