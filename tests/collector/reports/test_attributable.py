"""A rating not attributable to the employee, over real HTTP: out of that employee's figures, and nowhere else.

The seeded day (tests/support/two_sites_today.py:seed): at site-a, desk-01 serves E1 (5, 4, 5, 5, 5)
and E2 (5, 1, 2, 3, 4); desk-02 serves E3 (5, 4, 2, 5); at site-b, desk-09 serves B7 (1, 5, 5).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from collector.store import Store
from tests.support.html_tree import parse
from tests.support.two_sites_today import seed
from tests.support.web_session import csrf_of, sign_in


@pytest.fixture
def web(tmp_path: Path, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path / "taqyeem.db")
    seed(store)
    yield live_api(store), store
    store.close()


def _headers(store: Store, role: str = "supervisor", sites: tuple[str, ...] = ("site-a",)) -> dict[str, str]:
    token = store.accounts.create_token(role, role, list(sites), "2026-11-28T00:00:00.000Z")
    return {"Authorization": f"Bearer {token}"}


def _negative(store: Store, employee_id: str, score: int) -> str:
    return next(
        i["rating"]["id"]
        for i in store.reviews.all(status="open")
        if i["rating"]["employee_id"] == employee_id and i["rating"]["score"] == score
    )


def _close(base: str, store: Store, rating_id: str, cause: str, **extra: Any) -> dict[str, Any]:
    body = {"cause": cause, "action": "process_fix", "note": "checked the system log", **extra}
    response = httpx.post(f"{base}/api/v1/reviews/{rating_id}", json=body, headers=_headers(store))
    assert response.status_code == 200, response.text
    return dict(response.json())


def _report(base: str, store: Store) -> dict[str, Any]:
    response = httpx.get(f"{base}/api/v1/reports/daily", headers=_headers(store, "viewer", ("*",)))
    assert response.status_code == 200, response.text
    return dict(response.json())


def _without_reviews(report: dict[str, Any]) -> dict[str, Any]:
    """Every figure but the employees' and the review counts (closing a review changes those, and only those)."""

    def strip(part: Any) -> Any:
        if isinstance(part, list):
            return [strip(p) for p in part]
        if isinstance(part, dict):
            return {k: strip(v) for k, v in part.items() if k != "open_reviews"}
        return part

    kept = ("totals", "distribution", "by_desk", "by_site", "by_section", "by_hour")
    return {key: strip(report[key]) for key in kept}


def test_closing_as_not_attributable_takes_the_rating_out_of_the_employees_figures_and_nowhere_else(
    web: tuple[str, Store],
) -> None:
    base, store = web
    before = _report(base, store)
    rollups = store.rollups.all()

    review = _close(base, store, _negative(store, "E2", 1), "system_outage")  # no answer: the cause decides

    assert (review["review"]["attributable"], review["review"]["attributable_from"]) == (False, "cause")
    after = _report(base, store)
    assert _without_reviews(after) == _without_reviews(before)
    assert store.rollups.all() == rollups  # closing a review never touches the rollups
    e2 = {e["employee_id"]: e for e in after["by_employee"]}["E2"]
    assert e2["count"] == 4 and e2["mean"] == round((5 + 2 + 3 + 4) / 4, 2)
    assert (e2["negatives"], e2["share_negative"]) == (1, 0.25)
    assert (e2["excluded"], e2["excluded_causes"]) == (1, {"system_outage": 1})
    assert e2["ci_low"] < e2["mean"] < e2["ci_high"]  # n < 30: the mean carries its interval
    unchanged = {e["employee_id"]: e for e in before["by_employee"] if e["employee_id"] != "E2"}
    assert {e["employee_id"]: e for e in after["by_employee"] if e["employee_id"] != "E2"} == unchanged
    desk = {d["desk_id"]: d for d in after["by_desk"]}["desk-01"]
    assert desk["count"] == 10 and desk["negatives"] == 2  # the desk still counts it


def test_the_supervisor_confirms_or_overrides_the_causes_default(web: tuple[str, Store]) -> None:
    base, store = web
    kept = _close(base, store, _negative(store, "E3", 2), "system_outage", attributable=True)
    assert (kept["review"]["attributable"], kept["review"]["attributable_from"]) == (True, "supervisor")
    left_out = _close(base, store, _negative(store, "E2", 2), "staff_conduct", attributable=False)
    assert left_out["history"][-1]["data"]["attributable"] is False
    assert left_out["history"][-1]["actor"] == "supervisor"  # who decided
    _close(base, store, _negative(store, "E2", 1), "visitor_misunderstanding")

    employees = {e["employee_id"]: e for e in _report(base, store)["by_employee"]}
    assert (employees["E3"]["count"], employees["E3"]["excluded"]) == (4, 0)
    assert employees["E2"]["count"] == 3
    assert employees["E2"]["excluded_causes"] == {"staff_conduct": 1, "visitor_misunderstanding": 1}

    refused = httpx.post(
        f"{base}/api/v1/reviews/{_negative(store, 'B7', 1)}",
        json={"cause": "other", "action": "coaching", "note": "x", "attributable": "maybe"},
        headers=_headers(store, "admin", ()),
    )
    assert refused.status_code == 422 and "attributable" in str(refused.json()["detail"])


def test_the_csv_and_the_pages_show_each_employees_n_and_what_was_excluded(web: tuple[str, Store]) -> None:
    base, store = web
    _close(base, store, _negative(store, "E2", 1), "system_outage")
    _close(base, store, _negative(store, "E2", 2), "system_outage")

    def table(name: str) -> list[dict[str, str]]:
        params = {"lang": "en", "table": name}
        response = httpx.get(f"{base}/api/v1/reports/daily.csv", params=params, headers=_headers(store))
        return list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))

    e2 = next(r for r in table("by_employee") if r["Employee id"] == "E2")
    assert (e2["Count"], e2["Excluded from their mean"], e2["Why excluded"]) == ("3", "2", "System outage")
    assert e2["95% interval, low"] and e2["95% interval, high"]
    desk = next(r for r in table("by_desk") if r["Desk id"] == "desk-01")
    assert desk["Count"] == "10" and "Excluded from their mean" not in desk  # desks keep every rating

    with sign_in(base, "sup-a") as client:  # Arabic
        employees = client.get("/employees").text
        assert "مستبعدة من متوسطه" in employees
        assert '<bdi dir="ltr">2</bdi>: تعطل الأنظمة' in employees
        reports = client.get("/reports").text.split("<h2>حسب الموظف</h2>")[1].split("</table>")[0]
        assert '<bdi dir="ltr">2</bdi>: تعطل الأنظمة' in reports
        assert "فترة الثقة ٩٥٪" in reports
        client.get("/lang/en")
        employees = client.get("/employees").text
        assert '<bdi dir="ltr">2</bdi>: System outage' in employees


def test_the_review_page_asks_and_works_without_javascript(web: tuple[str, Store]) -> None:
    base, store = web
    first, second = _negative(store, "E2", 1), _negative(store, "E2", 2)
    with sign_in(base, "sup-a") as client:
        page = client.get(f"/reviews/{first}").text
        assert 'name="attributable" value="yes"' in page and 'name="attributable" value="no"' in page
        assert 'value="system_outage" data-attributable="no"' in page
        assert 'value="staff_conduct" data-attributable="yes"' in page
        chosen = [i.attrs for i in parse(page).by_id("close-form").find_all("input", checked=None)]
        assert chosen == []  # no cause chosen yet (the form's CSRF token may hold the word: ask the inputs)
        form = {"csrf": csrf_of(page), "action": "process_fix", "note": "the queue system was down"}
        # A browser without JavaScript sends no answer: the server takes the cause's default.
        done = client.post(f"/reviews/{first}/close", data={**form, "cause": "system_outage"}, follow_redirects=True)
        assert done.status_code == 200
        assert store.reviews.get(first)["review"]["attributable"] is False  # type: ignore[index]
        assert 'class="attributable">لا' in done.text and "تلقائيًا حسب فئة السبب" in done.text
        # A refused form comes back with the supervisor's answer still chosen.
        again = client.post(
            f"/reviews/{second}/close", data={**form, "cause": "system_outage", "attributable": "yes", "note": ""}
        )
        assert again.status_code == 422
        assert 'value="yes" checked' in again.text
        client.post(f"/reviews/{second}/close", data={**form, "cause": "system_outage", "attributable": "yes"})
        assert store.reviews.get(second)["review"]["attributable"] is True  # type: ignore[index]
        assert store.reviews.get(second)["review"]["attributable_from"] == "supervisor"  # type: ignore[index]
