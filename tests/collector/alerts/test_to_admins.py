"""A stranger cannot lock the admin out (issue 20 point 1), over real HTTP from 21 loopback addresses.

The hostile run kept the real admin, at a clean PC with the right password, on 429 for
98 s by guessing from rotating addresses: the name's pause counted failures from every
address. Here 20 addresses (127.0.0.10-29: Linux answers every 127.0.0.x, and each
connection binds its source, so the collector sees 20 clients) keep guessing the
admin's password while the admin signs in from 127.0.0.200 every second; every
sign-in succeeds, each guessing address is held to its own few tries, and the admins'
channel (a real webhook, through apprise) hears of the attack once. `taqyeem user
unlock` still lets a person locked out at their own PC in.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.cli import cli
from collector.people.auth import ATTACK_EVENT, MAX_FAILURES_PER_NAME_AND_CLIENT
from collector.settings import CollectorSettings
from collector.store import Store
from tests.collector.conftest import serve_app
from tests.conftest import wait_until
from tests.support.sms_webhook import webhook
from tests.support.two_sites_today import PASSWORDS, seed
from tests.support.web_session import csrf_of

ATTACKERS = [f"127.0.0.{n}" for n in range(10, 30)]
ADMIN_PC = "127.0.0.200"
SIGN_INS = 10


def try_sign_in(base: str, name: str, password: str, source: str) -> httpx.Response:
    """One sign-in, as a browser does it (the form, then its POST), from the loopback address ``source``."""
    with httpx.Client(base_url=base, transport=httpx.HTTPTransport(local_address=source), timeout=30) as client:
        page = client.get("/login")
        return client.post("/login", data={"name": name, "password": password, "csrf": csrf_of(page.text)})


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Store, list[dict[str, Any]]]]:
    """The app with an [admin_alerts] channel: a webhook on loopback, reached through apprise's json://."""
    db = tmp_path / "taqyeem.db"
    store = Store(db)
    seed(store)
    with webhook() as (port, received):
        settings = CollectorSettings(
            broker="mqtt://127.0.0.1:1883", db=db, admin_alerts={"urls": [f"json://127.0.0.1:{port}/admins"]}
        )
        with serve_app(create_app(AppDeps(store, settings=settings))) as base:
            yield base, store, received
    store.close()


def test_twenty_guessing_addresses_never_keep_the_admin_out_and_the_admins_hear_of_it_once(
    served: tuple[str, Store, list[dict[str, Any]]],
) -> None:
    base, store, received = served
    stop = threading.Event()
    answers: dict[str, list[int]] = {address: [] for address in ATTACKERS}

    def guess(address: str) -> None:
        n = 0
        while not stop.is_set():
            answers[address].append(try_sign_in(base, "admin", f"guess-{address}-{n}", address).status_code)
            n += 1
            stop.wait(0.5)  # 40 guesses a second in all, whatever Retry-After says

    admin_codes = []
    with ThreadPoolExecutor(len(ATTACKERS)) as pool:
        guessing = [pool.submit(guess, address) for address in ATTACKERS]
        try:
            wait_until(lambda: all(answers.values()), timeout=60, what="every address to have guessed once")
            for _ in range(SIGN_INS):  # the real admin, at their own PC, each second during the attack
                admin_codes.append(try_sign_in(base, "admin", PASSWORDS["admin"], ADMIN_PC).status_code)
                stop.wait(1.0)
        finally:
            stop.set()
        for future in guessing:
            future.result()
    assert admin_codes == [303] * SIGN_INS
    for address, codes in answers.items():
        # A guess is checked (401) a few times at most per address, then the address waits (429): the name's
        # pause holds the addresses that failed. (A first guess may be 429 too: two argon2 checks at a time.)
        assert codes.count(401) <= MAX_FAILURES_PER_NAME_AND_CLIENT, (address, codes)
        assert 429 in codes, (address, codes)
    assert sum(codes.count(401) for codes in answers.values()) >= MAX_FAILURES_PER_NAME_AND_CLIENT
    wait_until(lambda: received, timeout=30, what="the admins' channel to hear of the attack")
    events = [e for e in store.accounts.events("admin") if e["kind"] == ATTACK_EVENT]
    assert len(events) == 1 and events[0]["data"]["addresses"] >= 5
    assert len(received) == 1 and received[0]["path"] == "/admins"  # once per 15 minutes, not per guess
    alert = json.loads(received[0]["body"])
    assert "Sign-in attack" in alert["title"] and "admin" in alert["title"]
    assert "failed to sign in" in alert["message"] and "فشل الدخول" in alert["message"]


def test_user_unlock_still_lets_a_person_locked_out_at_their_own_pc_in(
    served: tuple[str, Store, list[dict[str, Any]]],
) -> None:
    base, store, _ = served
    own_pc = "127.0.0.77"
    codes = [try_sign_in(base, "sup-a", f"mistyped-{n}", own_pc).status_code for n in range(6)]
    assert codes == [401] * MAX_FAILURES_PER_NAME_AND_CLIENT + [429]  # 15 minutes, for that PC and name
    assert try_sign_in(base, "sup-a", PASSWORDS["sup-a"], own_pc).status_code == 429
    unlocked = CliRunner().invoke(cli, ["user", "unlock", "sup-a", "--db", str(store.path)])
    assert unlocked.exit_code == 0 and unlocked.output == "unlocked sup-a: forgot 5 failed sign-ins\n"
    assert try_sign_in(base, "sup-a", PASSWORDS["sup-a"], own_pc).status_code == 303
