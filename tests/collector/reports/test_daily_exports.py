"""The daily report for a spreadsheet: tidy CSV tables and an .xlsx workbook, read back as a spreadsheet would."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import openpyxl
import pytest

from collector.reports.daily_exports import (
    COLUMNS,
    HEADERS,
    TABLES,
    TITLES,
    export_filename,
    export_tables,
    table_csv,
    tables_xlsx,
)
from collector.reports.maths import hijri
from collector.store import Store
from tests.support.two_sites_today import CALENDAR, seed

AR_HEADERS = {key: pair[0] for key, pair in HEADERS.items()}
EN_HEADERS = {key: pair[1] for key, pair in HEADERS.items()}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store, dict]]:
    store = Store(tmp_path_factory.mktemp("exports") / "taqyeem.db")
    e1 = {"employee_id": "E1", "name_ar": "نورة", "name_en": "Noura", "site_id": "site-a", "section_id": None}
    store.employees.save(  # E1 is in the registry; E2, E3 and B7 are not
        [{**e1, "active": True}],
        "test",
        "2026-11-01T00:00:00.000Z",
    )
    seeded = seed(store)
    yield live_api(store), store, seeded
    store.close()


def _get(web: tuple[str, Store, dict], path: str, **params: str) -> httpx.Response:
    base, store, _ = web
    token = store.accounts.create_token("admin", "admin", [], "2026-11-28T00:00:00.000Z")
    response = httpx.get(base + path, params=params, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert response.status_code == 200, response.text
    return response


def _rows(response: httpx.Response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())  # UTF-8 with BOM: Excel reads Arabic right
    text = response.content.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")  # CRLF lines only
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("table", TABLES)
def test_each_csv_is_one_tidy_table_headed_in_its_language(web: tuple[str, Store, dict], table: str, lang: str) -> None:
    response = _get(web, "/api/v1/reports/daily.csv", lang=lang, table=table)
    rows = _rows(response)
    names = AR_HEADERS if lang == "ar" else EN_HEADERS
    assert rows[0] == [names[c] for c in COLUMNS[table]]  # the header first: no metadata line above it
    assert len(rows) > 1 and all(len(row) == len(rows[0]) for row in rows)
    today = CALENDAR.today()
    assert {(row[0], row[1]) for row in rows[1:]} == {(today.isoformat(), hijri(today, lang))}
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="taqyeem-daily-{today}-{table.replace("_", "-")}-{lang}.csv"'


def test_the_arabic_csv_names_employees_and_reasons_in_local_time(web: tuple[str, Store, dict]) -> None:
    _, _, seeded = web
    employees = {r[2]: r for r in _rows(_get(web, "/api/v1/reports/daily.csv", lang="ar"))[1:]}
    assert employees["E1"][3] == "نورة" and employees["E2"][3] == "موظف غير معروف (E2)"
    assert employees["E1"][4] == str(sum(1 for r in seeded["ratings"] if r.employee_id == "E1"))  # n

    header, *negatives = _rows(_get(web, "/api/v1/reports/daily.csv", lang="ar", table="negatives"))
    by_id = {row[header.index("رقم التقييم")]: dict(zip(header, row, strict=True)) for row in negatives}
    first = next(r for r in seeded["ratings"] if r.score <= 2 and r.device_id == "dev-a1")
    row = by_id[first.id]
    assert row["الوقت"] == CALENDAR.local(first.created_at).strftime("%Y-%m-%d %H:%M")  # local, not UTC
    assert row["الأسباب"] == "وقت الانتظار" and row["رموز الأسباب"] == "waiting_time"
    assert row["الموظف"] == "موظف غير معروف (E2)" and row["المكتب"] == "مكتب 01"

    hours = _rows(_get(web, "/api/v1/reports/daily.csv", lang="en", table="by_hour"))[1:]
    assert [h[2] for h in hours] == sorted({CALENDAR.local(r.created_at).strftime("%H:00") for r in seeded["ratings"]})


def test_one_site_is_in_the_file_name(web: tuple[str, Store, dict]) -> None:
    response = _get(web, "/api/v1/reports/daily.csv", site_id="site-a", lang="en", table="by_desk")
    assert f"taqyeem-daily-{CALENDAR.today()}-site-a-by-desk-en.csv" in response.headers["content-disposition"]
    assert {row[2] for row in _rows(response)[1:]} == {"site-a"}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_workbook_has_a_sheet_per_table_in_its_language_with_numbers_as_numbers(
    web: tuple[str, Store, dict], lang: str
) -> None:
    response = _get(web, "/api/v1/reports/daily.xlsx", lang=lang)
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f'filename="taqyeem-daily-{CALENDAR.today()}-{lang}.xlsx"' in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    i = 0 if lang == "ar" else 1
    assert book.sheetnames == [TITLES[t][i] for t in TABLES]
    names = AR_HEADERS if lang == "ar" else EN_HEADERS
    for table in TABLES:
        sheet = book[TITLES[table][i]]
        assert bool(sheet.sheet_view.rightToLeft) is (lang == "ar")
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [names[c] for c in COLUMNS[table]]
        assert len(rows) > 1
    by_employee = list(book[TITLES["by_employee"][i]].iter_rows(values_only=True))
    e1 = dict(zip(by_employee[0], next(r for r in by_employee if r[2] == "E1"), strict=True))
    assert isinstance(e1[names["count"]], int) and isinstance(e1[names["mean"]], float)
    assert isinstance(e1[names["date"]], datetime) and e1[names["date"]].date() == CALENDAR.today()
    share = book[TITLES["by_employee"][i]].cell(2, COLUMNS["by_employee"].index("share_negative") + 1)
    assert isinstance(share.value, float) and share.number_format == "0.0%"
    negatives = list(book[TITLES["negatives"][i]].iter_rows(values_only=True))
    assert all(isinstance(row[2], datetime) for row in negatives[1:])  # local times as spreadsheet dates


def test_text_that_looks_like_a_formula_stays_text() -> None:
    report: dict[str, Any] = {
        "date": "2026-11-28",
        "site_id": None,
        "by_desk": [],
        "by_employee": [
            {
                "employee_id": '=HYPERLINK("http://evil")',
                "name_ar": "-1+1",
                "count": 1,
                "mean": 1.0,
                "negatives": 1,
                "share_negative": 1.0,
                "open_reviews": 1,
                "ci_low": None,
                "ci_high": None,
                "excluded": 0,
                "excluded_causes": {},
            }
        ],
    }
    (table,) = export_tables(report, "ar", CALENDAR, tables=["by_employee"])
    row = list(csv.reader(io.StringIO(table_csv(table).lstrip("\ufeff"))))[1]
    assert row[2:4] == ['\'=HYPERLINK("http://evil")', "'-1+1"]
    sheet = openpyxl.load_workbook(io.BytesIO(tables_xlsx([table], "ar"))).active
    assert sheet.cell(2, 3).value == '=HYPERLINK("http://evil")' and sheet.cell(2, 3).data_type == "s"
    assert export_filename(report, "ar", "by_employee", "csv") == "taqyeem-daily-2026-11-28-by-employee-ar.csv"
