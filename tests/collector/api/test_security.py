"""Attacks on the supervisors' side over real HTTP: CSRF, XSS, crossing sites, SQL injection."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.people.auth import LOGIN_COOKIE, SESSION_COOKIE
from collector.service import make_server
from collector.settings import CollectorSettings
from collector.store import Store
from shared.clock import format_time
from tests.conftest import wait_until
from tests.support.db_files import count
from tests.support.html_tree import parse
from tests.support.two_sites_today import PASSWORDS, make_rating, seed, today_start
from tests.support.web_session import csrf_of, sign_in

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
INJECTIONS = ["x' OR '1'='1", "1; DROP TABLE ratings", "1' UNION SELECT password_hash FROM users --", '") OR 1=1 --']


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store, str]]:
    store = Store(tmp_path_factory.mktemp("security") / "taqyeem.db")
    seed(store)
    hostile = make_rating("dev-a1", 99, 1, today_start() + timedelta(hours=12), employee_id=XSS[:64], visit_id=XSS[:64])
    store_batch(store, Batch([hostile]), format_time(today_start() + timedelta(hours=13)))
    yield live_api(store), store, hostile.id
    store.close()


@pytest.fixture(scope="module")
def admin(web: tuple[str, Store, str]) -> Iterator[httpx.Client]:
    with sign_in(web[0], "admin", follow_redirects=False) as client:
        yield client


def test_forms_without_the_csrf_token_are_refused(web: tuple[str, Store, str]) -> None:
    base, store, rating_id = web
    before = store.reviews.get(rating_id)  # open, or closed by another test of this module: refusals change nothing
    with sign_in(base, "sup-a") as client:
        for data in ({}, {"csrf": ""}, {"csrf": "forged-token"}):
            close = client.post(
                f"/reviews/{rating_id}/close", data={**data, "cause": "other", "action": "coaching", "note": "n"}
            )
            respond = client.post(f"/reviews/{rating_id}/response", data={**data, "response": "r"})
            assert (close.status_code, respond.status_code) == (403, 403)
    assert before is not None and store.reviews.get(rating_id) == before


def test_a_csrf_token_of_another_session_is_refused(web: tuple[str, Store, str]) -> None:
    base, _, rating_id = web
    with sign_in(base, "admin") as other:
        foreign = csrf_of(other.get("/today").text)
    with sign_in(base, "sup-a") as client:
        response = client.post(
            f"/reviews/{rating_id}/close", data={"csrf": foreign, "cause": "other", "action": "coaching", "note": "n"}
        )
    assert response.status_code == 403


def test_html_in_reasons_notes_responses_and_ids_is_escaped(web: tuple[str, Store, str]) -> None:
    base, _, rating_id = web
    with sign_in(base, "sup-a") as client:
        page = client.get(f"/reviews/{rating_id}")
        token = csrf_of(page.text)
        client.post(f"/reviews/{rating_id}/response", data={"csrf": token, "response": XSS})
        client.post(
            f"/reviews/{rating_id}/close", data={"csrf": token, "cause": "other", "action": "no_action", "note": XSS}
        )
        pages = [
            client.get(f"/reviews/{rating_id}").text,
            client.get("/today").text,
            client.get("/reviews", params={"status": "all"}).text,
            client.get("/reports").text,
            client.get("/employees").text,
        ]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in pages[0]
    assert pages[0].count("&lt;img src=x onerror=alert(1)&gt;") >= 2  # the note, the response, the history


def test_pages_forbid_inline_scripts_and_framing(web: tuple[str, Store, str]) -> None:
    base, _, _ = web
    with sign_in(base, "sup-a") as client:
        response = client.get("/today")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text  # only <script src=...> from this site


def test_a_supervisor_cannot_see_or_touch_another_site(web: tuple[str, Store, str]) -> None:
    base, store, _ = web
    other = next(i["rating"]["id"] for i in store.reviews.all(status="open", sites=["site-b"]))
    with sign_in(base, "sup-a") as client:
        token = csrf_of(client.get("/today").text)
        assert client.get(f"/reviews/{other}").status_code == 404
        assert (
            client.post(
                f"/reviews/{other}/close", data={"csrf": token, "cause": "other", "action": "coaching", "note": "n"}
            ).status_code
            == 404
        )
        assert client.post(f"/reviews/{other}/response", data={"csrf": token, "response": "x"}).status_code == 404
        assert client.get("/reports", params={"site_id": "site-b"}).status_code == 403
        assert client.get("/reviews", params={"site_id": "site-b"}).status_code == 403
        assert client.get("/employees", params={"site_id": "site-b"}).status_code == 403
        assert client.get("/api/v1/reports/daily", params={"site_id": "site-b"}).status_code == 403
        for page in ("/today", "/reviews?status=all", "/reports", "/employees", "/devices"):
            words = parse(client.get(page).text).words()  # whole words: the page's CSRF token may hold "B7"
            assert not {"desk-09", "B7", "dev-b1", "site-b"} & words, page
        report = client.get("/api/v1/reports/daily").json()
        assert {d["site_id"] for d in report["by_desk"]} == {"site-a"}
    assert store.reviews.get(other)["review"]["status"] == "open"  # type: ignore[index]


PAGE_FILTERS = {
    "/reviews": ["status", "date", "site_id"],
    "/reports": ["date", "site_id"],
    "/employees": ["site_id"],
    "/api/v1/reports/daily": ["date", "site_id"],
    "/api/v1/reports/daily.csv": ["date", "site_id"],
    "/login": ["next"],
    "/lang/en": ["next"],
}


@pytest.mark.parametrize("attack", INJECTIONS)
@pytest.mark.parametrize(("path", "param"), [(p, f) for p, fs in PAGE_FILTERS.items() for f in fs])
def test_sql_injection_in_every_filter_is_harmless(
    web: tuple[str, Store, str], admin: httpx.Client, path: str, param: str, attack: str
) -> None:
    _, store, _ = web
    before = count(store.path, "ratings")
    response = admin.get(path, params={param: attack})
    assert response.status_code < 500
    assert response.status_code in (200, 303, 403, 422)
    assert "$argon2" not in response.text
    assert admin.get("/api/v1/reports/daily").status_code == 200
    assert count(store.path, "ratings") == before


@pytest.mark.parametrize("rating_id", [*INJECTIONS, "../../etc/passwd", "%00", "x" * 5000])
def test_hostile_review_ids_are_4xx(web: tuple[str, Store, str], admin: httpx.Client, rating_id: str) -> None:
    base, _, _ = web
    assert admin.get(f"/reviews/{rating_id}").status_code in (404, 422)
    assert httpx.get(f"{base}/api/v1/reviews/{rating_id}").status_code in (401, 404, 422)


def test_a_huge_form_is_refused_not_stored(web: tuple[str, Store, str]) -> None:
    base, store, _ = web
    rating_id = next(i["rating"]["id"] for i in store.reviews.all(status="open", sites=["site-a"]))
    with sign_in(base, "sup-a") as client:
        token = csrf_of(client.get("/today").text)
        response = client.post(
            f"/reviews/{rating_id}/close",
            data={"csrf": token, "cause": "other", "action": "coaching", "note": "n" * 5000},
        )
    assert response.status_code == 422
    assert store.reviews.get(rating_id)["review"]["status"] == "open"  # type: ignore[index]


@contextmanager
def running(server: uvicorn.Server) -> Iterator[str]:
    """Run the server ``taqyeem collector`` builds, on a free loopback port, until the block ends."""
    sock = socket.create_server(("127.0.0.1", 0))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, timeout=10, what="uvicorn to start")
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def _cookie_flags(base: str, headers: dict[str, str], local_address: str = "127.0.0.1") -> dict[str, str]:
    """Sign in as sup-a; the Set-Cookie header of each cookie the server set, by name."""
    transport = httpx.HTTPTransport(local_address=local_address)
    with httpx.Client(base_url=base, headers=headers, transport=transport, timeout=10) as client:
        page = client.get("/login")
        # Sent by hand: a client keeps a Secure cookie to itself over plain http (the proxy's side).
        login_cookie = f"{LOGIN_COOKIE}={page.cookies[LOGIN_COOKIE]}"
        client.cookies.clear()
        signed_in = client.post(
            "/login",
            data={"name": "sup-a", "password": PASSWORDS["sup-a"], "csrf": csrf_of(page.text), "next": "/"},
            headers={"Cookie": login_cookie},
        )
        assert signed_in.status_code == 303, signed_in.text
        set_cookies = page.headers.get_list("set-cookie") + signed_in.headers.get_list("set-cookie")
    return {line.split("=", 1)[0]: line for line in set_cookies if "max-age=0" not in line.lower()}


def test_behind_a_tls_proxy_on_loopback_cookies_are_secure(web: tuple[str, Store, str], tmp_path: Path) -> None:
    settings = CollectorSettings(broker="mqtt://127.0.0.1:1", db=tmp_path / "unused.db", http="127.0.0.1:8080")
    with running(make_server(settings, web[1], None)) as base:
        proxied = _cookie_flags(base, {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"})
        assert {LOGIN_COOKIE, SESSION_COOKIE} <= proxied.keys()
        assert all("; secure" in line.lower() for line in proxied.values()), proxied
        direct = _cookie_flags(base, {})
        assert not any("; secure" in line.lower() for line in direct.values()), direct
        # Anyone else saying "https" is not believed: 127.0.0.2 is this machine too, but not the trusted proxy.
        spoofed = _cookie_flags(base, {"X-Forwarded-Proto": "https"}, local_address="127.0.0.2")
        assert not any("; secure" in line.lower() for line in spoofed.values()), spoofed
