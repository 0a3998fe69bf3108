"""The period report page, the "Centre in figures" sheet and the period's CSV and .xlsx over real HTTP,
against a generated year of ratings with known shares (tests/support/year_of_ratings.py)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import openpyxl
import pytest

from collector.store import Store
from tests.support.html_tree import parse
from tests.support.two_sites_today import CALENDAR
from tests.support.web_session import sign_in
from tests.support.year_of_ratings import EXPECTED, N, at, seed_year

YEAR = {"kind": "year", "day": "2025-06-15"}
SHEETS = {
    "ar": ["الملخص", "حسب القناة", "حسب القسم", "حسب الموظف", "أسئلة الاستبيان", "المراجعون"],
    "en": ["Summary", "By channel", "By section", "By employee", "Survey questions", "Reviewers"],
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[[Store], str]) -> Iterator[str]:
    store = Store(tmp_path_factory.mktemp("period-pages") / "taqyeem.db")
    seed_year(store)
    yield live_api(store)
    store.close()


def percent(html: str, pattern: str) -> float:
    """The first percentage after ``pattern`` (a regex) in the page, as a number of points."""
    match = re.search(pattern + r".*?([\d.]+)%", html, re.S)
    assert match, pattern
    return float(match.group(1))


def test_the_year_page_shows_the_known_figures_in_both_languages(base: str) -> None:
    for name in ("sup-a", "sup-b"):
        with sign_in(base, name) as client:
            page = client.get("/reports/period", params=YEAR)
            assert page.status_code == 200
            html = page.text
            if name == "sup-b":  # site-b's reader sees site-b alone, in English (their language)
                assert '<html lang="en" dir="ltr">' in html
                assert re.search(r'id="p-count">40<', html) and "Period report" in html
                continue
            assert '<html lang="ar" dir="rtl">' in html and "تقرير فترة" in html
            assert re.search(rf'id="p-count">{N}<', html)
            assert re.search(r'id="p-mean" dir="ltr">4.40<', html)
            assert percent(html, 'id="p-negative"') == pytest.approx(100 * EXPECTED["share_negative"], abs=0.1)
            for code, share in {"no": EXPECTED["no_obstacle"], **EXPECTED["applicants"]}.items():
                assert percent(html, f'data-option="{code}"') == pytest.approx(100 * share, abs=0.1), code
            assert "لم يواجهوا" not in html and "هل واجهت أي عائق في تقديم طلبك؟" in html  # the question's own text
            # no visit or call recorded in this year: 0 of each, and no response rate to give
            assert re.search(r'id="p-visits"><bdi dir="ltr">0<', html) and re.search(
                r'id="p-calls"><bdi dir="ltr">0<', html
            )
            tree = parse(html)
            assert tree.by_id("p-response").text() == "غير مسجّل"  # none recorded: no rate, never 0%
            channels = tree.by_id("p-by-channel").find_all("tr", data_channel=None)
            assert [r.attrs["data-channel"] for r in channels] == ["desk", "call", "link"]
            for row in channels:
                recorded, rate = row.find("td", class_="num recorded"), row.find("td", class_="num response")
                assert (recorded.text(), rate.text()) == ("غير مسجّل", "غير مسجّل")
            rows = {e: _row(html, e) for e in ("E1", "E2", "E3")}  # E1's 667 less one not held against them
            assert "n = 666<" in rows["E1"] and "تعطل الأنظمة" in rows["E1"] and "تعطل الأنظمة" not in rows["E2"]
            assert "n = 667<" in rows["E2"] and "n = 666<" in rows["E3"]
            assert html.index('data-question="obstacles"') < html.index('data-question="applicant"')  # survey order
            assert 'data-channel="call"' in html and "مكالمة هاتفية" in html
            assert "2025-01-01 – 2025-12-31" in html
            assert client.get("/reports/period", params={**YEAR, "site_id": "site-b"}).status_code == 403


def test_the_figures_sheet_gives_each_share_to_a_tenth_of_a_point(base: str) -> None:
    with sign_in(base, "sup-a") as client:
        for lang in ("ar", "en"):
            client.cookies.set("taqyeem_lang", lang)
            html = client.get("/reports/figures", params=YEAR).text
            assert f'<html lang="{lang}"' in html
            assert re.search(r'id="f-satisfaction".*?4\.4<small>/5', html, re.S)
            assert re.search(rf'id="f-satisfaction".*?<bdi dir="ltr">n = {N}<', html, re.S)
            assert percent(html, 'id="f-no-obstacle"') == pytest.approx(100 * EXPECTED["no_obstacle"], abs=0.1)
            for code, share in EXPECTED["applicants"].items():
                assert percent(html, f'data-code="{code}"') == pytest.approx(100 * share, abs=0.1), code
            for section, share in EXPECTED["halls"].items():
                assert percent(html, f'data-section="{section}"') == pytest.approx(100 * share, abs=0.1), section
            for channel, share in EXPECTED["channels"].items():
                assert percent(html, f'data-channel="{channel}"') == pytest.approx(100 * share, abs=0.1), channel
            assert ("قاعة الرجال" if lang == "ar" else "Men&#39;s hall") in html
            assert ("مواطن" if lang == "ar" else "A citizen") in html
            # visits and calls are 0 here; no response rate without them
            assert html.count("غير مسجّل" if lang == "ar" else "not recorded") == 1


def test_a_hijri_month_is_reported_within_its_umm_al_qura_bounds(base: str) -> None:
    ramadan = {"kind": "hijri_month", "hijri_year": "1446", "hijri_month": "9"}
    in_ramadan = sum(1 for t in _times() if date(2025, 3, 1) <= t.date() <= date(2025, 3, 29))
    with sign_in(base, "sup-a") as client:
        html = client.get("/reports/period", params=ramadan).text
        assert "2025-03-01 – 2025-03-29" in html and "رمضان 1446" in html
        assert re.search(rf'id="p-count">{in_ramadan}<', html)
        year = client.get("/reports/figures", params={"kind": "hijri_year", "hijri_year": "1446"}).text
        assert "2024-07-07 – 2025-06-25" in year and "1446 هـ" in year
        wrong = client.get("/reports/period", params={"kind": "custom", "from": "2025-02-01", "to": "2025-01-01"})
        assert wrong.status_code == 200 and "تعذّر فهم الفترة" in wrong.text  # this month instead, and why


def test_what_the_form_sends_is_a_page_never_json_even_empty_or_wrong(base: str) -> None:
    with sign_in(base, "admin") as client:  # the admin's form has the site list: "all sites" sends site_id=
        sent = {"kind": "hijri_month", "day": "", "hijri_year": "", "hijri_month": "9", "from": "", "to": "",
                "site_id": ""}  # fmt: skip
        for path in ("/reports/period", "/reports/figures"):
            page = client.get(path, params=sent)
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
            assert 'id="pick-error"' not in page.text and "رمضان" in page.text  # this Hijri year's Ramadan
            page = client.get(path, params={**sent, "kind": ""})  # no kind: a month, as the form starts
            assert 'id="pick-error"' not in page.text and 'value="month" selected' in page.text
            for wrong, words in (
                ({"hijri_year": "abc"}, "السنة الهجرية"),
                ({"site_id": "Not A Site"}, "تعذّر فهم المركز المطلوب، فهذه كل مراكزك"),
                ({"kind": "fortnight"}, "ليس نوع فترة"),
            ):
                page = client.get(path, params={**sent, **wrong})
                assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
                error = re.search(r'id="pick-error">(.*?)</p>', page.text, re.S)
                assert error and words in error.group(1), (wrong, page.text[:300])
        page = client.get("/reports/period", params={**sent, "hijri_year": "<b>x</b>"})
        assert "&lt;b&gt;x&lt;/b&gt;" in page.text and "<b>x</b>" not in page.text  # repeated, escaped


def _times() -> list[Any]:
    return [at(i).astimezone(CALENDAR.zone) for i in range(N)]


def _row(html: str, employee: str) -> str:
    match = re.search(rf'data-employee="{employee}">(.*?)</tr>', html, re.S)
    assert match, employee
    return match.group(1)


def _filename(headers: Any) -> str:
    match = re.search(r'filename="([^"]+)"', headers["content-disposition"])
    assert match
    return match.group(1)


def test_the_period_csv_and_workbook_read_back_in_both_languages(base: str) -> None:
    with sign_in(base, "sup-a") as client:
        page = client.get("/reports/period", params=YEAR).text
        links = re.findall(r'href="(/api/v1/reports/period\.[a-z]+\?[^"]+)"', page)
        assert len(links) == 2 * 7  # per language: the workbook and six tables (1.2: the reviewers)
        names = set()
        for lang in ("ar", "en"):
            got = client.get(f"/api/v1/reports/period.csv?from=2025-01-01&to=2025-12-31&lang={lang}&table=questions")
            assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
            filename = _filename(got.headers)
            names.add(filename)
            assert filename == f"taqyeem-period-2025-01-01-2025-12-31-questions-{lang}.csv"
            rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
            header, body = rows[0], rows[1:]
            assert header[0] == ("من يوم" if lang == "ar" else "From")
            assert all(len(r) == len(header) for r in body)
            option = {r[header.index("رمز الخيار" if lang == "ar" else "Option code")]: r for r in body}
            share = header.index("النسبة" if lang == "ar" else "Share")
            assert float(option["no"][share]) == pytest.approx(EXPECTED["no_obstacle"], abs=0.001)
            assert option["company"][header.index("الخيار" if lang == "ar" else "Option")] == (
                "شركة أو مؤسسة" if lang == "ar" else "A company or institution"
            )
            book_answer = client.get(f"/api/v1/reports/period.xlsx?hijri_year=1446&lang={lang}")
            assert book_answer.status_code == 200
            names.add(_filename(book_answer.headers))
            assert _filename(book_answer.headers) == f"taqyeem-period-hijri-1446-{lang}.xlsx"
            book = openpyxl.load_workbook(io.BytesIO(book_answer.content))
            assert book.sheetnames == SHEETS[lang]
            summary = list(book.worksheets[0].values)
            assert (summary[1][0].date(), summary[1][1].date()) == (date(2024, 7, 7), date(2025, 6, 25))
            assert summary[1][2] == ("1446 هـ" if lang == "ar" else "1446 AH")
            nothing = "غير مسجّل" if lang == "ar" else "not recorded"
            assert summary[1][-3:] == (0, 0, nothing)  # visits, calls, and no rate without either
            assert {r[-1] for r in list(book.worksheets[1].values)[1:]} == {nothing}  # per channel too
            channels = {r[3]: r[4] for r in list(book.worksheets[1].values)[1:]}
            assert set(channels) == ({"المكتب", "مكالمة", "رابط"} if lang == "ar" else {"Desk", "Call", "Link"})
            assert book.worksheets[0].sheet_view.rightToLeft is (lang == "ar")
        assert len(names) == 4  # each language, each file its own name
        got = client.get("/api/v1/reports/period.csv?from=2025-01-01&to=2025-12-31&lang=en&table=by_employee")
        rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
        first = next(r for r in rows if r["Employee id"] == "E1")
        excluded = (first["Count"], first["Excluded from their mean"], first["Why excluded"])
        assert excluded == ("666", "1", "System outage")
        assert client.get("/api/v1/reports/period.csv?from=2025-01-01&to=2025-12-31&site_id=site-b").status_code == 403
        assert client.get("/api/v1/reports/period.csv?hijri_month=1446-13").status_code == 422
