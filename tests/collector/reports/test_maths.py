"""Report maths (pure) and GET /api/v1/reports/daily (+ CSV) over real HTTP."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from collector.reports.daily_exports import export_tables, table_csv
from collector.reports.maths import (
    Calendar,
    ReportError,
    daily_means,
    employee_table,
    hijri,
    mean_interval,
    summarize,
)
from collector.reviews.rules import closure_from
from collector.store import Store
from tests.support.two_sites_today import CALENDAR, seed
from tests.support.web_session import sign_in


def test_mean_interval_is_a_95_percent_t_interval_clipped_to_the_scale() -> None:
    assert mean_interval([]) == (None, None, None)
    assert mean_interval([4]) == (4.0, None, None)
    mean, low, high = mean_interval([3, 4, 4, 5, 4, 3, 4, 5, 4, 4])  # sd 2/3, df 9: t = 2.262
    assert mean == pytest.approx(4.0)
    half = 2.262 * (2 / 3) / 10**0.5
    assert (low, high) == (pytest.approx(4.0 - half), pytest.approx(4.0 + half))
    assert mean_interval([5, 5, 4, 5])[2] == 5.0
    assert mean_interval([1, 5])[1:] == (1.0, 5.0)


def test_the_day_is_the_centres_local_day() -> None:
    riyadh = Calendar.from_settings("Asia/Riyadh")
    assert riyadh.day_bounds(date(2026, 11, 28)) == ("2026-11-27T21:00:00.000Z", "2026-11-28T21:00:00.000Z")
    assert riyadh.today(datetime(2026, 11, 28, 22, 30, tzinfo=UTC)) == date(2026, 11, 29)
    assert riyadh.is_open(datetime(2026, 11, 29, 6, 0, tzinfo=UTC))  # Sunday 09:00 in Riyadh
    assert not riyadh.is_open(datetime(2026, 11, 27, 6, 0, tzinfo=UTC))  # Friday
    with pytest.raises(ReportError, match="IANA"):
        Calendar.from_settings("Mars/Olympus")
    with pytest.raises(ReportError, match="08:00-16:00"):
        Calendar.from_settings(open_hours="eight to four")


def test_hijri_dates_are_umm_al_qura() -> None:
    assert hijri(date(2026, 11, 28), "en") == "18 Jumada al-Akhirah 1448"
    assert hijri(date(2026, 11, 28), "ar") == "18 جمادى الآخرة 1448"
    assert hijri(date(1800, 1, 1)) == ""


def _row(score: int, at: str, employee: str = "E1") -> dict[str, object]:
    return {
        "id": at,
        "score": score,
        "negative": score <= 2,
        "created_at": at,
        "counted_at": at,
        "employee_id": employee,
    }


def test_no_one_is_ranked_below_the_minimum_n() -> None:
    rows = [_row(5, f"2026-11-28T06:{m:02d}:00.000Z", "E1") for m in range(30)]
    rows += [_row(1, f"2026-11-28T07:{m:02d}:00.000Z", "E2") for m in range(5)]
    table = employee_table(rows, date(2026, 11, 28), 30, CALENDAR, min_n=30)
    assert [(e["employee_id"], e["rank"]) for e in table["ranked"]] == [("E1", 1)]
    assert [(e["employee_id"], e["count"]) for e in table["too_few"]] == [("E2", 5)]
    assert "rank" not in table["too_few"][0]
    assert table["too_few"][0]["share_negative"] == 1.0
    assert len(table["ranked"][0]["trend"]) == 30


def test_daily_means_leave_days_without_ratings_empty() -> None:
    rows = [_row(4, "2026-11-28T06:00:00.000Z"), _row(2, "2026-11-28T07:00:00.000Z")]
    means = daily_means(rows, date(2026, 11, 28), 3, CALENDAR)
    assert [(d.isoformat(), m, n) for d, m, n in means] == [
        ("2026-11-26", None, 0),
        ("2026-11-27", None, 0),
        ("2026-11-28", 3.0, 2),
    ]
    assert summarize(rows) == {"count": 2, "mean": 3.0, "negatives": 1, "share_negative": 0.5, "open_reviews": 0}


# --- over HTTP ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store, dict]]:
    store = Store(tmp_path_factory.mktemp("reports") / "taqyeem.db")
    seeded = seed(store)
    yield live_api(store), store, seeded
    store.close()


def _headers(store: Store, role: str, sites: list[str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.accounts.create_token(role, role, sites, '2026-11-28T00:00:00.000Z')}"}


def test_the_daily_report_counts_means_and_shares(web: tuple[str, Store, dict]) -> None:
    base, store, seeded = web
    response = httpx.get(base + "/api/v1/reports/daily", headers=_headers(store, "viewer", ["*"]))
    assert response.status_code == 200, response.text
    report = response.json()
    everything = seeded["a1"] + seeded["a2"] + seeded["b1"]
    assert report["date"] == CALENDAR.today().isoformat()
    assert report["totals"]["count"] == len(everything)
    assert report["totals"]["mean"] == round(sum(everything) / len(everything), 2)
    assert report["totals"]["negatives"] == sum(1 for s in everything if s <= 2)
    assert report["distribution"] == [everything.count(s) for s in range(1, 6)]
    desks = {(d["site_id"], d["desk_id"]): d for d in report["by_desk"]}
    assert desks[("site-a", "desk-01")]["count"] == len(seeded["a1"])
    assert desks[("site-a", "desk-01")]["mean"] == round(sum(seeded["a1"]) / len(seeded["a1"]), 2)
    assert {s["section"] for s in report["by_section"]} == {"men-hall", "women-hall", "business"}
    assert {s["site_id"]: s["count"] for s in report["by_site"]} == {
        "site-a": len(seeded["a1"] + seeded["a2"]),
        "site-b": len(seeded["b1"]),
    }
    assert sum(h["count"] for h in report["by_hour"]) == len(everything)
    assert report["reviews"]["opened"] == report["totals"]["negatives"]
    assert len(report["unreviewed_negatives"]) == report["totals"]["open_reviews"] == report["totals"]["negatives"]
    assert report["hijri"]["ar"] and report["hijri"]["en"]


def test_a_site_viewer_gets_only_its_site(web: tuple[str, Store, dict]) -> None:
    base, store, seeded = web
    headers = _headers(store, "viewer", ["site-a"])
    report = httpx.get(base + "/api/v1/reports/daily", headers=headers).json()
    assert report["totals"]["count"] == len(seeded["a1"] + seeded["a2"])
    assert {s["site_id"] for s in report["by_site"]} == {"site-a"}
    refused = httpx.get(base + "/api/v1/reports/daily", params={"site_id": "site-b"}, headers=headers)
    assert refused.status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"date": "28/11/2026"},
        {"date": "2026-02-30"},
        {"date": "0001-01-01"},
        {"site_id": "Site A"},
        {"site_id": "x' OR '1'='1"},
        {"date": "9999-12-31"},
    ],
)
def test_bad_report_input_is_422(web: tuple[str, Store, dict], params: dict[str, str]) -> None:
    base, store, _ = web
    response = httpx.get(base + "/api/v1/reports/daily", params=params, headers=_headers(store, "admin", []))
    assert response.status_code == 422
    assert response.json()["detail"]


def test_an_empty_day_is_an_empty_report(web: tuple[str, Store, dict]) -> None:
    base, store, _ = web
    report = httpx.get(
        base + "/api/v1/reports/daily", params={"date": "2020-01-01"}, headers=_headers(store, "admin", [])
    ).json()
    assert report["totals"] == {"count": 0, "mean": None, "negatives": 0, "share_negative": None, "open_reviews": 0}


def test_csv_export_opens_in_a_spreadsheet_and_defuses_formulas(web: tuple[str, Store, dict]) -> None:
    base, store, seeded = web
    response = httpx.get(
        base + "/api/v1/reports/daily.csv",
        params={"site_id": "site-a", "table": "by_site", "lang": "en"},
        headers=_headers(store, "viewer", ["site-a"]),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [int(r["Count"]) for r in rows] == [len(seeded["a1"] + seeded["a2"])]
    report = {
        "date": "2026-11-28",
        "site_id": None,
        "by_desk": [],
        "by_employee": [
            {
                "employee_id": '=HYPERLINK("http://evil")',
                "count": 1,
                "mean": 1,
                "negatives": 1,
                "share_negative": 1,
                "open_reviews": 1,
                "ci_low": None,
                "ci_high": None,
                "excluded": 0,
                "excluded_causes": {},
            }
        ],
    }
    (table,) = export_tables(report, "en", CALENDAR, tables=["by_employee"])
    assert "'=HYPERLINK" in table_csv(table)


def test_the_report_page_shows_both_calendars_and_changes_after_a_closure(
    tmp_path: Path, live_api: Callable[..., str]
) -> None:
    store = Store(tmp_path / "taqyeem.db")  # its own: closing a review would change the module's shared report
    seed(store)
    base = live_api(store)
    with sign_in(base, "sup-a") as client:
        page = client.get("/reports")
        assert page.status_code == 200
        assert hijri(CALENDAR.today(), "ar") in page.text
        assert "<svg" in page.text and "<script" not in page.text.split("</head>")[1]
        before = client.get("/api/v1/reports/daily").json()["reviews"]["closed"]
        rating_id = next(i["rating"]["id"] for i in store.reviews.all(status="open", sites=["site-a"]))
        store.reviews.close(
            rating_id,
            "sup-a",
            closure_from("other", "coaching", "n").as_dict(),
            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        )
        after = client.get("/api/v1/reports/daily").json()["reviews"]["closed"]
        assert after == before + 1
        assert client.get("/reports", params={"date": "2026-13-01"}).status_code == 422
