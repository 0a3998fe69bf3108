"""The admins' Users page over real HTTP: who may use it, CSRF, add, disable/enable, reset, and the log."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from collector.people.auth import Accounts, AuthError
from collector.store import Store
from collector.web.routes import pages
from tests.support.db_files import rows
from tests.support.two_sites_today import PASSWORDS, seed
from tests.support.web_session import csrf_of, sign_in


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("users-web") / "taqyeem.db")
    seed(store)
    yield live_api(store), store
    store.close()


def shown_password(html: str) -> str:
    match = re.search(r'<code class="secret" dir="ltr">([^<]+)</code>', html)
    assert match, "no password shown"
    return match.group(1)


def signs_in(base: str, name: str, password: str) -> int:
    with httpx.Client(base_url=base) as client:
        page = client.get("/login")
        return client.post("/login", data={"name": name, "password": password, "csrf": csrf_of(page.text)}).status_code


def test_only_admins_see_the_page_and_its_nav_link(web: tuple[str, Store]) -> None:
    base, _ = web
    with sign_in(base, "admin") as admin:
        page = admin.get("/users")
        assert page.status_code == 200
        assert 'href="/users"' in page.text and "sup-a" in page.text and "viewer-a" in page.text
    for name in ("sup-a", "viewer-a"):
        with sign_in(base, name) as client:
            assert 'href="/users"' not in client.get("/reports").text
            assert client.get("/users").status_code == 403
            token = csrf_of(client.get("/reports").text)
            for path in ("/users", "/users/sup-b/disable", "/users/sup-b/enable", "/users/sup-b/password"):
                data = {"csrf": token, "name": "intruder", "role": "admin"}
                assert client.post(path, data=data).status_code == 403, (name, path)
    assert httpx.get(base + "/users", follow_redirects=False).status_code == 303  # a stranger signs in first


def test_every_form_needs_the_sessions_csrf_token(web: tuple[str, Store]) -> None:
    base, store = web
    with sign_in(base, "sup-b") as other:
        foreign = csrf_of(other.get("/reports").text)
    with sign_in(base, "admin") as admin:
        for data in ({}, {"csrf": ""}, {"csrf": "forged"}, {"csrf": foreign}):
            assert admin.post("/users", data={**data, "name": "mallory", "role": "admin"}).status_code == 403
            for action in ("disable", "password"):
                assert admin.post(f"/users/sup-b/{action}", data=data).status_code == 403
    assert store.accounts.user(name="mallory") is None
    assert store.accounts.user(name="sup-b")["disabled_at"] is None  # type: ignore[index]
    assert signs_in(base, "sup-b", PASSWORDS["sup-b"]) == 303


def test_an_admin_adds_a_user_whose_password_is_shown_once(web: tuple[str, Store]) -> None:
    base, store = web
    with sign_in(base, "admin") as admin:
        token = csrf_of(admin.get("/users").text)
        added = admin.post(
            "/users",
            data={"csrf": token, "name": "noura", "role": "supervisor", "sites": ["site-a", "site-b"], "lang": "en"},
        )
        assert added.status_code == 200
        assert added.headers["cache-control"] == "no-store"
        password = shown_password(added.text)
        assert password not in admin.get("/users").text  # once
    row = store.accounts.user(name="noura")
    assert row is not None and row["role"] == "supervisor" and row["sites"] == ["site-a", "site-b"]
    assert row["lang"] == "en" and password not in row["password_hash"]
    assert signs_in(base, "noura", password) == 303
    event = store.accounts.events("noura")[0]
    assert (event["kind"], event["actor"], event["data"]["sites"]) == ("added", "admin", ["site-a", "site-b"])
    assert event["at"].endswith("Z")


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "sup-a", "role": "viewer", "sites": ["site-a"]}, "هذا الاسم"),
        ({"name": "x", "role": "viewer", "sites": ["site-a"]}, "٢ إلى ٦٤"),
        ({"name": "<b>bad</b>", "role": "viewer", "sites": ["site-a"]}, "٢ إلى ٦٤"),
        ({"name": "hala", "role": "supervisor"}, "مركزًا واحدًا"),
        ({"name": "hala", "role": "owner", "sites": ["site-a"]}, "اختر دورًا"),
        ({"name": "hala", "role": "viewer", "sites": ["Site A"]}, "not a site id"),
    ],
)
def test_a_bad_new_user_is_refused_in_the_page_language(
    web: tuple[str, Store], form: dict[str, object], message: str
) -> None:
    base, store = web
    with sign_in(base, "admin") as admin:  # admin reads Arabic
        token = csrf_of(admin.get("/users").text)
        response = admin.post("/users", data={"csrf": token, **form})
    assert response.status_code == 400
    assert message in response.text
    assert "<b>bad</b>" not in response.text
    assert 'class="secret"' not in response.text
    assert store.accounts.user(name="hala") is None


def test_an_admin_gets_every_site_whatever_boxes_were_ticked(web: tuple[str, Store]) -> None:
    base, store = web
    with sign_in(base, "admin") as admin:
        token = csrf_of(admin.get("/users").text)
        admin.post("/users", data={"csrf": token, "name": "it-2", "role": "admin", "sites": ["site-a"]})
    assert store.accounts.user(name="it-2")["sites"] == []  # type: ignore[index]


def test_disabling_ends_the_users_sessions_at_once_and_enabling_restores_sign_in(web: tuple[str, Store]) -> None:
    base, store = web
    Accounts(store).add_user("fahad", "supervisor", ["site-a"], "fahad-password-1")
    with sign_in(base, "fahad", "fahad-password-1") as fahad, sign_in(base, "admin") as admin:
        assert fahad.get("/today").status_code == 200
        assert fahad.get("/api/v1/ratings").status_code == 200
        token = csrf_of(admin.get("/users").text)
        disabled = admin.post("/users/fahad/disable", data={"csrf": token})
        assert (disabled.status_code, disabled.headers["location"]) == (303, "/users?done=disabled")
        # The very next request of the open session is turned away: pages send it to sign in, the API says 401.
        assert fahad.get("/today", follow_redirects=False).status_code == 303
        assert fahad.get("/api/v1/ratings").status_code == 401
        sql = "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'fahad'"
        assert rows(store.path, sql) == [(0,)]
        page = admin.get("/users?done=disabled").text
        assert re.search(r'data-user="fahad">.*?Disabled since|data-user="fahad">.*?معطّل منذ', page, re.S)
        assert signs_in(base, "fahad", "fahad-password-1") == 401
        assert admin.post("/users/fahad/enable", data={"csrf": token}).status_code == 303
    assert signs_in(base, "fahad", "fahad-password-1") == 303
    kinds = [(e["kind"], e["actor"]) for e in store.accounts.events("fahad")]
    assert kinds == [("enabled", "admin"), ("disabled", "admin"), ("added", "cli")]


def test_a_reset_password_is_shown_once_and_the_old_one_stops_working(web: tuple[str, Store]) -> None:
    base, store = web
    Accounts(store).add_user("reem", "viewer", ["site-b"], "reem-password-1")
    with sign_in(base, "reem", "reem-password-1") as reem, sign_in(base, "admin") as admin:
        token = csrf_of(admin.get("/users").text)
        reset = admin.post("/users/reem/password", data={"csrf": token})
        assert reset.status_code == 200
        password = shown_password(reset.text)
        assert reem.get("/reports", follow_redirects=False).status_code == 303  # signed out everywhere
    assert signs_in(base, "reem", "reem-password-1") == 401
    assert signs_in(base, "reem", password) == 303
    assert store.accounts.events("reem")[0]["kind"] == "password"
    assert password not in str(store.accounts.events("reem"))


def test_an_admin_cannot_lock_themselves_or_everyone_out(web: tuple[str, Store]) -> None:
    base, store = web
    with sign_in(base, "admin") as admin:
        token = csrf_of(admin.get("/users").text)
        response = admin.post("/users/admin/disable", data={"csrf": token})
        assert response.status_code == 409 and "حسابك" in response.text
        assert admin.post("/users/ghost/disable", data={"csrf": token}).status_code == 404
        assert admin.post("/users/ghost/password", data={"csrf": token}).status_code == 404
        assert admin.post("/users/..%2Fetc/disable", data={"csrf": token}).status_code in (404, 422)
    assert store.accounts.user(name="admin")["disabled_at"] is None  # type: ignore[index]


def test_the_last_admin_cannot_be_disabled(tmp_path: Path) -> None:
    store = Store(tmp_path / "admins.db")
    try:
        accounts = Accounts(store)
        accounts.add_user("root-1", "admin", [], "root-1-password")
        accounts.add_user("root-2", "admin", [], "root-2-password")
        assert accounts.set_disabled("root-2", True, actor="root-1")
        with pytest.raises(AuthError, match="last admin"):
            accounts.set_disabled("root-1", True, actor="cli:root")
        assert accounts.set_disabled("root-2", False, actor="cli:root")
        assert accounts.set_disabled("root-2", False, actor="cli:root") is False  # already enabled: nothing logged
        assert [e["kind"] for e in store.accounts.events("root-2")] == ["enabled", "disabled", "added"]
    finally:
        store.close()


def test_a_disabled_users_open_live_feed_ends(web: tuple[str, Store], monkeypatch: pytest.MonkeyPatch) -> None:
    base, store = web
    monkeypatch.setattr(pages, "SESSION_CHECK_S", 0.2)  # an idle stream checks its session this often
    Accounts(store).add_user("watcher", "supervisor", ["site-a"], "watcher-password-1")
    with sign_in(base, "watcher", "watcher-password-1") as watcher, sign_in(base, "admin") as admin:
        token = csrf_of(admin.get("/users").text)
        with watcher.stream("GET", "/events", timeout=10) as stream:
            lines = stream.iter_lines()
            assert next(lines).startswith("retry:")
            assert admin.post("/users/watcher/disable", data={"csrf": token}).status_code == 303
            started = time.monotonic()
            rest = list(lines)  # the server ends the stream itself
            assert time.monotonic() - started < 3
        assert not any(line.startswith("data:") for line in rest)
        assert watcher.get("/events", follow_redirects=False).status_code == 303
