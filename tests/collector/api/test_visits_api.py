"""Visits and calls over real HTTP: POST /api/v1/visits with an integration token, a real broker and a real webhook.

Roles and site scope, idempotency on the visit id, the 422 texts, an Invite to the desk's
device through mosquitto, a rating link for a call or a phone number, and its SMS sent
through apprise to a loopback webhook standing in for the SMS gateway.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.ingest.subscriber import Ingest
from collector.visits.links import token_hash
from shared import topics
from shared.contract import Invite, parse_message
from tests.collector.conftest import serve_app
from tests.conftest import wait_until
from tests.support.mqtt_peer import Peer
from tests.support.sms_webhook import webhook
from tests.support.two_sites_today import desk_config

NOW = "2026-11-28T12:00:00.000Z"


@pytest.fixture
def gateway() -> Iterator[tuple[int, list[dict[str, Any]]]]:
    with webhook() as served:
        yield served


@pytest.fixture
def collector(make_collector: Callable[..., Ingest], gateway: tuple[int, list[dict[str, Any]]]) -> Ingest:
    port, _ = gateway
    sms = [f"json://127.0.0.1:{port}/sms/{{phone}}"]
    return make_collector(public_url="https://rate.example.sa/", alerts={"site-a": {"sms_urls": sms}})


@pytest.fixture
def tokens(collector: Ingest) -> dict[str, str]:
    accounts = collector.store.accounts
    employee = {"employee_id": "E7", "name_ar": "نورة", "name_en": "Noura", "site_id": "site-a", "section_id": None}
    collector.store.employees.save([{**employee, "active": True}], "hr", NOW)
    return {
        "queue": accounts.create_token("queue", "integration", ["site-a"], NOW),
        "queue-b": accounts.create_token("queue-b", "integration", ["site-b"], NOW),
        "admin": accounts.create_token("admin", "admin", [], NOW),
        "viewer": accounts.create_token("viewer", "viewer", ["site-a"], NOW),
    }


@pytest.fixture
def post(collector: Ingest, tokens: dict[str, str]) -> Iterator[Callable[..., httpx.Response]]:
    app = create_app(AppDeps(collector.store, settings=collector.settings, ingest=collector))
    with serve_app(app) as base, httpx.Client(base_url=base, timeout=10) as client:

        def send(body: Any, holder: str = "queue") -> httpx.Response:
            content = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers = {"Authorization": f"Bearer {tokens[holder]}", "Content-Type": "application/json"}
            return client.post("/api/v1/visits", content=content, headers=headers)

        yield send


@pytest.mark.parametrize("employee_id", ["E9", "NOBODY<script>", "=1+2"], ids=["other-site", "script", "formula"])
def test_a_visit_naming_no_active_employee_of_the_tokens_sites_is_refused_naming_the_field(
    collector: Ingest, post: Callable[..., httpx.Response], employee_id: str
) -> None:
    other = {"employee_id": "E9", "name_ar": "فهد", "name_en": "Fahd", "site_id": "site-b", "section_id": None}
    collector.store.employees.save([{**other, "active": True}], "hr", NOW)
    answer = post({"visit_id": "A-900", "site_id": "site-a", "desk_id": "desk-01", "employee_id": employee_id})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"].startswith("employee_id: not an active employee of this token's sites (site-a)")
    assert collector.store.visits.visit("site-a", "A-900") is None


def test_a_desk_visit_is_recorded_once_and_invites_the_desk_through_the_broker(
    broker: Any, collector: Ingest, post: Callable[..., httpx.Response], unique_id: Callable[[str], str]
) -> None:
    device_id = unique_id("desk")
    collector.store.devices.register(device_id, desk_config("site-a", "desk-01"), NOW)
    tablet = Peer(broker.port, device_id, broker.add_device(device_id))
    try:
        tablet.subscribe(topics.invite(device_id))
        first = post({"visit_id": "A-117", "site_id": "site-a", "desk_id": "desk-01", "employee_id": "E7"})
        assert first.status_code == 201, first.text
        assert first.json() == {"visit_id": "A-117", "stored": True, "url": None, "invited": [device_id]}
        invite = parse_message(Invite, tablet.next_message().payload)
        assert (invite.visit_id, invite.employee_id) == ("A-117", "E7")
        again = post({"visit_id": "A-117", "site_id": "site-a", "desk_id": "desk-01", "employee_id": "E7"})
        assert again.status_code == 200
        assert again.json()["stored"] is False
    finally:
        tablet.close()
    visit = collector.store.visits.visit("site-a", "A-117")
    assert visit is not None
    assert (visit["channel"], visit["desk_id"], visit["employee_id"], visit["token_name"]) == (
        "desk",
        "desk-01",
        "E7",
        "queue",
    )


def test_a_visit_with_a_phone_gets_a_link_sent_by_sms_arabic_first(
    collector: Ingest, post: Callable[..., httpx.Response], gateway: tuple[int, list[dict[str, Any]]]
) -> None:
    answer = post({"visit_id": "A-200", "site_id": "site-a", "desk_id": "desk-02", "phone": "+966500000001"})
    assert answer.status_code == 201, answer.text
    url = answer.json()["url"]
    assert url.startswith("https://rate.example.sa/r/")
    assert answer.json()["sms"] == "queued"
    _, received = gateway
    wait_until(lambda: received, what="the SMS at the gateway")
    assert "966500000001" in received[0]["path"]
    text = json.loads(received[0]["body"])["message"]
    assert text.index("قيّموا") < text.index("Please rate") and text.count(url) == 2
    link = collector.store.visits.link(token_hash(url.rsplit("/", 1)[1]))
    assert link is not None and link["phone"] == "+966500000001" and link["used_at"] is None
    assert url.rsplit("/", 1)[1] not in json.dumps(link)  # only its hash is kept


def test_a_call_gets_a_link_without_sms_when_no_phone_is_given(
    post: Callable[..., httpx.Response], gateway: tuple[int, list[dict[str, Any]]]
) -> None:
    answer = post({"visit_id": "C-1", "site_id": "site-a", "channel": "call"})
    assert answer.status_code == 201
    assert answer.json()["url"].startswith("https://rate.example.sa/r/")
    assert "sms" in answer.json() and answer.json()["sms"] is None
    assert gateway[1] == []


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"site_id": "site-a"}, "visit_id: required"),
        ({"visit_id": "x", "site_id": "Site A"}, "site_id: a site id"),
        ({"visit_id": "x", "site_id": "site-a", "channel": "link"}, "channel: must be 'desk'"),
        ({"visit_id": "x", "site_id": "site-a", "phone": "call me"}, "phone: an international number"),
        ({"visit_id": "x", "site_id": "site-a", "colour": "red"}, "colour: unknown field"),
        ({"visit_id": "x" * 65, "site_id": "site-a"}, "visit_id: 1 to 64 characters"),
        (b"not json", "the body is not JSON"),
        ([1, 2], "the body must be a JSON object"),
    ],
)
def test_bad_bodies_are_refused_with_a_text_that_says_what_to_fix(
    post: Callable[..., httpx.Response], body: Any, detail: str
) -> None:
    answer = post(body)
    assert answer.status_code == 422
    assert detail in answer.json()["detail"]


def test_only_an_integration_token_of_the_site_records_visits(post: Callable[..., httpx.Response]) -> None:
    body = {"visit_id": "S-1", "site_id": "site-a"}
    assert post(body, "queue-b").status_code == 403
    assert "only for the sites site-b" in post(body, "queue-b").json()["detail"]
    assert post(body, "admin").status_code == 403
    assert post(body, "viewer").status_code == 403
    assert post(body, "queue").status_code == 201


def test_without_a_public_url_the_visit_is_recorded_and_the_link_refusal_says_what_to_set(
    make_collector: Callable[..., Ingest], tmp_path: Any
) -> None:
    collector = make_collector(db=tmp_path / "other.db")
    token = collector.store.accounts.create_token("ivr", "integration", ["site-a"], NOW)
    app = create_app(AppDeps(collector.store, settings=collector.settings, ingest=collector))
    with serve_app(app) as base:
        answer = httpx.post(
            f"{base}/api/v1/visits",
            json={"visit_id": "C-9", "site_id": "site-a", "channel": "call"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 201
    assert answer.json()["url"] is None
    assert "public_url" in answer.json()["link_error"]
    assert collector.store.visits.visit("site-a", "C-9") is not None


def test_the_period_report_gives_the_share_of_calls_rated_through_their_links(
    collector: Ingest, post: Callable[..., httpx.Response], tokens: dict[str, str]
) -> None:
    urls = [post({"visit_id": f"C-{i}", "site_id": "site-a", "channel": "call"}).json()["url"] for i in range(4)]
    app = create_app(AppDeps(collector.store, settings=collector.settings, ingest=collector))
    today = app.state.deps.calendar.today().isoformat()
    with serve_app(app) as base, httpx.Client(base_url=base, timeout=10) as client:
        for url in urls[:2]:  # two callers of four rate, one of them twice (the second answer is refused)
            assert client.post(f"/r/{url.rsplit('/', 1)[1]}", json={"score": 4}).status_code == 201
        assert client.post(f"/r/{urls[0].rsplit('/', 1)[1]}", json={"score": 5}).status_code == 410
        headers = {"Authorization": f"Bearer {tokens['admin']}"}
        report = client.get(f"/api/v1/reports/period?from={today}&to={today}", headers=headers).json()
    assert (report["calls"], report["visits"], report["response_rate"]) == (4, 0, 0.5)
    assert report["by_channel"]["call"] | {"count": 0} == {
        "count": 0, "mean": None, "negatives": 0, "share_negative": None, "recorded": 4, "rated": 2,
        "response_rate": 0.5,
    }  # fmt: skip
    assert report["by_channel"]["link"]["count"] == 2  # the ratings came by link; the calls are what they rate
    assert report["by_channel"]["desk"]["response_rate"] is None  # no desk visit recorded
