"""Property-based tests of every form route and of the rating link page: no input answers 500.

The pages' forms and the link page are not in /openapi.json (schemathesis fuzzes the
JSON API in tests/collector/api/test_schemathesis.py), so Hypothesis drives them here,
over real HTTP against the app served by uvicorn on a throwaway SQLite file: any field
of the route's form (and a few it does not know) with any text, Arabic and control
characters included, the session's right CSRF token or not, known and unknown path
ids; the link page also gets any JSON value and any bytes under any content type.
A route added later without a place here fails the route-table test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collector.people.auth import Accounts
from collector.store import Store
from collector.visits.links import RateLimit
from collector.web.routes import link as link_route
from tests.collector.api.test_employee_reach import route_table
from tests.support.rating_links import make_link
from tests.support.two_sites_today import seed
from tests.support.web_session import csrf_of, sign_in

MAX_EXAMPLES = 40  # per route: about 30 s in all
FUZZ_ADMIN = ("fuzz-admin-q7", "fuzz-admin-password-q7")  # a name the fuzzer will not type by chance
FUZZ_EMPLOYEE = ("fuzz-emp-q7", "fuzz-emp-password-q7", "E1")
# Each form route's own fields; "csrf" and a stranger's field are added to all.
FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "/login": ("name", "password", "next"),
    "/logout": (),
    "/users": ("name", "role", "sites", "lang", "employee_id"),
    "/users/{name}/password": (),
    "/users/{name}/disable": (),
    "/users/{name}/enable": (),
    "/reviews/{rating_id}/close": ("cause", "action", "note", "attributable"),
    "/reviews/{rating_id}/response": ("response",),
    "/reviews/{rating_id}/callback": ("outcome", "note"),
    "/reviews/{rating_id}/assign": ("owner",),
    "/reviews/away": ("away",),
    "/me/reviews/{rating_id}/response": ("response",),
    "/me/reviews/{rating_id}/appeal": ("text",),
    "/reviews/{rating_id}/approve": (),
    "/reviews/{rating_id}/appeal/decision": ("upheld", "note"),
    "/me/pin": ("pin", "pin_again"),
}
JSON_ROUTES = {"/api/v1/ratings", "/api/v1/reviews/{rating_id}", "/api/v1/reviews/{rating_id}/response"}
JSON_ROUTES |= {"/api/v1/employees/{employee_id}", "/api/v1/employees/{employee_id}/pin"}
JSON_ROUTES |= {"/api/v1/visits", "/api/v1/enrol"}  # schemathesis fuzzes these JSON routes
JSON_ROUTES |= {f"/api/v1/reviews/{{rating_id}}/{step}" for step in ("approve", "appeal", "appeal/decision")}
JSON_ROUTES |= {"/api/v1/reviews/{rating_id}/callback"}
JSON_ROUTES |= {"/api/v1/reviews/{rating_id}/assign"}
LINK_ROUTE = "/r/{token}"

TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(["", " ", "0", "3", "-1", "٣", "²", "1e9", "admin", "site-a", "yes", "no", "waiting_time"]),
    st.sampled_from(["supervisor", "employee", "ar", "en", "process_fix", "staff_courtesy", "\x00", "%", "é" * 300]),
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("form-fuzz") / "taqyeem.db")
    seed(store)
    accounts = Accounts(store)
    accounts.add_user(FUZZ_ADMIN[0], "admin", [], FUZZ_ADMIN[1])
    accounts.add_user(FUZZ_EMPLOYEE[0], "employee", [], FUZZ_EMPLOYEE[1], employee_id=FUZZ_EMPLOYEE[2])
    yield live_api(store), store
    store.close()


@pytest.fixture(autouse=True)
def no_link_flood_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fuzzer is one address; the page's per-address limit would answer it 429 after 30 posts."""
    monkeypatch.setattr(link_route, "limit", RateLimit(hits=1_000_000, window_s=60))


def _fuzz(check: Callable[[Any], None], strategy: st.SearchStrategy[Any], examples: int = MAX_EXAMPLES) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,  # the same cases on every run
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(example: Any) -> None:
        check(example)

    run()


def _form(fields: tuple[str, ...], csrf: str) -> st.SearchStrategy[dict[str, Any]]:
    names = st.sampled_from([*fields, "csrf", "extra"])
    values = st.one_of(TEXT, st.lists(TEXT, max_size=3))
    form = st.dictionaries(names, values, max_size=len(fields) + 2)
    with_token = st.builds(lambda f: {**f, "csrf": csrf}, form)
    return st.one_of(form, with_token, with_token)


def _path(template: str, store: Store) -> st.SearchStrategy[str]:
    ids = [item["rating"]["id"] for item in store.reviews.all()][:3]
    values = st.one_of(TEXT.filter(lambda t: t.strip() not in ("", ".", "..")), st.sampled_from([*ids, "sup-b"]))
    if "{" not in template:
        return st.just(template)
    return values.map(lambda v: template.replace(template[template.index("{") : template.index("}") + 1], quote(v, "")))


def test_every_form_route_and_the_link_page_are_fuzzed_here(served: tuple[str, Store]) -> None:
    """A new form route gets its fields here, so the fuzzer reaches it."""
    _, store = served
    writes = {path for method, path in route_table(store) if method != "GET"}
    assert writes == set(FORM_FIELDS) | JSON_ROUTES | {LINK_ROUTE}


@pytest.mark.parametrize("route", sorted(FORM_FIELDS))
def test_no_form_input_gives_a_500(served: tuple[str, Store], route: str) -> None:
    base, store = served
    who = FUZZ_EMPLOYEE if route.startswith("/me/") else FUZZ_ADMIN
    with sign_in(base, who[0], who[1], follow_redirects=False) as client:
        csrf = csrf_of(client.get("/me" if who is FUZZ_EMPLOYEE else "/users").text)
        if route == "/login":
            csrf = csrf_of(client.get("/login").text)  # the sign-in form's own token

        def post(example: tuple[str, dict[str, Any]]) -> None:
            path, form = example
            response = client.post(path, data=form)
            assert response.status_code < 500, (path, form, response.text[:300])

        token = "" if route == "/logout" else csrf  # with the right token, sign-out would end the fuzzer's session
        _fuzz(post, st.tuples(_path(route, store), _form(FORM_FIELDS[route], token)))


ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
ANSWER = st.fixed_dictionaries(
    {},
    optional={
        "score": st.one_of(st.integers(0, 6), TEXT, ANY_JSON),
        "reasons": st.one_of(st.lists(st.one_of(TEXT, ANY_JSON), max_size=3), ANY_JSON),
        "answers": st.one_of(st.dictionaries(st.sampled_from(["obstacles", "applicant", "x"]), ANY_JSON), ANY_JSON),
        "comment": st.one_of(TEXT, ANY_JSON),
        "lang": TEXT,
    },
)
CONTENT_TYPES = st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded", "text/plain", ""]
)


def test_no_input_to_the_link_page_gives_a_500(served: tuple[str, Store]) -> None:
    base, store = served
    made = iter(range(10**6))
    live = st.sampled_from([None, None, None, None])  # None: a new live link
    token = st.one_of(live, TEXT.filter(lambda t: t not in ("", ".", "..")))
    body = st.one_of(
        ANSWER.map(lambda a: json.dumps(a).encode()),
        ANY_JSON.map(lambda a: json.dumps(a).encode()),
        st.lists(ANY_JSON, min_size=1, max_size=3).map(lambda a: json.dumps(a).encode()),
        ANSWER.map(lambda a: str(httpx.QueryParams({k: str(v) for k, v in a.items()})).encode()),
        st.binary(max_size=200),
    )
    with httpx.Client(base_url=base, timeout=10) as client:

        def post(example: tuple[str | None, bytes, str, str]) -> None:
            chosen, content, content_type, lang = example
            path = f"/r/{quote(chosen, '') if chosen is not None else make_link(store, f'V-fuzz-{next(made)}')}"
            page = client.get(path, params={"lang": lang})
            assert page.status_code < 500, (path, lang, page.text[:300])
            response = client.post(path, content=content, headers={"Content-Type": content_type})
            assert response.status_code < 500, (path, content, content_type, response.text[:300])

        _fuzz(post, st.tuples(token, body, CONTENT_TYPES, TEXT), examples=3 * MAX_EXAMPLES)


def test_a_json_list_and_a_non_ascii_csrf_are_refused_without_a_500(served: tuple[str, Store]) -> None:
    """The two inputs that answered 500 (issue 20): hmac.compare_digest on non-ASCII, a list's .items()."""
    base, store = served
    token = make_link(store, "V-list")
    with httpx.Client(base_url=base, timeout=10) as client:
        listed = client.post(f"/r/{token}", content=b"[1, 2]", headers={"Content-Type": "application/json"})
        assert listed.status_code == 422 and "JSON object" in listed.json()["detail"]
        assert client.post(f"/r/{token}", json={"score": 4}).status_code == 201  # the link was not spent
        client.get("/login")
        arabic = client.post("/login", data={"name": "admin", "password": "x", "csrf": "رمز"})
        assert arabic.status_code == 403
