"""GET /api/v1/reports/causes over real HTTP: two spans of negatives with known reasons, and closed reviews.

The data (tests/support/reasons_and_causes.py) gives exact counts and shares, a rise that the
test marks and one it cannot test, the breakdowns, an employee held back below 5 negatives, the
causes and actions of the reviews closed in the span, and the effect of each coaching and
process fix, checked against a count from the ratings themselves; then the downloads and the
refusals (a span over ten years, an unknown site, a missing span) as 422 with a message.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from collector.store import Store
from tests.support.reasons_and_causes import BEFORE, SPAN, seed_reasons_and_causes
from tests.support.two_sites_today import CALENDAR

NOW = "2026-11-28T12:00:00.000Z"
MARCH = {"from": SPAN[0].isoformat(), "to": SPAN[1].isoformat()}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, str]]]:
    store = Store(tmp_path_factory.mktemp("causes") / "taqyeem.db")
    closed = seed_reasons_and_causes(store)
    yield store, closed
    store.close()


@pytest.fixture(scope="module")
def get(
    seeded: tuple[Store, dict[str, str]], live_api: Callable[[Store], str]
) -> Iterator[Callable[..., httpx.Response]]:
    store = seeded[0]
    tokens = {
        "admin": store.accounts.create_token("admin", "admin", [], NOW),
        "sup-a": store.accounts.create_token("sup-a", "supervisor", ["site-a"], NOW),
        "viewer-a": store.accounts.create_token("viewer-a", "viewer", ["site-a"], NOW),
        "ivr": store.accounts.create_token("ivr", "integration", ["site-a"], NOW),
    }
    with httpx.Client(base_url=live_api(store), timeout=30) as client:

        def send(holder: str | None = "admin", path: str = "/api/v1/reports/causes", **params: Any) -> httpx.Response:
            headers = {"Authorization": f"Bearer {tokens[holder]}"} if holder else {}
            return client.get(path, params=params, headers=headers)

        yield send


def test_the_reasons_are_ranked_with_the_span_before_and_a_tested_rise(get: Callable[..., httpx.Response]) -> None:
    answer = get("sup-a", site_id="site-a", **MARCH)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert set(report) >= {"from", "to", "negatives", "reasons", "causes", "actions", "themes"}
    assert (report["from"], report["to"], report["negatives"]) == ("2025-03-01", "2025-03-28", 104)
    assert report["themes"] == []
    assert report["previous"] == {"from": BEFORE[0].isoformat(), "to": BEFORE[1].isoformat(), "negatives": 100}
    reasons = {r["code"]: r for r in report["reasons"]}
    assert [r["code"] for r in report["reasons"]] == ["waiting_time", "rude", "documents"]
    rude = reasons["rude"]
    assert (rude["count"], rude["share"], rude["previous_count"], rude["previous_share"]) == (40, 0.3846, 10, 0.1)
    assert rude["change"] == pytest.approx(0.2846) and rude["rising"] is True and rude["p_value"] < 0.001
    wait = reasons["waiting_time"]
    assert (wait["count"], wait["previous_count"], wait["rising"]) == (50, 50, False) and wait["p_value"] > 0.05
    documents = reasons["documents"]
    assert (documents["count"], documents["previous_count"], documents["p_value"], documents["rising"]) == (
        3, 0, None, False,
    )  # fmt: skip


def test_the_breakdowns_give_each_groups_negatives_and_reasons(get: Callable[..., httpx.Response]) -> None:
    report = get("sup-a", site_id="site-a", **MARCH).json()
    sections = {s["section"]: s for s in report["by_section"]}
    assert {k: s["negatives"] for k, s in sections.items()} == {"men-hall": 50, "women-hall": 54}
    assert {r["code"]: r["count"] for r in sections["men-hall"]["reasons"]} == {"rude": 20, "documents": 3}
    channels = {c["channel"]: c for c in report["by_channel"]}
    assert {k: c["negatives"] for k, c in channels.items()} == {"desk": 94, "call": 10}
    assert sum(h["negatives"] for h in report["by_hour"]) == 104 and {h["hour"] for h in report["by_hour"]} == {
        9, 10, 11, 12, 13,
    }  # fmt: skip
    weekdays = [w["weekday"] for w in report["by_weekday"]]
    assert sorted(weekdays) == sorted(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
    assert sum(w["negatives"] for w in report["by_weekday"]) == 104
    employees = report["by_employee"]
    assert (employees["min_negatives"], employees["held_back"]) == (5, 1)  # E3: 4 negatives, not shown
    shown = {e["employee_id"]: e for e in employees["rows"]}
    assert {k: e["negatives"] for k, e in shown.items()} == {"E1": 60, "E2": 40}
    assert {r["code"]: r["count"] for r in shown["E1"]["reasons"]} == {"rude": 40, "waiting_time": 30, "documents": 3}
    assert all("name_ar" in e and "name_en" in e for e in shown.values())


def test_the_causes_and_actions_are_the_reviews_closed_in_the_span(get: Callable[..., httpx.Response]) -> None:
    report = get("sup-a", **MARCH).json()
    causes = {c["code"]: c for c in report["causes"]}
    assert {k: c["count"] for k, c in causes.items()} == {"staff_conduct": 2, "waiting_time": 2, "procedure_policy": 1}
    assert causes["staff_conduct"]["share"] == 0.4 and causes["staff_conduct"]["attributable_share"] == 1.0
    assert causes["procedure_policy"]["attributable_share"] == 0.0
    assert all(c["previous_count"] == 0 for c in report["causes"])
    assert {a["action"]: a["count"] for a in report["actions"]} == {"coaching": 2, "no_action": 2, "process_fix": 1}
    assert "effects" not in next(a for a in report["actions"] if a["action"] == "no_action")
    february = get("sup-a", **{"from": "2025-02-01", "to": "2025-02-28"}).json()
    assert (february["causes"], february["actions"]) == ([], [])


def _count(path: str, where: str, params: list[Any], days: tuple[date, date]) -> int:
    since, until = CALENDAR.day_bounds(days[0])[0], CALENDAR.day_bounds(days[1])[1]
    with sqlite3.connect(path) as conn:
        sql = f"SELECT count(*) FROM ratings WHERE counted_at >= ? AND counted_at < ? AND {where}"  # noqa: S608
        return int(conn.execute(sql, [since, until, *params]).fetchone()[0])


def test_each_coaching_and_process_fix_has_its_rates_before_and_after_with_n_and_a_verdict(
    get: Callable[..., httpx.Response], seeded: tuple[Store, dict[str, str]]
) -> None:
    store, closed = seeded
    report = get("sup-a", **MARCH).json()
    effects = {e["rating_id"]: e for a in report["actions"] for e in a.get("effects", [])}
    assert set(effects) == set(closed.values())
    closed_on = date(2025, 3, 10)
    before = (closed_on - timedelta(days=28), closed_on - timedelta(days=1))
    after = (closed_on + timedelta(days=1), closed_on + timedelta(days=28))
    path = str(store.path)
    e1 = effects[closed["coaching_e1"]]
    assert (e1["measure"], e1["closed_on"], e1["employee_id"]) == ("employee_negatives", "2025-03-10", "E1")
    for window, days in (("before", before), ("after", after)):
        x = _count(path, "employee_id = 'E1' AND negative = 1", [], days)
        n = _count(path, "employee_id = 'E1'", [], days)
        assert (e1[window]["x"], e1[window]["n"]) == (x, n)
        assert e1[window]["ci_low"] <= e1[window]["rate"] <= e1[window]["ci_high"]
    assert e1["before"]["n"] >= 30 and e1["after"]["n"] >= 30
    assert e1["verdict"] in ("fell", "rose", "no_clear_change")
    e3 = effects[closed["coaching_e3"]]
    assert e3["after"]["n"] < 30 and e3["verdict"] == "too_few"
    fix = effects[closed["fix_rude"]]
    assert (fix["measure"], fix["code"], fix["site_id"]) == ("reason", "rude", "site-a")
    for window, days in (("before", before), ("after", after)):
        x = _count(path, "site_id = 'site-a' AND negative = 1 AND reasons LIKE '%\"rude\"%'", [], days)
        assert (fix[window]["x"], fix[window]["n"]) == (x, _count(path, "site_id = 'site-a'", [], days))


def test_every_site_the_reader_may_see_and_a_hijri_month(get: Callable[..., httpx.Response]) -> None:
    everything = get(**MARCH).json()
    assert everything["negatives"] == 109
    assert {r["code"]: r["count"] for r in everything["reasons"]}["rude"] == 45
    viewer = get("viewer-a", **MARCH).json()
    assert viewer["negatives"] == 104
    assert get("viewer-a", site_id="site-b", **MARCH).status_code == 403
    assert get("ivr", **MARCH).status_code == 403
    assert get(None, **MARCH).status_code == 401
    ramadan = get(hijri_month="1446-09")  # 1 to 29 March 2025
    assert ramadan.status_code == 200 and ramadan.json()["hijri"]["month"] == "1446-09"


def test_bad_input_answers_422_with_a_message_never_500(get: Callable[..., httpx.Response]) -> None:
    long = get(**{"from": "2013-01-01", "to": "2025-03-01"})
    assert long.status_code == 422 and "ten years" in long.json()["detail"]
    unknown = get(site_id="site-z", **MARCH)
    assert unknown.status_code == 422 and "site-z" in unknown.json()["detail"]
    empty = get()
    assert empty.status_code == 422 and "give a span" in empty.json()["detail"]
    backwards = get(**{"from": "2025-03-02", "to": "2025-03-01"})
    assert backwards.status_code == 422
    assert get(hijri_month="1446-13").status_code == 422


def test_each_table_downloads_as_csv_and_all_as_one_workbook(get: Callable[..., httpx.Response]) -> None:
    for table in ("reasons", "causes", "actions", "effects", "by_section", "by_hour", "by_weekday", "by_channel",
                  "by_employee"):  # fmt: skip
        answer = get(path="/api/v1/reports/causes.csv", table=table, lang="en", site_id="site-a", **MARCH)
        assert answer.status_code == 200, (table, answer.text)
        assert answer.text.startswith("\ufeffFrom,To,")
        assert (
            f"taqyeem-causes-2025-03-01-2025-03-28-site-a-{table.replace('_', '-')}-en.csv"
            in answer.headers["content-disposition"]
        )
    reasons = get(path="/api/v1/reports/causes.csv", table="reasons", lang="ar", site_id="site-a", **MARCH).text
    assert "40" in reasons.splitlines()[2] or "40" in reasons.splitlines()[1]
    book = get(path="/api/v1/reports/causes.xlsx", lang="ar", **MARCH)
    assert book.status_code == 200
    sheets = load_workbook(io.BytesIO(book.content), read_only=True).sheetnames
    assert sheets[0] == "أسباب المراجعين" and len(sheets) == 9
