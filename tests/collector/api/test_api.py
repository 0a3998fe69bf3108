"""The collector's HTTP API (collector/api/), served for real by uvicorn, called with httpx."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch, DeadLetter
from collector.ingest.write_health import WriteHealth
from collector.reviews.rules import ACTIONS, CAUSES
from collector.store import Store
from shared.contract import DeviceConfig, Rating
from tests.support.db_files import count, execute, rows, table_names
from tests.support.two_sites_today import make_rating

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
NOW = "2026-11-28T12:00:00.000Z"
RATINGS_A, RATINGS_A2, RATINGS_B, RATINGS_STRANGER = 30, 6, 20, 3
TOTAL = RATINGS_A + RATINGS_A2 + RATINGS_B + RATINGS_STRANGER
PROTECTED = ["/api/v1/ratings", "/api/v1/reviews", "/api/v1/devices", "/api/v1/rejected"]


def _rating(device_id: str, seq: int, score: int, minute: float, employee_id: str | None = "E1") -> Rating:
    return make_rating(device_id, seq, score, T0 + timedelta(minutes=minute), employee_id)


def _config(site_id: str, desk_id: str, **extra: Any) -> DeviceConfig:
    return DeviceConfig(site_id=site_id, desk_id=desk_id, desk_name_ar="مكتب", desk_name_en="Desk", **extra)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("api") / "taqyeem.db")
    store.devices.register("dev-a1", _config("site-a", "desk-1"), NOW)
    store.devices.register("dev-a2", _config("site-a", "desk-2", negative_max_score=3), NOW)
    store.devices.register("dev-b1", _config("site-b", "desk-9"), NOW)
    batch = [_rating("dev-a1", s, 1 + s % 5, s, f"E{s % 3}") for s in range(1, RATINGS_A + 1)]
    batch += [_rating("dev-a2", s, 1 + s % 5, s + 0.5) for s in range(1, RATINGS_A2 + 1)]
    batch += [_rating("dev-b1", s, 1 + s % 5, 2 * s + 0.25, "B7") for s in range(1, RATINGS_B + 1)]
    batch += [_rating("stranger-1", s, 3, 100 + s) for s in (1, 2, 5)]
    store_batch(
        store,
        Batch(
            batch,
            [
                DeadLetter(
                    "taqyeem/v1/devices/dev-a1/ratings", "dev-a1", b'{"v": 1, "score": 9}', "score: must be 1..5"
                ),
                DeadLetter(
                    "taqyeem/v1/devices/dev-b1/ratings", "dev-b1", b"\xff\xfe not utf-8", "payload is not UTF-8"
                ),
            ],
        ),
        NOW,
    )
    yield store
    store.close()


@pytest.fixture(scope="module")
def tokens(store: Store) -> dict[str, str]:
    made = {
        "admin": store.accounts.create_token("admin", "admin", [], NOW),
        "supervisor": store.accounts.create_token("sup-all", "supervisor", ["*"], NOW),
        "supervisor_a": store.accounts.create_token("sup-a", "supervisor", ["site-a"], NOW),
        "viewer": store.accounts.create_token("viewer", "viewer", ["*"], NOW),
        "viewer_a": store.accounts.create_token("viewer-a", "viewer", ["site-a"], NOW),
        "revoked": store.accounts.create_token("gone", "admin", [], NOW),
    }
    execute(store.path, "UPDATE api_tokens SET revoked_at = ? WHERE name = 'gone'", [NOW])
    return made


@pytest.fixture(scope="module")
def base_url(store: Store, live_api: Callable[[Store], str]) -> str:
    return live_api(store)


@pytest.fixture(scope="module")
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def as_role(http: httpx.Client, tokens: dict[str, str]) -> Callable[..., httpx.Response]:
    def get(role: str, path: str, **params: Any) -> httpx.Response:
        return http.get(path, params=params, headers={"Authorization": f"Bearer {tokens[role]}"})

    return get


def _detail(response: httpx.Response) -> str:
    body = response.json()
    assert "detail" in body, body
    return str(body["detail"])


def _all_ratings(as_role: Callable[..., httpx.Response], role: str = "admin", **params: Any) -> list[dict[str, Any]]:
    response = as_role(role, "/api/v1/ratings", limit=100_000, **params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next_cursor"] is None
    rows: list[dict[str, Any]] = body["ratings"]
    return rows


# --- health -------------------------------------------------------------------------------


def test_healthz_needs_no_sign_in(http: httpx.Client) -> None:
    response = http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"broker": "unknown", "database": "ok", "status": "ok", "retention": NO_COMMENTS}


NO_COMMENTS = {"comments_days": 90, "comments_held": 0, "oldest_comment_received_at": None, "last_purge": None}


def test_healthz_reports_a_lost_broker(live_api: Callable[..., str], store: Store) -> None:
    class Disconnected:
        connected = False
        writing = True

        def __init__(self) -> None:
            self.stats = {"last_commit_at": "2026-11-28T11:59:00.000Z"}
            self.health = WriteHealth()

        def queue_depth(self) -> int:
            return 4

    url = live_api(store, Disconnected())
    response = httpx.get(url + "/healthz", timeout=10)
    assert response.status_code == 503  # degraded: ratings are not flowing; the body says why
    assert response.json() == {
        "broker": "disconnected",
        "database": "ok",
        "writer": "running",
        "queue": 4,
        "last_commit_at": "2026-11-28T11:59:00.000Z",
        "status": "degraded",
        "retention": NO_COMMENTS,
    }


# --- authentication and roles -----------------------------------------------------------------


@pytest.mark.parametrize("path", PROTECTED)
def test_no_token_is_401_with_advice(http: httpx.Client, path: str) -> None:
    response = http.get(path)
    assert response.status_code == 401
    assert "Authorization: Bearer" in _detail(response)
    assert "taqyeem token create" in _detail(response)
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("path", PROTECTED)
@pytest.mark.parametrize("header", ["Bearer", "Bearer\ttq_abc", "Basic dXNlcjpwYXNz", "tq_abc", "Token tq_abc"])
def test_a_malformed_authorization_header_is_401(http: httpx.Client, path: str, header: str) -> None:
    response = http.get(path, headers={"Authorization": header})
    assert response.status_code == 401
    assert "Authorization: Bearer" in _detail(response)


@pytest.mark.parametrize("path", PROTECTED)
@pytest.mark.parametrize("token", ["tq_unknown", "x" * 5000, "tq_abc def", "' OR '1'='1"])
def test_an_unknown_token_is_401(http: httpx.Client, path: str, token: str) -> None:
    response = http.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert _detail(response) == "unknown or revoked API token"


@pytest.mark.parametrize("path", PROTECTED)
def test_a_revoked_token_is_401(as_role: Callable[..., httpx.Response], path: str) -> None:
    response = as_role("revoked", path)
    assert response.status_code == 401
    assert _detail(response) == "unknown or revoked API token"


def test_the_scheme_is_case_insensitive(http: httpx.Client, tokens: dict[str, str]) -> None:
    response = http.get("/api/v1/ratings", params={"limit": 1}, headers={"Authorization": f"bearer {tokens['admin']}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "path", "needs"),
    [
        ("viewer", "/api/v1/reviews", "admin or supervisor"),
        ("viewer", "/api/v1/devices", "admin or supervisor"),
        ("viewer", "/api/v1/rejected", "admin"),
        ("viewer_a", "/api/v1/reviews", "admin or supervisor"),
        ("supervisor", "/api/v1/rejected", "admin"),
        ("supervisor_a", "/api/v1/rejected", "admin"),
    ],
)
def test_a_forbidden_role_is_403(as_role: Callable[..., httpx.Response], role: str, path: str, needs: str) -> None:
    response = as_role(role, path)
    assert response.status_code == 403
    assert _detail(response) == f"this needs the role {needs}"


@pytest.mark.parametrize(
    ("role", "path"),
    [(role, "/api/v1/ratings") for role in ("admin", "supervisor", "supervisor_a", "viewer", "viewer_a")]
    + [
        (role, path)
        for role in ("admin", "supervisor", "supervisor_a")
        for path in ("/api/v1/reviews", "/api/v1/devices")
    ]
    + [("admin", "/api/v1/rejected")],
)
def test_an_allowed_role_is_200(as_role: Callable[..., httpx.Response], role: str, path: str) -> None:
    response = as_role(role, path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"


# --- shapes ---------------------------------------------------------------------------------------


def test_ratings_shape(as_role: Callable[..., httpx.Response]) -> None:
    body = as_role("admin", "/api/v1/ratings").json()
    assert set(body) == {"ratings", "next_cursor"}
    assert len(body["ratings"]) == 100 if TOTAL > 100 else TOTAL
    row = body["ratings"][0]
    for key in (
        "id",
        "seq",
        "device_id",
        "employee_id",
        "score",
        "reasons",
        "visit_id",
        "lang",
        "created_at",
        "received_at",
        "site_id",
        "desk_id",
        "negative",
    ):
        assert key in row
    assert isinstance(row["reasons"], list)
    assert isinstance(row["negative"], bool)
    assert row["received_at"] == NOW


def test_ratings_default_page_and_newest_first(as_role: Callable[..., httpx.Response]) -> None:
    rows = _all_ratings(as_role)
    assert len(rows) == TOTAL
    keys = [(r["created_at"], r["id"]) for r in rows]
    assert keys == sorted(keys, reverse=True)


def test_reviews_shape(as_role: Callable[..., httpx.Response], store: Store) -> None:
    body = as_role("admin", "/api/v1/reviews", status="open").json()
    assert set(body) == {"reviews"}
    negatives = [r for r in _all_ratings(as_role) if r["negative"]]
    assert len(body["reviews"]) == len(negatives) > 0
    item = body["reviews"][0]
    assert item["review"]["status"] == "open"
    assert item["review"]["rating_id"] == item["rating"]["id"]
    for key in ("employee_id", "desk_id", "site_id", "score", "reasons", "created_at"):
        assert key in item["rating"]
    assert as_role("admin", "/api/v1/reviews", status="closed").json() == {"reviews": []}


def test_reviews_threshold_follows_the_device_config(as_role: Callable[..., httpx.Response]) -> None:
    items = as_role("admin", "/api/v1/reviews").json()["reviews"]
    scores = {(i["rating"]["device_id"], i["rating"]["score"]) for i in items}
    assert ("dev-a2", 3) in scores
    assert ("dev-a1", 3) not in scores


def test_reviews_by_date(as_role: Callable[..., httpx.Response]) -> None:
    assert len(as_role("admin", "/api/v1/reviews", date="2026-11-28").json()["reviews"]) > 0
    assert as_role("admin", "/api/v1/reviews", date="2026-11-27").json()["reviews"] == []


def test_devices_shape(as_role: Callable[..., httpx.Response]) -> None:
    body = as_role("admin", "/api/v1/devices").json()
    assert set(body) == {"devices"}
    by_id = {d["device_id"]: d for d in body["devices"]}
    assert set(by_id) == {"dev-a1", "dev-a2", "dev-b1", "stranger-1"}
    for key in ("site_id", "desk_id", "state", "last_seen", "outbox", "last_seq", "gaps", "assigned", "clock_off"):
        assert key in by_id["dev-a1"]
    assert (by_id["dev-a1"]["last_seq"], by_id["dev-a1"]["gaps"]) == (RATINGS_A, 0)
    assert (by_id["stranger-1"]["last_seq"], by_id["stranger-1"]["gaps"]) == (5, 2)
    assert by_id["stranger-1"]["assigned"] is False
    assert by_id["dev-b1"]["desk_id"] == "desk-9"


def test_rejected_shape(as_role: Callable[..., httpx.Response]) -> None:
    body = as_role("admin", "/api/v1/rejected").json()
    assert body["total"] == 2
    newest, oldest = body["rejected"]
    assert newest["topic"] == "taqyeem/v1/devices/dev-b1/ratings"
    assert newest["reason"] == "payload is not UTF-8"
    assert newest["payload"].endswith(" not utf-8")
    assert newest["payload_bytes"] == len(b"\xff\xfe not utf-8")
    assert oldest["payload"] == '{"v": 1, "score": 9}'
    assert oldest["received_at"] == NOW
    page = as_role("admin", "/api/v1/rejected", limit=1, before_id=newest["id"]).json()
    assert [r["id"] for r in page["rejected"]] == [oldest["id"]]


# --- site scope -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["supervisor_a", "viewer_a"])
def test_a_site_token_sees_only_its_site_ratings(as_role: Callable[..., httpx.Response], role: str) -> None:
    rows = _all_ratings(as_role, role)
    assert {r["site_id"] for r in rows} == {"site-a"}
    assert len(rows) == RATINGS_A + RATINGS_A2
    assert _all_ratings(as_role, role, device_id="dev-b1") == []
    assert _all_ratings(as_role, role, employee_id="B7") == []


@pytest.mark.parametrize("role", ["supervisor_a", "viewer_a"])
def test_a_site_token_asking_for_another_site_is_403(as_role: Callable[..., httpx.Response], role: str) -> None:
    response = as_role(role, "/api/v1/ratings", site_id="site-b")
    assert response.status_code == 403
    assert "site-a" in _detail(response)
    assert as_role(role, "/api/v1/ratings", site_id="site-a").status_code == 200


def test_a_site_supervisor_sees_only_its_site_reviews_and_devices(as_role: Callable[..., httpx.Response]) -> None:
    reviews = as_role("supervisor_a", "/api/v1/reviews").json()["reviews"]
    assert reviews
    assert {i["rating"]["site_id"] for i in reviews} == {"site-a"}
    devices = as_role("supervisor_a", "/api/v1/devices").json()["devices"]
    assert {d["device_id"] for d in devices} == {"dev-a1", "dev-a2"}


@pytest.mark.parametrize("path", ["/api/v1/reviews", "/api/v1/devices"])
def test_a_site_supervisor_cannot_widen_its_scope_with_a_site_filter(
    as_role: Callable[..., httpx.Response], path: str
) -> None:
    response = as_role("supervisor_a", path, site_id="site-b")
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        items = response.json()["reviews" if path.endswith("reviews") else "devices"]
        sites = {i.get("rating", i)["site_id"] for i in items}
        assert sites <= {"site-a"}  # each item's site, not a substring of the whole answer


def test_a_token_for_every_site_says_so_with_a_star(as_role: Callable[..., httpx.Response]) -> None:
    assert len(_all_ratings(as_role, "supervisor")) == TOTAL
    assert len(_all_ratings(as_role, "viewer")) == TOTAL


def test_tokens_without_sites_see_nothing(store: Store, http: httpx.Client) -> None:
    for role in ("supervisor", "viewer"):
        token = store.accounts.create_token(f"{role}-none", role, [], NOW)
        response = http.get("/api/v1/ratings", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and response.json()["ratings"] == []


# --- filters ----------------------------------------------------------------------------------------


def test_rating_filters(as_role: Callable[..., httpx.Response]) -> None:
    assert {r["site_id"] for r in _all_ratings(as_role, site_id="site-b")} == {"site-b"}
    assert len(_all_ratings(as_role, desk_id="desk-2")) == RATINGS_A2
    assert len(_all_ratings(as_role, device_id="stranger-1")) == RATINGS_STRANGER
    assert {r["employee_id"] for r in _all_ratings(as_role, employee_id="E2")} == {"E2"}
    negatives = _all_ratings(as_role, negative="true")
    assert negatives
    assert all(r["negative"] for r in negatives)
    assert len(negatives) + len(_all_ratings(as_role, negative="false")) == TOTAL


def test_since_and_until_are_a_half_open_window(as_role: Callable[..., httpx.Response]) -> None:
    rows = _all_ratings(as_role, device_id="dev-a1", since="2026-11-28T09:05:00Z", until="2026-11-28T09:10:00Z")
    assert [r["seq"] for r in rows] == [9, 8, 7, 6, 5]


def test_since_without_a_zone_is_read_as_utc(as_role: Callable[..., httpx.Response]) -> None:
    with_z = _all_ratings(as_role, since="2026-11-28T09:10:00Z")
    assert with_z
    assert _all_ratings(as_role, since="2026-11-28T09:10:00") == with_z
    assert _all_ratings(as_role, since="2026-11-28T12:10:00+03:00") == with_z
    assert len(_all_ratings(as_role, since="2026-11-28")) == TOTAL


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/ratings", {"limit": 0}),
        ("/api/v1/ratings", {"limit": 100_001}),
        ("/api/v1/ratings", {"limit": -5}),
        ("/api/v1/ratings", {"limit": "ten"}),
        ("/api/v1/ratings", {"cursor": "not a cursor"}),
        ("/api/v1/ratings", {"cursor": "x" * 513}),
        ("/api/v1/ratings", {"cursor": "WzFd"}),  # base64 of [1]
        ("/api/v1/ratings", {"since": "yesterday"}),
        ("/api/v1/ratings", {"until": "2026-13-01"}),
        ("/api/v1/ratings", {"since": "2026-02-30T00:00:00Z"}),
        # Found by schemathesis: pydantic read a bare number as Unix time, so 20261128 meant 1970-08-23.
        ("/api/v1/ratings", {"since": "20261128"}),
        ("/api/v1/ratings", {"until": "0.5"}),
        ("/api/v1/ratings", {"since": "1732780800"}),
        ("/api/v1/ratings", {"negative": "maybe"}),
        ("/api/v1/ratings", {"site_id": "Site A"}),
        ("/api/v1/ratings", {"employee_id": ""}),
        ("/api/v1/ratings", {"employee_id": "E" * 65}),
        ("/api/v1/reviews", {"status": "pending"}),
        ("/api/v1/reviews", {"date": "28/11/2026"}),
        ("/api/v1/reviews", {"date": "2026-02-30"}),
        ("/api/v1/rejected", {"limit": 0}),
        ("/api/v1/rejected", {"limit": 10_001}),
        ("/api/v1/rejected", {"before_id": 0}),
    ],
)
def test_bad_input_is_422_with_a_detail(
    as_role: Callable[..., httpx.Response], path: str, params: dict[str, Any]
) -> None:
    response = as_role("admin", path, **params)
    assert response.status_code == 422, response.text
    assert _detail(response)


@pytest.mark.parametrize("param", ["since", "until"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_time_out_of_range_is_4xx_not_500(base_url: str, tokens: dict[str, str], param: str, value: str) -> None:
    # Its own connection: uvicorn closes the one that carried a 500, which would break the shared client.
    response = httpx.get(
        base_url + "/api/v1/ratings",
        params={param: value},
        timeout=10,
        headers={"Authorization": f"Bearer {tokens['admin']}"},
    )
    assert 400 <= response.status_code < 500
    assert _detail(response)


def test_extreme_but_valid_times_are_fine(as_role: Callable[..., httpx.Response]) -> None:
    assert len(_all_ratings(as_role, since="0001-01-01T00:00:00Z", until="9999-12-31T23:59:59Z")) == TOTAL


INJECTIONS = [
    "x' OR '1'='1",
    "1; DROP TABLE ratings",
    "1' UNION SELECT token_hash FROM api_tokens --",
    '") OR 1=1 --',
    "site-a' --",
]
FILTERS = {
    "/api/v1/ratings": [
        "since",
        "until",
        "site_id",
        "desk_id",
        "device_id",
        "employee_id",
        "negative",
        "limit",
        "cursor",
    ],
    "/api/v1/reviews": ["status", "date", "site_id"],
    "/api/v1/rejected": ["limit", "before_id"],
    "/api/v1/devices": ["site_id"],
}


@pytest.mark.parametrize("attack", INJECTIONS)
@pytest.mark.parametrize(("path", "param"), [(p, f) for p, fs in FILTERS.items() for f in fs])
def test_sql_injection_in_any_filter_is_422_or_empty(
    as_role: Callable[..., httpx.Response], store: Store, path: str, param: str, attack: str
) -> None:
    response = as_role("admin", path, **{param: attack})

    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert _detail(response)
    elif path == "/api/v1/ratings":
        assert response.json()["ratings"] == []
    hashes = [row[0] for row in rows(store.path, "SELECT token_hash FROM api_tokens")]
    assert not any(h in response.text for h in hashes)
    assert count(store.path, "ratings") == TOTAL


def test_the_tables_survive_the_attacks(as_role: Callable[..., httpx.Response], store: Store) -> None:
    for attack in INJECTIONS:
        as_role("admin", "/api/v1/ratings", employee_id=attack)
    assert len(_all_ratings(as_role)) == TOTAL
    assert store.ratings.count_dead_letters() == 2
    assert {"ratings", "reviews", "devices", "api_tokens"} <= set(table_names(store.path))


# --- pagination -------------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 7, 50, TOTAL - 1, TOTAL])
def test_pagination_with_the_cursor_covers_every_row_once(as_role: Callable[..., httpx.Response], limit: int) -> None:
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        body = as_role("admin", "/api/v1/ratings", **params).json()
        assert len(body["ratings"]) <= limit
        seen += [r["id"] for r in body["ratings"]]
        cursor = body["next_cursor"]
        pages += 1
        if cursor is None:
            break
        assert pages < 1000
    assert seen == [r["id"] for r in _all_ratings(as_role)]
    assert pages == -(-TOTAL // limit)


def test_pagination_keeps_the_filters_and_the_site_scope(as_role: Callable[..., httpx.Response]) -> None:
    expected = [r["id"] for r in _all_ratings(as_role, "supervisor_a", negative="true")]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, "negative": "true"}
        if cursor:
            params["cursor"] = cursor
        body = as_role("supervisor_a", "/api/v1/ratings", **params).json()
        seen += [r["id"] for r in body["ratings"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == expected
    assert expected


# --- the OpenAPI document ------------------------------------------------------------------------------


OPEN_CALLS = [("post", "/api/v1/enrol")]  # a new tablet's one-time enrolment code (tests/collector/api/test_enrol.py)


def test_openapi_lists_every_route(http: httpx.Client) -> None:
    response = http.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/healthz", *PROTECTED]:
        assert "get" in paths[path], path
        assert paths[path]["get"]["summary"]
    params = {p["name"] for p in paths["/api/v1/ratings"]["get"]["parameters"]}
    assert {"since", "until", "site_id", "desk_id", "device_id", "employee_id", "negative", "limit", "cursor"} <= params


def test_openapi_has_the_whole_stable_surface_of_the_protocol(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    assert "post" in paths.get("/api/v1/reviews/{rating_id}", {})
    assert "get" in paths.get("/api/v1/reports/daily", {})


def test_every_documented_api_call_needs_a_token(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    calls = [(method, path) for path, ops in paths.items() if path.startswith("/api/") for method in ops]
    assert len(calls) >= len(PROTECTED)
    for method, path in OPEN_CALLS:  # the one-time code in the body is the credential: no token, yet nothing given
        calls.remove((method, path))
        response = http.request(method.upper(), path, json={"code": "2222-3333-4444"})
        assert response.status_code == 404, response.text
    for method, path in calls:
        url = path.replace("{rating_id}", "01a2216f-c1f0-7e4a-9464-aa0378fb2748").replace("{", "").replace("}", "")
        response = http.request(method.upper(), url, json={} if method in ("post", "put", "patch") else None)
        assert response.status_code == 401, f"{method.upper()} {path}: {response.status_code} {response.text}"
        assert _detail(response)


def test_openapi_documents_every_error_answer(http: httpx.Client) -> None:
    """Found by schemathesis: 404, 409 and 400 were undocumented, and the documented 422 body (FastAPI's list of
    field errors) did not allow the API's own one-line details such as a cursor it never gave out."""
    document = http.get("/openapi.json").json()
    responses = {(m, p): set(op["responses"]) for p, ops in document["paths"].items() for m, op in ops.items()}
    for (method, path), codes in responses.items():
        if (method, path) in OPEN_CALLS:
            assert {"200", "404", "410", "422", "429"} <= codes, (method, path, codes)
        elif path.startswith("/api/"):  # 201: an appeal is created (PROTOCOL 1.2)
            assert {"401", "403"} <= codes and {"200", "201"} & codes, (method, path, codes)
    assert {"404", "422"} <= responses["get", "/api/v1/reviews/{rating_id}"]
    assert {"400", "404", "409", "422"} <= responses["post", "/api/v1/reviews/{rating_id}"]
    assert {"400", "404", "422"} <= responses["post", "/api/v1/reviews/{rating_id}/response"]
    error = document["components"]["schemas"]["ApiError"]
    assert error["required"] == ["detail"]
    assert {"type": "string"} in error["properties"]["detail"]["anyOf"]
    ratings_422 = document["paths"]["/api/v1/ratings"]["get"]["responses"]["422"]
    assert ratings_422["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiError"}


def test_openapi_lists_the_review_codes(http: httpx.Client) -> None:
    body = http.get("/openapi.json").json()["components"]["schemas"]["CloseReview"]["properties"]
    assert body["cause"]["enum"] == list(CAUSES)
    assert body["action"]["enum"] == list(ACTIONS)


def test_a_body_that_is_not_utf8_is_400_with_a_detail(http: httpx.Client, tokens: dict[str, str]) -> None:
    response = http.post(
        "/api/v1/reviews/01a2216f-c1f0-7e4a-9464-aa0378fb2748",
        content=b'{"note": "\xca"}',  # not UTF-8 (a UTF-8 body that is not JSON is FastAPI's 422)
        headers={"Authorization": f"Bearer {tokens['admin']}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert _detail(response)


def test_docs_page_is_served(http: httpx.Client) -> None:
    assert http.get("/docs").status_code == 200


def test_an_unknown_route_is_404_json(http: httpx.Client) -> None:
    response = http.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert _detail(response)


def test_writing_to_a_read_only_route_is_405(
    as_role: Callable[..., httpx.Response], http: httpx.Client, tokens: dict[str, str]
) -> None:
    response = http.delete("/api/v1/ratings", headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert response.status_code == 405
