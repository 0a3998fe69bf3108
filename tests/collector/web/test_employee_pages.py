"""The employee's own pages over real HTTP: My page, their review with its response form, and the admins' side."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest

from collector.people.auth import Accounts
from collector.people.own_figures import excluded_causes
from collector.store import Store
from shared.pins import verify_pin
from tests.support.html_tree import parse
from tests.support.two_sites_today import seed
from tests.support.web_session import csrf_of, sign_in

PASSWORD = "emp-e2-password"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("me") / "taqyeem.db")
    seed(store)  # E2 has five ratings today at site-a (5, 1, 2, 3, 4); E3 and B7 are colleagues
    Accounts(store).add_user("emp-e2", "employee", ["site-a"], PASSWORD, employee_id="E2")
    store.accounts.set_notify_url(
        int(store.accounts.user(name="emp-e2")["id"]),  # type: ignore[index]
        "mailtos://alerts:S3cretPw@mail.example.org?to=e2@example.org",
    )
    yield live_api(store), store
    store.close()


def ids_of(store: Store, employee_id: str, negative: bool = False) -> set[str]:
    rows, _ = store.ratings.page(employee_id=employee_id, negative=negative or None, limit=1000)
    return {r["id"] for r in rows}


def test_an_employee_lands_on_my_page_with_only_their_own(web: tuple[str, Store]) -> None:
    base, store = web
    with sign_in(base, "emp-e2", PASSWORD) as client:
        assert client.get("/").headers["location"] == "/me"
        html = client.get("/me").text
    assert '<html lang="ar" dir="rtl">' in html
    assert re.findall(r'<nav class="nav">\s*<a href="(/[^"]*)"', html) == ["/me"]
    assert 'href="/today"' not in html and 'href="/reviews"' not in html
    assert '<span class="value" id="m-count" dir="ltr">5</span>' in html
    assert '<span class="value" id="m-mean" dir="ltr">3.00</span>' in html
    assert re.search(r'id="m-interval">1\.\d\d – [45]\.\d\d</bdi>', html)
    table = html.split('id="my-ratings"')[1].split("</table>")[0]
    assert set(re.findall(r'data-id="([^"]+)"', table)) == ids_of(store, "E2")
    reviews = html.split('id="my-reviews"')[1].split("</table>")[0]
    assert set(re.findall(r'data-id="([^"]+)"', reviews)) == ids_of(store, "E2", negative=True)
    tree = parse(html)  # the page holds a random CSRF token: ask for whole words, never a substring of the page
    assert not {"E3", "B7"} & tree.words()  # no colleague is named anywhere, in text or in a link
    notify = tree.by_id("m-notify").text()
    assert "mailtos://mail.example.org" in notify and "S3cretPw" not in html and "e2@example.org" not in html


def test_my_page_reads_in_english_left_to_right(web: tuple[str, Store]) -> None:
    base, _ = web
    with sign_in(base, "emp-e2", PASSWORD) as client:
        client.get("/lang/en")
        html = client.get("/me").text
    assert '<html lang="en" dir="ltr">' in html
    assert "<h1>My page" in html and "Reviews of my negative ratings" in html and "95% interval" in html


def test_a_colleagues_review_is_not_found_and_staff_pages_are_forbidden(web: tuple[str, Store]) -> None:
    base, store = web
    colleague = sorted(ids_of(store, "E3", negative=True))[0]
    own = sorted(ids_of(store, "E2", negative=True))[0]
    with sign_in(base, "emp-e2", PASSWORD, follow_redirects=False) as client:
        assert client.get(f"/me/reviews/{colleague}").status_code == 404
        assert client.get(f"/me/reviews/{own}").status_code == 200
        for path in ("/today", "/reviews", f"/reviews/{own}", "/employees", "/reports", "/devices", "/users"):
            refused = client.get(path)
            assert refused.status_code == 403, path
            assert '<a href="/me"' in refused.text  # the menu still shows the way back
    with sign_in(base, "sup-a", follow_redirects=False) as supervisor:
        assert supervisor.get("/me").status_code == 403


def test_an_employee_adds_their_response_as_themselves_and_cannot_close(web: tuple[str, Store]) -> None:
    base, store = web
    own = sorted(ids_of(store, "E2", negative=True))[-1]
    colleague = sorted(ids_of(store, "E3", negative=True))[0]
    with sign_in(base, "emp-e2", PASSWORD, follow_redirects=False) as client:
        page = client.get(f"/me/reviews/{own}").text
        assert 'id="close-form"' not in page and 'action="/me/reviews/' in page
        token = csrf_of(page)
        assert client.post(f"/me/reviews/{own}/response", data={"response": "x"}).status_code == 403  # no token
        empty = client.post(f"/me/reviews/{own}/response", data={"csrf": token, "response": "  "})
        assert empty.status_code == 422 and "response is required" in empty.text
        theirs = client.post(f"/me/reviews/{colleague}/response", data={"csrf": token, "response": "not mine"})
        assert theirs.status_code == 404
        saved = client.post(f"/me/reviews/{own}/response", data={"csrf": token, "response": "كان النظام بطيئًا"})
        assert saved.status_code == 303 and saved.headers["location"] == f"/me/reviews/{own}?saved=1"
        closing = {"csrf": token, "cause": "other", "action": "coaching", "note": "mine"}
        assert client.post(f"/reviews/{own}/close", data=closing).status_code == 403
        shown = client.get(f"/me/reviews/{own}?saved=1").text
    assert '<bdi>emp-e2</bdi> (<bdi dir="ltr">E2</bdi>)' in shown and "كان النظام بطيئًا" in shown
    item = store.reviews.get(own)
    assert item is not None and item["review"]["status"] == "open"
    assert (item["history"][-1]["actor"], item["history"][-1]["data"]["employee_id"]) == ("emp-e2", "E2")
    other = store.reviews.get(colleague)
    assert other is not None and other["review"]["response"] is None


def test_an_admin_makes_an_employee_account_on_the_users_page(web: tuple[str, Store]) -> None:
    base, store = web
    with sign_in(base, "admin") as admin:
        token = csrf_of(admin.get("/users").text)
        form = {"csrf": token, "name": "emp-e3", "role": "employee", "lang": "en"}
        missing = admin.post("/users", data=form)
        assert missing.status_code == 400 and "حساب الموظف يحتاج رقمه الوظيفي" in missing.text
        added = admin.post("/users", data={**form, "employee_id": "E3"})
        assert added.status_code == 200 and 'id="shown-once"' in added.text
        listing = admin.get("/users").text
    row = listing.split('data-user="emp-e2"')[1].split("</tr>")[0]
    assert '<bdi dir="ltr" class="employee-id">E2</bdi>' in row and "mailtos://mail.example.org" in row
    assert "S3cretPw" not in listing
    assert store.accounts.user(name="emp-e3")["employee_id"] == "E3"  # type: ignore[index]


@pytest.mark.parametrize(
    ("excluded", "expected"),
    [
        (None, (0, [])),
        (0, (0, [])),
        (2, (2, [])),
        ({"system_outage": 2, "procedure_policy": 1}, (3, [("system_outage", 2), ("procedure_policy", 1)])),
        ([{"cause": "system_outage"}, {"cause": "system_outage"}], (2, [("system_outage", 2)])),
    ],
)
def test_ratings_not_held_against_the_employee_are_counted_by_cause(excluded: object, expected: object) -> None:
    assert excluded_causes(excluded) == expected


def test_an_employee_sets_their_own_desk_pin_kept_only_as_a_hash(web: tuple[str, Store]) -> None:
    base, store = web
    with sign_in(base, "emp-e2", PASSWORD, follow_redirects=False) as client:
        assert 'id="my-pin"' not in client.get("/me").text  # not in the registry yet: no PIN to set
        # In the registry at a site without desks yet, so no tablet must be told (this app has no broker).
        store.employees.save(
            [
                {
                    "employee_id": "E2",
                    "name_ar": "سارة العتيبي",
                    "name_en": "Sara Alotaibi",
                    "site_id": "site-new",
                    "section_id": None,
                    "active": True,
                }
            ],
            "test",
            "2026-11-30T08:00:00.000Z",
        )
        page = client.get("/me").text
        assert 'id="pin-first"' in page and 'id="my-pin"' in page and "سارة العتيبي" in page
        token = csrf_of(page)
        assert client.post("/me/pin", data={"pin": "2468", "pin_again": "2468"}).status_code == 403  # no token
        differ = client.post("/me/pin", data={"csrf": token, "pin": "2468", "pin_again": "2469"})
        assert differ.status_code == 422 and "الرمزان غير متطابقين" in differ.text
        letters = client.post("/me/pin", data={"csrf": token, "pin": "24a8", "pin_again": "24a8"})
        assert letters.status_code == 422 and "الرمز أرقام فقط" in letters.text
        saved = client.post("/me/pin", data={"csrf": token, "pin": "٢٤٦٨", "pin_again": "٢٤٦٨"})  # Arabic digits
        assert saved.status_code == 303 and saved.headers["location"] == "/me?pin=1#my-account"
        shown = client.get("/me?pin=1").text
    assert 'id="pin-first"' not in shown and "حُفظ رمزك" in shown
    pin_hash = store.employees.state()["E2"]["pin_hash"]
    assert verify_pin("2468", pin_hash)
    _, iterations, salt, digest = pin_hash.split("$")  # a salt and a digest in hex, and nothing else: no PIN in
    assert (len(bytes.fromhex(salt)), len(bytes.fromhex(digest))) == (16, 32)  # clear (the hex may hold "2468")
    assert int(iterations) >= 600_000
    assert store.employees.events("E2")[0]["actor"] == "emp-e2"  # newest first
