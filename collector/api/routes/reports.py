"""The daily report as JSON, CSV (one table per file) and .xlsx (docs/protocol.md: GET /api/v1/reports/daily)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date as Date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from collector.access import Identity, IdentityDep, StoreDep, check_day, checked_site
from collector.api.errors import documented
from collector.daily import build_daily, build_period, desk_reasons
from collector.employees import NameBook, name_report
from collector.exports import export_filename, export_tables, table_csv, tables_xlsx
from collector.period import SpanError, span_of
from collector.store import Store
from shared.contract import NAME_PATTERN

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=documented(401, 403, 422))

SiteFilter = Annotated[str | None, Query(pattern=NAME_PATTERN, description="one site; default every site you see")]
DayParam = Annotated[Date | None, Query(description="the centres' local day, YYYY-MM-DD; default today")]
LangParam = Annotated[
    Literal["ar", "en"] | None, Query(description="language of the headers, names, labels and dates; default yours")
]
TableParam = Annotated[
    Literal["by_employee", "by_desk", "by_section", "by_site", "by_channel", "by_language", "by_hour", "negatives"],
    Query(description="which table of the report: one table per CSV file"),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Building a day's report holds that day's ratings, about 1 kB each: eight exports of a day of
# 100,000 ratings built side by side took 890 MB (measured), one at a time about 110 MB. Each
# build is CPU work under one GIL, so taking turns costs the callers next to no time in all.
_REPORT_BUILDS = threading.BoundedSemaphore(1)
BUILD_WAIT_S = 120


@contextmanager
def _one_build_at_a_time() -> Iterator[None]:
    if not _REPORT_BUILDS.acquire(timeout=BUILD_WAIT_S):
        raise HTTPException(503, detail="the collector is busy building other reports; try again in a minute")
    try:
        yield
    finally:
        _REPORT_BUILDS.release()


def _daily(request: Request, store: Store, identity: Identity, day: Date | None, site_id: str | None) -> dict[str, Any]:
    return build_daily(store, request.app.state.calendar, identity.site_scope(), day, site_id)


def _checked(identity: Identity, day: Date | None, site_id: str | None) -> str | None:
    site_id = checked_site(identity, site_id)
    check_day(day)
    return site_id


@router.get("/reports/daily", summary="A day's report per employee, desk, site, section and hour")
def daily(
    request: Request, store: StoreDep, identity: IdentityDep, date: DayParam = None, site_id: SiteFilter = None
) -> dict[str, Any]:
    site_id = _checked(identity, date, site_id)
    with _one_build_at_a_time():
        return name_report(store, _daily(request, store, identity, date, site_id))


@router.get(
    "/reports/daily.csv",
    summary="One table of the same report as CSV (UTF-8 with BOM, opens in Excel)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def daily_csv(
    request: Request,
    store: StoreDep,
    identity: IdentityDep,
    date: DayParam = None,
    site_id: SiteFilter = None,
    lang: LangParam = None,
    table: TableParam = "by_employee",
) -> Response:
    site_id = _checked(identity, date, site_id)
    chosen = lang or identity.lang
    with _one_build_at_a_time():  # the report, its reasons and the text: a busy day's negatives are all held
        report, reasons = _named_report(request, store, identity, date, site_id, table)
        text = table_csv(export_tables(report, chosen, request.app.state.calendar, reasons, [table])[0])
        filename = export_filename(report, chosen, table, "csv")
        del report, reasons
    return Response(text, media_type="text/csv; charset=utf-8", headers=_attachment(filename))


@router.get(
    "/reports/daily.xlsx",
    summary="The same report as an Excel workbook: one sheet per table",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def daily_xlsx(
    request: Request,
    store: StoreDep,
    identity: IdentityDep,
    date: DayParam = None,
    site_id: SiteFilter = None,
    lang: LangParam = None,
) -> Response:
    site_id = _checked(identity, date, site_id)
    chosen = lang or identity.lang
    with _one_build_at_a_time():
        report, reasons = _named_report(request, store, identity, date, site_id, "negatives")
        body = tables_xlsx(export_tables(report, chosen, request.app.state.calendar, reasons), chosen)
        filename = export_filename(report, chosen, None, "xlsx")
        del report, reasons
    return Response(body, media_type=XLSX, headers=_attachment(filename))


def _named_report(
    request: Request, store: Store, identity: Identity, day: Date | None, site_id: str | None, table: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The report with names as the pages show them, and the unreviewed negatives' desk reasons when needed."""
    report = name_report(store, _daily(request, store, identity, day, site_id), labels=True)
    wanted = [r["id"] for r in report["unreviewed_negatives"]] if table == "negatives" else []
    return report, desk_reasons(store, wanted) if wanted else {}


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


@router.get("/reports/period", summary="Any span's report: a Hijri month or year, or from..to (local days)")
def period(
    request: Request,
    store: StoreDep,
    identity: IdentityDep,
    from_: Annotated[Date | None, Query(alias="from", description="first local day, YYYY-MM-DD (included)")] = None,
    to: Annotated[Date | None, Query(description="last local day, YYYY-MM-DD (included)")] = None,
    hijri_month: Annotated[str | None, Query(description="instead of from/to: a Hijri month, e.g. 1448-06")] = None,
    hijri_year: Annotated[int | None, Query(description="instead of from/to: a Hijri year, e.g. 1448")] = None,
    site_id: SiteFilter = None,
) -> dict[str, Any]:
    site_id = checked_site(identity, site_id)
    check_day(from_)
    check_day(to)
    try:
        span = span_of(from_, to, hijri_month, hijri_year)
    except SpanError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    with _one_build_at_a_time():
        report = build_period(store, request.app.state.calendar, identity.site_scope(), span, site_id)
    book = NameBook(store).load(r["employee_id"] for r in report["by_employee"])
    for row in report["by_employee"]:
        row["name_ar"], row["name_en"] = book.names(row["employee_id"])
    return report
