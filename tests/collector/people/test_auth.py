"""Accounts, passwords, sessions and sign-in over real HTTP (`taqyeem user` is in tests/collector/cli/)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.cookies import Morsel, SimpleCookie
from pathlib import Path

import httpx
import pytest

from collector.people.auth import (
    ATTACK_ADDRESSES,
    ATTACK_EVENT,
    FAILURE_WINDOW,
    LOGIN_COOKIE,
    MAX_FAILURES_PER_NAME,
    MAX_FAILURES_PER_NAME_AND_CLIENT,
    NAME_PAUSE,
    SESSION_COOKIE,
    Accounts,
    AuthError,
    SignInAttack,
    TooManyAttempts,
    check_user,
    hash_password,
    verify_password,
)
from collector.store import Store
from tests.support.db_files import rows
from tests.support.two_sites_today import PASSWORDS, seed
from tests.support.web_session import csrf_of, sign_in

# --- the rules (no HTTP) ------------------------------------------------------------------------


def test_argon2_hash_verifies_only_the_right_password() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not verify_password("not a hash", "x")


@pytest.mark.parametrize(
    ("name", "role", "sites", "why"),
    [
        ("x", "admin", [], "2-64"),
        ("sara smith", "admin", [], "2-64"),
        ("sara", "boss", [], "role"),
        ("sara", "supervisor", [], "at least one --site"),
        ("sara", "viewer", ["Riyadh HQ"], "not a site id"),
    ],
)
def test_bad_accounts_are_refused_with_advice(name: str, role: str, sites: list[str], why: str) -> None:
    with pytest.raises(AuthError, match=why):
        check_user(name, role, sites)


@pytest.fixture
def accounts(tmp_path: Path) -> Iterator[Accounts]:
    store = Store(tmp_path / "auth.db")
    yield Accounts(store)
    store.close()


def test_short_passwords_and_duplicates_are_refused(accounts: Accounts) -> None:
    with pytest.raises(AuthError, match="at least 10"):
        accounts.add_user("sara", "supervisor", ["riyadh-hq"], "short")
    accounts.add_user("sara", "supervisor", ["riyadh-hq"], "long enough pw")
    with pytest.raises(AuthError, match="already a user"):
        accounts.add_user("SARA", "admin", [], "long enough pw")


def test_sign_in_makes_a_session_that_expires(accounts: Accounts) -> None:
    moment = [datetime(2026, 11, 28, 8, 0, tzinfo=UTC)]
    accounts.clock = lambda: moment[0]
    accounts.add_user("sara", "supervisor", ["riyadh-hq"], "long enough pw")
    assert accounts.sign_in("sara", "wrong password", "10.0.0.1") is None
    session = accounts.sign_in("sara", "long enough pw", "10.0.0.1")
    assert session is not None
    found = accounts.session(session.session_id)
    assert found is not None and found["role"] == "supervisor" and found["sites"] == ["riyadh-hq"]
    assert session.session_id not in str(rows(accounts.store.path, "SELECT * FROM sessions"))
    moment[0] += timedelta(hours=13)
    assert accounts.session(session.session_id) is None


def test_a_new_password_ends_every_session(accounts: Accounts) -> None:
    accounts.add_user("sara", "supervisor", ["riyadh-hq"], "long enough pw")
    session = accounts.sign_in("sara", "long enough pw", "c")
    assert session is not None
    accounts.set_password("sara", "another long pw")
    assert accounts.session(session.session_id) is None
    assert accounts.sign_in("sara", "long enough pw", "c") is None
    assert accounts.sign_in("sara", "another long pw", "c") is not None


def _clocked(accounts: Accounts) -> list[datetime]:
    moment = [datetime(2026, 11, 28, 8, 0, tzinfo=UTC)]
    accounts.clock = lambda: moment[0]
    return moment


def test_guesses_from_many_addresses_pause_those_addresses_never_a_clean_one(accounts: Accounts) -> None:
    moment = _clocked(accounts)
    accounts.add_user("sara", "supervisor", ["riyadh-hq"], "long enough pw")
    for attempt in range(MAX_FAILURES_PER_NAME):
        assert accounts.sign_in("sara", f"guess {attempt}", f"10.0.0.{attempt}") is None
    with pytest.raises(TooManyAttempts) as refused:  # an address that failed for the name waits ...
        accounts.sign_in("sara", "long enough pw", "10.0.0.1")
    assert refused.value.retry_after_s == NAME_PAUSE.total_seconds()
    moment[0] += NAME_PAUSE - timedelta(seconds=5)
    with pytest.raises(TooManyAttempts) as refused:
        accounts.sign_in("sara", "long enough pw", "10.0.0.1")
    assert refused.value.retry_after_s == 5
    assert accounts.sign_in("sara", "long enough pw", "10.0.0.99") is not None  # ... never one that did not
    moment[0] += timedelta(seconds=5)
    assert accounts.sign_in("sara", "long enough pw", "10.0.0.1") is not None


def test_a_name_failing_from_many_addresses_is_noted_and_told_once_per_window(
    accounts: Accounts, caplog: pytest.LogCaptureFixture
) -> None:
    moment = _clocked(accounts)
    told: list[SignInAttack] = []
    accounts.on_attack = told.append
    accounts.add_user("sara", "supervisor", ["riyadh-hq"], "long enough pw")
    for n in range(ATTACK_ADDRESSES - 1):
        assert accounts.sign_in("SARA", f"guess {n}", f"10.0.1.{n}") is None
    assert told == []  # four addresses: not yet an attack
    for n in range(ATTACK_ADDRESSES - 1, 12):
        assert accounts.sign_in("sara", f"guess {n}", f"10.0.1.{n}") is None
    assert [(a.name, a.addresses, a.failures) for a in told] == [("sara", ATTACK_ADDRESSES, ATTACK_ADDRESSES)]
    logged = [r.getMessage() for r in caplog.records if "sign-in attack" in r.getMessage()]
    assert len(logged) == 1 and "5 addresses within 15 minutes" in logged[0] and "10.0.1.4" in logged[0]
    title, body = told[0].text()
    assert "sara" in title and "5 addresses" in body and "taqyeem user unlock sara" in body
    event = accounts.store.accounts.events("sara")[0]
    assert (event["kind"], event["actor"]) == (ATTACK_EVENT, "collector")
    assert event["data"] == {"addresses": 5, "failures": 5}
    moment[0] += FAILURE_WINDOW + timedelta(seconds=1)
    for n in range(ATTACK_ADDRESSES):
        assert accounts.sign_in("sara", f"again {n}", f"10.0.2.{n}") is None
    assert len(told) == 2  # a new window, a new alert
    for n in range(ATTACK_ADDRESSES + 1):
        assert accounts.sign_in("nobody", f"guess {n}", f"10.0.3.{n}") is None
    assert len(told) == 2  # an unknown name is only logged: there is no account to alert about


def test_a_strangers_guesses_lock_out_only_the_stranger(accounts: Accounts) -> None:
    moment = _clocked(accounts)
    accounts.add_user("sara", "supervisor", ["riyadh-hq"], "long enough pw")
    for attempt in range(MAX_FAILURES_PER_NAME_AND_CLIENT):
        assert accounts.sign_in("sara", f"guess {attempt}", "10.6.6.6") is None
    moment[0] += NAME_PAUSE
    with pytest.raises(TooManyAttempts) as refused:
        accounts.sign_in("sara", "long enough pw", "10.6.6.6")  # even the right password, from there
    assert refused.value.retry_after_s == FAILURE_WINDOW.total_seconds()
    assert accounts.sign_in("sara", "long enough pw", "10.0.0.7") is not None
    with pytest.raises(TooManyAttempts):  # the real user's success forgets none of the stranger's failures
        accounts.sign_in("sara", "guess 6", "10.6.6.6")
    moment[0] += FAILURE_WINDOW
    assert accounts.sign_in("sara", "long enough pw", "10.6.6.6") is not None


def test_unlock_forgets_every_failure_and_is_audited(accounts: Accounts) -> None:
    accounts.add_user("sara", "supervisor", ["riyadh-hq"], "long enough pw")
    for attempt in range(MAX_FAILURES_PER_NAME_AND_CLIENT):
        assert accounts.sign_in("sara", f"guess {attempt}", "10.0.0.1") is None
    with pytest.raises(TooManyAttempts):
        accounts.sign_in("sara", "long enough pw", "10.0.0.1")
    assert accounts.unlock("sara", actor="cli:omar") == MAX_FAILURES_PER_NAME_AND_CLIENT  # a refusal is no failure
    assert accounts.sign_in("sara", "long enough pw", "10.0.0.1") is not None
    event = accounts.store.accounts.events("sara")[0]
    assert (event["kind"], event["actor"], event["data"]) == ("unlocked", "cli:omar", {"failures": 5})
    with pytest.raises(AuthError, match="no user 'ghost'"):
        accounts.unlock("ghost")


def test_unknown_names_are_rate_limited_too(accounts: Accounts) -> None:
    for attempt in range(MAX_FAILURES_PER_NAME):
        assert accounts.sign_in("nobody", f"guess {attempt}", "c") is None
    with pytest.raises(TooManyAttempts):
        accounts.sign_in("nobody", "x", "c")


def test_parallel_guesses_cannot_slip_past_the_limit(accounts: Accounts) -> None:
    from concurrent.futures import ThreadPoolExecutor

    accounts.add_user("admin1", "admin", [], "long enough pw")

    def guess(n: int) -> str:
        try:
            return "checked" if accounts.sign_in("admin1", f"guess {n}", "10.1.0.1") is None else "in"
        except TooManyAttempts:
            return "refused"

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(guess, range(40)))
    assert outcomes.count("checked") == MAX_FAILURES_PER_NAME_AND_CLIENT  # each one counted before its check
    assert outcomes.count("refused") == 40 - MAX_FAILURES_PER_NAME_AND_CLIENT


# --- over HTTP ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("auth-web") / "taqyeem.db")
    seed(store)
    yield live_api(store), store
    store.close()


def test_pages_send_a_stranger_to_sign_in(web: tuple[str, Store]) -> None:
    base, _ = web
    for path in ("/today", "/reviews", "/reports", "/employees", "/devices", "/events"):
        response = httpx.get(base + path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_the_session_cookie_is_httponly_strict_and_not_readable_by_scripts(web: tuple[str, Store]) -> None:
    base, _ = web
    with httpx.Client(base_url=base) as client:
        page = client.get("/login")
        response = client.post(
            "/login", data={"name": "sup-a", "password": PASSWORDS["sup-a"], "csrf": csrf_of(page.text)}
        )
    assert response.status_code == 303
    cookie = set_cookies(response)[SESSION_COOKIE]  # parsed: its random value may hold any short word
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "strict"
    assert not cookie["secure"]  # plain http on loopback: a Secure cookie would never come back


def set_cookies(response: httpx.Response) -> dict[str, Morsel[str]]:
    """The cookies the answer sets, by name, each with its attributes (``secure``, ``httponly``, ``samesite``)."""
    jar: SimpleCookie = SimpleCookie()
    for name, value in response.headers.multi_items():
        if name == "set-cookie":
            jar.load(value)
    return dict(jar)


def test_the_session_cookie_is_secure_behind_https(web: tuple[str, Store]) -> None:
    base, _ = web
    headers = {"X-Forwarded-Proto": "https"}  # uvicorn trusts proxy headers from loopback
    with httpx.Client(base_url=base, headers=headers) as client:
        page = client.get("/login")
        assert set_cookies(page)[LOGIN_COOKIE]["secure"] is True
        token = csrf_of(page.text)  # the login cookie holds the same value; httpx keeps Secure ones for https
        response = client.post(
            "/login",
            data={"name": "sup-a", "password": PASSWORDS["sup-a"], "csrf": token},
            headers={"Cookie": f"{LOGIN_COOKIE}={token}"},
        )
    assert set_cookies(response)[SESSION_COOKIE]["secure"] is True


def test_a_wrong_password_is_401_on_the_page(web: tuple[str, Store]) -> None:
    base, _ = web
    with httpx.Client(base_url=base) as client:
        page = client.get("/login")
        response = client.post("/login", data={"name": "sup-b", "password": "nope", "csrf": csrf_of(page.text)})
    assert response.status_code == 401
    assert "Wrong user name or password" in response.text or "غير صحيحة" in response.text
    assert SESSION_COOKIE not in set_cookies(response)


def test_login_without_its_form_token_is_refused(web: tuple[str, Store]) -> None:
    base, _ = web
    response = httpx.post(base + "/login", data={"name": "sup-a", "password": PASSWORDS["sup-a"], "csrf": "forged"})
    assert response.status_code == 403
    assert SESSION_COOKIE not in set_cookies(response)


def test_http_sign_in_is_rate_limited(web: tuple[str, Store]) -> None:
    base, store = web
    Accounts(store).add_user("victim", "viewer", ["site-a"], "victim-password-1")
    with httpx.Client(base_url=base) as client:
        codes = []
        for attempt in range(MAX_FAILURES_PER_NAME + 1):
            page = client.get("/login")
            codes.append(
                client.post(
                    "/login", data={"name": "victim", "password": f"guess-{attempt}", "csrf": csrf_of(page.text)}
                ).status_code
            )
        page = client.get("/login")
        right = client.post(
            "/login", data={"name": "victim", "password": "victim-password-1", "csrf": csrf_of(page.text)}
        )
    assert codes == [401] * MAX_FAILURES_PER_NAME + [429]
    assert right.status_code == 429
    assert "retry-after" in right.headers


def _try_sign_in(base: str, name: str, password: str, source: str) -> httpx.Response:
    """One sign-in from the loopback address ``source``: 127.0.0.2 is this machine too, another client to uvicorn."""
    with httpx.Client(base_url=base, transport=httpx.HTTPTransport(local_address=source), timeout=10) as client:
        page = client.get("/login")
        return client.post("/login", data={"name": name, "password": password, "csrf": csrf_of(page.text)})


def test_http_guesses_from_one_address_never_lock_out_another(
    web: tuple[str, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, store = web
    monkeypatch.setattr("collector.people.auth.NAME_PAUSE", timedelta(seconds=1))  # the server runs in this process
    Accounts(store).add_user("target", "viewer", ["site-a"], "target-password-1")
    stranger, owner = "127.0.0.2", "127.0.0.1"
    codes = [_try_sign_in(base, "target", f"guess-{n}", stranger).status_code for n in range(6)]
    assert codes == [401] * MAX_FAILURES_PER_NAME_AND_CLIENT + [429]
    assert _try_sign_in(base, "target", "target-password-1", stranger).status_code == 429
    paused = _try_sign_in(base, "target", "target-password-1", owner)
    if paused.status_code == 429:  # the name's pause, if the stranger's last guess was under a second ago
        assert int(paused.headers["retry-after"]) <= 1
        assert "wait a minute" in paused.text or "انتظر دقيقة" in paused.text
        time.sleep(1.05)
        paused = _try_sign_in(base, "target", "target-password-1", owner)
    assert paused.status_code == 303
    assert _try_sign_in(base, "target", "target-password-1", stranger).status_code == 429


def test_sign_out_needs_the_csrf_token_and_ends_the_session(web: tuple[str, Store]) -> None:
    base, _ = web
    with sign_in(base, "sup-a") as client:
        today = client.get("/today")
        assert today.status_code == 200
        assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
        assert client.get("/today").status_code == 200
        assert client.post("/logout", data={"csrf": csrf_of(today.text)}).status_code == 303
        assert client.get("/today", follow_redirects=False).status_code == 303


def test_the_next_page_after_sign_in_is_never_another_site(web: tuple[str, Store]) -> None:
    base, _ = web
    with httpx.Client(base_url=base) as client:
        for evil in ("//evil.example/x", "https://evil.example", "/\\evil.example"):
            page = client.get("/login", params={"next": evil})
            response = client.post(
                "/login",
                data={"name": "admin", "password": PASSWORDS["admin"], "csrf": csrf_of(page.text), "next": evil},
            )
            assert response.status_code == 303
            assert response.headers["location"] == "/today"


def test_a_session_works_for_the_json_api_and_tokens_still_do(web: tuple[str, Store]) -> None:
    base, store = web
    with sign_in(base, "sup-a") as client:
        rows = client.get("/api/v1/ratings", params={"limit": 1000}).json()["ratings"]
        assert rows and {r["site_id"] for r in rows} == {"site-a"}
    token = store.accounts.create_token("script", "viewer", ["site-b"], "2026-11-28T00:00:00.000Z")
    response = httpx.get(base + "/api/v1/ratings", headers={"Authorization": f"Bearer {token}"})
    assert {r["site_id"] for r in response.json()["ratings"]} == {"site-b"}


def test_viewers_get_reports_but_not_reviews_or_devices(web: tuple[str, Store]) -> None:
    base, _ = web
    with sign_in(base, "viewer-a") as client:
        assert client.get("/reports").status_code == 200
        assert client.get("/employees").status_code == 200
        assert client.get("/today", follow_redirects=False).headers["location"] == "/reports"
        assert client.get("/reviews").status_code == 403
        assert client.get("/devices").status_code == 403
        assert client.get("/api/v1/reviews").status_code == 403
