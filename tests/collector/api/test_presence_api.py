"""GET /api/v1/presence (the sign-in log) and what a review says about presence at the tap, over real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.store import Store
from shared.clock import format_time, uuid7
from shared.contract import Presence, PresenceCause, PresenceEvent
from tests.support.two_sites_today import seed, today_start

NOW = "2026-11-28T10:00:00.000Z"


def signed(device_id: str, employee_id: str, event: PresenceEvent, cause: PresenceCause, minutes: int) -> Presence:
    moment = today_start() + timedelta(hours=9, minutes=minutes)
    return Presence(
        id=str(uuid7(int(moment.timestamp() * 1000))),
        device_id=device_id,
        employee_id=employee_id,
        event=event,
        cause=cause,
        at=format_time(moment),
    )


def seed_presence(store: Store) -> dict[str, Any]:
    """On top of ``seed``: E2 signed in at dev-a1 from 09:00 to 09:30, E9 at dev-a2 from 09:00; dev-b1 sent none.

    dev-a1's negative ratings are E2's at 09:21 (signed in) and 09:35 (signed out by then);
    dev-b1's is B7's at 09:02 (no record).
    """
    seeded = seed(store)
    events = [
        signed("dev-a1", "E2", "sign_in", "pin", 0),
        signed("dev-a1", "E2", "sign_out", "manual", 30),
        signed("dev-a2", "E9", "sign_in", "pin", 0),
    ]
    store_batch(store, Batch(presence=events), format_time(today_start() + timedelta(hours=10)))
    negatives = {r.device_id + "@" + r.created_at[11:16]: r.id for r in seeded["ratings"] if r.score <= 2}
    return {"events": events, "negatives": negatives, "ratings": seeded["ratings"]}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, Any]]]:
    store = Store(tmp_path_factory.mktemp("presence-api") / "taqyeem.db")
    found = seed_presence(store)
    yield store, found
    store.close()


@pytest.fixture(scope="module")
def get(
    seeded: tuple[Store, dict[str, Any]], live_api: Callable[[Store], str]
) -> Iterator[Callable[..., httpx.Response]]:
    store, _ = seeded
    tokens = {
        "admin": store.accounts.create_token("admin", "admin", [], NOW),
        "sup_a": store.accounts.create_token("sup-a", "supervisor", ["site-a"], NOW),
        "viewer_b": store.accounts.create_token("viewer-b", "viewer", ["site-b"], NOW),
    }
    with httpx.Client(base_url=live_api(store), timeout=10) as client:

        def call(role: str, path: str, **params: Any) -> httpx.Response:
            return client.get(path, params=params, headers={"Authorization": f"Bearer {tokens[role]}"})

        yield call


def ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [p["id"] for p in response.json()["presence"]]


def test_the_log_is_newest_first_with_the_contract_fields_and_where_it_was(get, seeded) -> None:
    _, found = seeded
    a1_in, a1_out, a2_in = found["events"]
    response = get("admin", "/api/v1/presence")
    newest, *same_minute = ids(response)
    assert (newest, set(same_minute)) == (a1_out.id, {a1_in.id, a2_in.id})
    first = response.json()["presence"][0]
    assert {k: first[k] for k in ("device_id", "employee_id", "event", "cause", "at", "site_id", "desk_id")} == {
        "device_id": "dev-a1",
        "employee_id": "E2",
        "event": "sign_out",
        "cause": "manual",
        "at": a1_out.at,
        "site_id": "site-a",
        "desk_id": "desk-01",
    }
    assert first["received_at"]


def test_the_log_filters(get, seeded) -> None:
    _, found = seeded
    a1_in, a1_out, a2_in = found["events"]
    assert ids(get("admin", "/api/v1/presence", device_id="dev-a1")) == [a1_out.id, a1_in.id]
    assert ids(get("admin", "/api/v1/presence", employee_id="E9")) == [a2_in.id]
    assert ids(get("admin", "/api/v1/presence", since=a1_out.at)) == [a1_out.id]
    assert ids(get("admin", "/api/v1/presence", until=a1_out.at, device_id="dev-a1")) == [a1_in.id]
    assert len(ids(get("admin", "/api/v1/presence", limit=1))) == 1


def test_the_log_keeps_to_the_readers_sites(get) -> None:
    assert len(ids(get("sup_a", "/api/v1/presence"))) == 3
    assert ids(get("viewer_b", "/api/v1/presence")) == []
    refused = get("sup_a", "/api/v1/presence", site_id="site-b")
    assert refused.status_code == 403 and "site-a" in refused.json()["detail"]


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 10_001}, {"device_id": "Not A Device"}, {"since": "20261128"}]
)
def test_bad_filters_are_422(get, params) -> None:
    assert get("admin", "/api/v1/presence", **params).status_code == 422


def test_the_route_is_in_the_openapi_document(get) -> None:
    schema = get("admin", "/openapi.json").json()
    operation = schema["paths"]["/api/v1/presence"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"device_id", "employee_id", "site_id", "since", "until"}
    assert "PresencePublic" in schema["components"]["schemas"]


def test_a_review_says_whether_the_rated_employee_was_signed_in_at_the_tap(get, seeded) -> None:
    _, found = seeded
    a1_in = found["events"][0]
    by_time = dict(sorted(found["negatives"].items()))  # "device@HH:MM" -> rating id
    a1 = [rid for key, rid in by_time.items() if key.startswith("dev-a1")]
    signed_in = get("admin", f"/api/v1/reviews/{a1[0]}").json()["presence"]
    assert signed_in == {"state": "signed_in", "since": a1_in.at, "signed_in_employee_id": "E2"}
    after = get("admin", f"/api/v1/reviews/{a1[1]}").json()["presence"]
    assert after == {"state": "not_signed_in", "since": None, "signed_in_employee_id": None}
    [b1] = [rid for key, rid in by_time.items() if key.startswith("dev-b1")]
    assert get("admin", f"/api/v1/reviews/{b1}").json()["presence"]["state"] == "no_record"
