"""GET /api/v1/reports/period over real HTTP: a year of generated ratings with known shares.

1000 ratings over 2025 whose scores, channels and survey answers come in exact proportions;
a Hijri month's Gregorian bounds; the roles and sites that may read it; and a week's
count and mean equal to the sum of its daily reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from hijridate import Gregorian

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.store import Store
from tests.support.two_sites_today import CALENDAR, desk_config, make_rating

N = 1000
FIRST = date(2025, 1, 1)
NOW = "2026-11-28T12:00:00.000Z"


def _at(i: int) -> datetime:
    day = FIRST + timedelta(days=i * 365 // N)
    return datetime.combine(day, datetime.min.time(), CALENDAR.zone) + timedelta(hours=9, seconds=37 * i)


def _answers(i: int) -> dict[str, Any]:
    answers: dict[str, Any] = {"obstacles": "yes" if i % 10 < 3 else "no"}  # 30% / 70%
    answers["applicant"] = ("citizen", "citizen", "resident", "company")[i % 4]  # 50 / 25 / 25
    if i % 2 == 0:
        answers["ease"] = 1 + (i // 2) % 5  # a scale: 20% each of 500
    if i % 100 == 0:
        answers["mystery"] = "x"  # no survey asks it: counted under its id as given
    return answers


def _channel(i: int) -> str:
    return "call" if i % 10 == 9 else "link" if i % 10 == 8 else "desk"  # 10% / 10% / 80%


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("period") / "taqyeem.db")
    store.devices.register("dev-a1", desk_config("site-a", "desk-01", "men-hall"), NOW)
    store.devices.register("dev-a2", desk_config("site-a", "desk-02", "women-hall"), NOW)
    store.devices.register("dev-b1", desk_config("site-b", "desk-09", "business"), NOW)
    batch = [
        make_rating(
            "dev-a1" if i % 2 else "dev-a2",
            i // 2 + 1,
            1 + i % 5,  # 20% of each score: mean 3.0, share negative (1 and 2 of 5) 40%
            _at(i),
            "E1" if i % 4 < 2 else "E2",
            channel=_channel(i),
            answers=_answers(i),
        )
        for i in range(N)
    ]
    batch += [make_rating("dev-b1", k + 1, 5, _at(k * 50), "B7") for k in range(20)]  # site b: not a's
    store_batch(store, Batch(batch), NOW)
    yield store
    store.close()


@pytest.fixture(scope="module")
def tokens(store: Store) -> dict[str, str]:
    return {
        "admin": store.accounts.create_token("admin", "admin", [], NOW),
        "sup-a": store.accounts.create_token("sup-a", "supervisor", ["site-a"], NOW),
        "viewer-a": store.accounts.create_token("viewer-a", "viewer", ["site-a"], NOW),
        "ivr": store.accounts.create_token("ivr", "integration", ["site-a"], NOW),
    }


@pytest.fixture(scope="module")
def get(
    store: Store, tokens: dict[str, str], live_api: Callable[[Store], str]
) -> Iterator[Callable[..., httpx.Response]]:
    with httpx.Client(base_url=live_api(store), timeout=30) as client:

        def send(holder: str | None = "admin", path: str = "/api/v1/reports/period", **params: Any) -> httpx.Response:
            headers = {"Authorization": f"Bearer {tokens[holder]}"} if holder else {}
            return client.get(path, params=params, headers=headers)

        yield send


def test_a_year_of_site_a_gives_the_exact_shares(get: Callable[..., httpx.Response]) -> None:
    answer = get("sup-a", **{"from": "2025-01-01", "to": "2025-12-31"})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["from"], report["to"], report["count"], report["mean"]) == ("2025-01-01", "2025-12-31", N, 3.0)
    assert report["ci_low"] < 3.0 < report["ci_high"]
    assert report["share_negative"] == pytest.approx(0.4, abs=0.001)
    assert {k: v["count"] for k, v in report["by_channel"].items()} == {"desk": 800, "call": 100, "link": 100}
    questions = report["questions"]
    shares = {q: {o: v["share"] for o, v in options.items()} for q, options in questions.items()}
    assert shares["obstacles"] == pytest.approx({"yes": 0.3, "no": 0.7}, abs=0.001)
    assert shares["applicant"] == pytest.approx({"citizen": 0.5, "resident": 0.25, "company": 0.25}, abs=0.001)
    assert shares["ease"] == pytest.approx({str(s): 0.2 for s in range(1, 6)}, abs=0.001)
    assert questions["ease"]["3"]["count"] == 100
    assert questions["mystery"] == {"x": {"count": 10, "share": 1.0}}
    assert (report["visits"], report["calls"], report["response_rate"]) == (0, 0, None)  # none recorded
    sections = {s["section"]: s["count"] for s in report["by_section"]}
    assert sections == {"men-hall": 500, "women-hall": 500}
    assert all("name_ar" in s and "name_en" in s for s in report["by_section"])
    employees = {e["employee_id"]: e for e in report["by_employee"]}
    assert {k: e["n"] for k, e in employees.items()} == {"E1": 500, "E2": 500}
    assert sorted(e["rank"] for e in employees.values()) == [1, 2]
    assert all(e["ci_low"] <= e["mean"] <= e["ci_high"] and e["excluded"] == 0 for e in employees.values())
    assert all("name_ar" in e and "name_en" in e for e in employees.values())


def test_every_site_and_a_short_span_too_few_to_rank(get: Callable[..., httpx.Response]) -> None:
    everything = get(**{"from": "2025-01-01", "to": "2025-12-31"}).json()
    assert everything["count"] == N + 20
    only_b = get(site_id="site-b", **{"from": "2025-01-01", "to": "2025-12-31"}).json()
    assert (only_b["count"], only_b["mean"], only_b["questions"]) == (20, 5.0, {})
    assert [e["rank"] for e in only_b["by_employee"]] == [None]  # 20 ratings: shown with n, never ranked


def test_a_hijri_month_is_its_gregorian_first_and_last_day(get: Callable[..., httpx.Response]) -> None:
    report = get(hijri_month="1448-06").json()
    first, last = date.fromisoformat(report["from"]), date.fromisoformat(report["to"])
    for day, month in ((first, 6), (last, 6), (first - timedelta(days=1), 5), (last + timedelta(days=1), 7)):
        assert Gregorian(day.year, day.month, day.day).to_hijri().month == month, day
    assert (first.year, 29 <= (last - first).days + 1 <= 30) == (2026, True)
    assert report["hijri"]["month"] == "1448-06" and report["hijri"]["en"].endswith("1448")
    year = get(hijri_year=1446).json()
    assert Gregorian(*map(int, year["from"].split("-"))).to_hijri().datetuple() == (1446, 1, 1)
    after = date.fromisoformat(year["to"]) + timedelta(days=1)
    assert Gregorian(after.year, after.month, after.day).to_hijri().datetuple() == (1447, 1, 1)
    # Hijri 1446 runs from July 2024 to June 2025: the first half of the generated year.
    assert 0 < year["count"] < N + 20


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"from": "2025-01-01"},
        {"from": "2025-02-01", "to": "2025-01-01"},
        {"from": "2000-01-01", "to": "2020-01-01"},
        {"hijri_month": "1448-13"},
        {"hijri_month": "June"},
        {"hijri_year": 1600},
        {"hijri_year": 1448, "from": "2025-01-01", "to": "2025-01-02"},
    ],
)
def test_a_bad_or_missing_span_is_422_with_a_reason(get: Callable[..., httpx.Response], params: dict[str, Any]) -> None:
    answer = get(**params)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"]


def test_roles_and_sites(get: Callable[..., httpx.Response]) -> None:
    span = {"from": "2025-01-01", "to": "2025-01-31"}
    assert get("viewer-a", **span).status_code == 200
    assert get("viewer-a", site_id="site-b", **span).status_code == 403
    assert get("viewer-a", **span).json()["count"] == get("admin", site_id="site-a", **span).json()["count"]
    assert get("ivr", **span).status_code == 403
    assert get(None, **span).status_code == 401


def test_a_week_counts_and_means_as_its_daily_reports_summed(get: Callable[..., httpx.Response]) -> None:
    days = [date(2025, 3, 1) + timedelta(days=k) for k in range(7)]
    period = get(**{"from": days[0].isoformat(), "to": days[-1].isoformat()}).json()
    totals = [get(path="/api/v1/reports/daily", date=d.isoformat()).json()["totals"] for d in days]
    count = sum(t["count"] for t in totals)
    assert count == period["count"] > 0
    # The daily means are rounded to 2 places: sum their ratings' scores back from exact scores instead.
    exact = sum(t["mean"] * t["count"] for t in totals if t["count"]) / count
    assert period["mean"] == pytest.approx(exact, abs=0.01)
    assert period["share_negative"] == pytest.approx(sum(t["negatives"] for t in totals) / count, abs=0.0001)
