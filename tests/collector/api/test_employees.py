"""The employee registry over real HTTP (uvicorn, httpx): PUT, GET /api/v1/employees, names in ratings and reports."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.store import Store
from shared.clock import format_time
from shared.contract import DeviceConfig, Rating
from shared.pins import verify_pin
from tests.support.two_sites_today import make_rating, today_start

NOW = format_time(datetime.now(UTC))
SITES = {"site-a": ["hall-1"], "site-b": []}


def _rating(device_id: str, seq: int, score: int, employee_id: str | None) -> Rating:
    # Earlier today on the centres' calendar, whatever the hour: the daily report is the local day's.
    start = today_start()
    return make_rating(
        device_id, seq, score, start + (datetime.now(UTC) - start) / 2 - timedelta(seconds=seq), employee_id
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("employees-api") / "taqyeem.db")
    with store.transaction() as db:
        for site_id, sections in SITES.items():
            db.table("sites").insert({"site_id": site_id, "name_ar": "موقع", "name_en": "Site", "updated_at": NOW})
            for section in sections:
                row = {"site_id": site_id, "section_id": section, "name_ar": "قاعة", "name_en": "Hall"}
                db.table("sections").insert({**row, "updated_at": NOW})
    for device_id, site_id in (("dev-a", "site-a"), ("dev-b", "site-b")):
        config = DeviceConfig(site_id=site_id, desk_id="desk-1", desk_name_ar="مكتب", desk_name_en="Desk")
        store.devices.register(device_id, config, NOW)
    employees = [
        ("E1", "نورة العتيبي", "Noura Alotaibi", "site-a"),
        ("E2", "خالد الحربي", "Khalid Alharbi", "site-a"),
        ("B1", "فهد الدوسري", "Fahd Aldosari", "site-b"),
    ]
    store.employees.save(
        [
            {"employee_id": i, "name_ar": ar, "name_en": en, "site_id": s, "section_id": None, "active": True}
            for i, ar, en, s in employees
        ],
        "test",
        NOW,
    )
    store.employees.set_pin("E2", "pbkdf2_sha256$600000$00$11", "test", NOW)
    batch = [_rating("dev-a", seq, 1 + seq % 5, "E1") for seq in range(1, 11)]  # E1: 10 ratings
    batch += [_rating("dev-a", 11, 1, "E1004"), _rating("dev-a", 12, 4, None), _rating("dev-b", 1, 5, "B1")]
    store_batch(store, Batch(batch), NOW)
    yield store
    store.close()


@pytest.fixture(scope="module")
def tokens(store: Store) -> dict[str, str]:
    return {
        "admin": store.accounts.create_token("admin", "admin", [], NOW),
        "supervisor": store.accounts.create_token("sup-all", "supervisor", ["*"], NOW),
        "supervisor_a": store.accounts.create_token("sup-a", "supervisor", ["site-a"], NOW),
        "viewer": store.accounts.create_token("viewer", "viewer", ["*"], NOW),
    }


class RecordingPublisher:
    def __init__(self) -> None:
        self.sent: list[tuple[str, DeviceConfig | None]] = []

    def publish(self, device_id: str, config: DeviceConfig | None) -> None:
        self.sent.append((device_id, config))


class StandInIngest:
    """What the API uses of the running collector's ingest: its retained-config publisher."""

    def __init__(self) -> None:
        self.config_publisher = RecordingPublisher()


@pytest.fixture(scope="module")
def ingest() -> StandInIngest:
    return StandInIngest()


@pytest.fixture(scope="module")
def call(
    store: Store, tokens: dict[str, str], live_api: Callable[..., str], ingest: StandInIngest
) -> Iterator[Callable[..., Any]]:
    with httpx.Client(base_url=live_api(store, ingest), timeout=10) as client:

        def request(role: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
            return client.request(method, path, headers={"Authorization": f"Bearer {tokens[role]}"}, **kwargs)

        yield request


BODY = {"name_ar": "سارة القحطاني", "name_en": "Sara Alqahtani", "site_id": "site-a", "section_id": "hall-1"}


def test_put_as_admin_creates_then_updates_and_never_shows_a_pin_hash(
    call: Callable[..., httpx.Response], ingest: StandInIngest
) -> None:
    created = call("admin", "PUT", "/api/v1/employees/E3", json=BODY)
    assert created.status_code == 201, created.text
    assert created.json() == {"employee_id": "E3", **BODY, "active": True, "pin_set": False}
    [(device_id, config)] = ingest.config_publisher.sent  # site-a's desk, with its new staff
    assert device_id == "dev-a" and config is not None
    assert [m.employee_id for m in config.staff] == ["E1", "E2", "E3"]
    updated = call("admin", "PUT", "/api/v1/employees/E3", json={**BODY, "active": False})
    assert updated.status_code == 200 and updated.json()["active"] is False
    pinned = call(
        "admin", "PUT", "/api/v1/employees/E2", json={**BODY, "name_en": "Khalid Alharbi", "section_id": None}
    )
    assert pinned.json()["pin_set"] is True and "pin_hash" not in pinned.text


@pytest.mark.parametrize(
    ("pin", "detail"),
    [
        ("1234", "pin: a PIN cannot be a run of digits (like 1234 or 9876); choose digits in no order"),
        ("0000", "pin: a PIN cannot be one digit repeated (like 1111); choose digits that differ"),
        ("123", "pin: a PIN is 4 to 8 digits"),
        ("12a4", "pin: a PIN is digits (0-9) only"),
    ],
)
def test_a_weak_pin_put_through_the_api_is_refused_with_the_reason(
    call: Callable[..., httpx.Response], store: Store, pin: str, detail: str
) -> None:
    answer = call("admin", "PUT", "/api/v1/employees/E1/pin", json={"pin": pin})
    assert answer.status_code == 422 and answer.json()["detail"] == detail
    assert store.employees.state()["E1"]["pin_hash"] is None


def test_a_strong_pin_put_through_the_api_is_kept_as_a_hash_and_sent_to_the_desks(
    call: Callable[..., httpx.Response], store: Store, ingest: StandInIngest
) -> None:
    answer = call("admin", "PUT", "/api/v1/employees/B1/pin", json={"pin": "٣٠٧٩"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"employee_id": "B1", "pin_set": True, "devices": ["dev-b"]}
    assert verify_pin("3079", store.employees.state()["B1"]["pin_hash"])
    assert call("admin", "PUT", "/api/v1/employees/E404/pin", json={"pin": "3079"}).status_code == 404
    assert call("supervisor", "PUT", "/api/v1/employees/B1/pin", json={"pin": "3079"}).status_code == 403


@pytest.mark.parametrize("role", ["supervisor", "supervisor_a", "viewer"])
def test_put_needs_an_admin(call: Callable[..., httpx.Response], role: str) -> None:
    response = call(role, "PUT", "/api/v1/employees/E9", json=BODY)
    assert response.status_code == 403 and response.json()["detail"] == "this needs the role admin"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({**BODY, "site_id": "site-z"}, "site 'site-z' does not exist"),
        ({**BODY, "site_id": "site-b"}, "section 'hall-1' is not a section of site site-b"),
        ({**BODY, "pin": "1234"}, "pin"),
        ({**BODY, "name_ar": ""}, "name_ar"),
    ],
)
def test_put_refuses_a_bad_body_with_a_detail(call: Callable[..., httpx.Response], body: Any, detail: str) -> None:
    response = call("admin", "PUT", "/api/v1/employees/E9", json=body)
    assert response.status_code == 422 and detail in str(response.json()["detail"])


def test_get_lists_names_pin_set_and_the_30_day_figures(call: Callable[..., httpx.Response]) -> None:
    response = call("supervisor", "GET", "/api/v1/employees")
    assert response.status_code == 200, response.text
    listed = {e["employee_id"]: e for e in response.json()["employees"]}
    assert {"E1", "E2", "B1"} <= set(listed)
    e1 = listed["E1"]
    assert (e1["name_ar"], e1["site_id"], e1["active"], e1["pin_set"]) == ("نورة العتيبي", "site-a", True, False)
    assert e1["n"] == 10 and e1["mean"] == pytest.approx(3.0) and e1["excluded"] == 0
    assert e1["ci_low"] < e1["mean"] < e1["ci_high"]
    assert listed["E2"] | {"n": 0} == listed["E2"] and listed["E2"]["mean"] is None and listed["E2"]["pin_set"]
    assert not any("pin_hash" in e for e in listed.values())


def test_get_is_scoped_to_the_callers_sites(call: Callable[..., httpx.Response]) -> None:
    mine = call("supervisor_a", "GET", "/api/v1/employees").json()["employees"]
    assert {e["site_id"] for e in mine} == {"site-a"}
    assert call("supervisor_a", "GET", "/api/v1/employees", params={"site_id": "site-b"}).status_code == 403
    only_b = call("admin", "GET", "/api/v1/employees", params={"site_id": "site-b"}).json()["employees"]
    assert [e["employee_id"] for e in only_b] == ["B1"]
    assert call("viewer", "GET", "/api/v1/employees").status_code == 403


def test_ratings_carry_names_and_an_unknown_employee_has_null_names(call: Callable[..., httpx.Response]) -> None:
    ratings = call("admin", "GET", "/api/v1/ratings", params={"limit": 1000}).json()["ratings"]
    by_employee = {r["employee_id"]: (r["employee_name_ar"], r["employee_name_en"]) for r in ratings}
    assert by_employee["E1"] == ("نورة العتيبي", "Noura Alotaibi")
    assert by_employee["E1004"] == (None, None)  # kept as received, never dropped
    assert by_employee[None] == (None, None)
    reviews = call("admin", "GET", "/api/v1/reviews").json()["reviews"]
    named = {r["rating"]["employee_id"]: r["rating"]["employee_name_en"] for r in reviews}
    assert named["E1"] == "Noura Alotaibi" and named["E1004"] is None


def test_the_daily_report_and_its_csv_name_the_employees(call: Callable[..., httpx.Response]) -> None:
    report = call("admin", "GET", "/api/v1/reports/daily").json()
    by_employee = {r["employee_id"]: r for r in report["by_employee"]}
    assert by_employee["E1"]["name_en"] == "Noura Alotaibi" and by_employee["E1004"]["name_en"] is None

    for lang, name, unknown in (
        ("ar", "نورة العتيبي", "موظف غير معروف (E1004)"),
        ("en", "Noura Alotaibi", "unknown employee (E1004)"),
    ):
        i = 0 if lang == "ar" else 1
        key, label = ("الرقم الوظيفي", "Employee id")[i], ("الموظف", "Employee")[i]
        for table in ("by_employee", "negatives"):
            params = {"lang": lang, "table": table}
            text = call("admin", "GET", "/api/v1/reports/daily.csv", params=params).text
            rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
            names = {row[key]: row[label] for row in rows}
            assert names["E1"] == name and names["E1004"] == unknown
