"""The daily report as JSON, CSV (one table per file) and .xlsx (docs/protocol.md: GET /api/v1/reports/daily)."""

from __future__ import annotations

from datetime import date as Date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from collector.access import Identity, IdentityDep, StoreDep, app_deps, check_day, checked_site
from collector.api.errors import documented
from collector.api.report_params import (
    XLSX,
    DayParam,
    FromParam,
    HijriMonthParam,
    HijriYearParam,
    LangParam,
    SiteFilter,
    ToParam,
    attachment,
    one_build_at_a_time,
)
from collector.people.employee_names import NameBook, name_report
from collector.reports.daily import build_daily, build_period, desk_reasons
from collector.reports.daily_exports import export_filename, export_tables, table_csv, tables_xlsx
from collector.reports.period import SpanError, span_of
from collector.store import Store

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=documented(401, 403, 422))

TableParam = Annotated[
    Literal[
        "by_employee",
        "by_desk",
        "by_section",
        "by_site",
        "by_channel",
        "by_language",
        "by_hour",
        "negatives",
        "reviewers",
    ],
    Query(description="which table of the report: one table per CSV file"),
]


def _daily(request: Request, store: Store, identity: Identity, day: Date | None, site_id: str | None) -> dict[str, Any]:
    return build_daily(store, app_deps(request).calendar, identity.site_scope(), day, site_id)


def _checked(identity: Identity, day: Date | None, site_id: str | None) -> str | None:
    site_id = checked_site(identity, site_id)
    check_day(day)
    return site_id


@router.get("/reports/daily", summary="A day's report per employee, desk, site, section and hour")
def daily(
    request: Request, store: StoreDep, identity: IdentityDep, date: DayParam = None, site_id: SiteFilter = None
) -> dict[str, Any]:
    site_id = _checked(identity, date, site_id)
    with one_build_at_a_time():
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
    with one_build_at_a_time():  # the report, its reasons and the text: a busy day's negatives are all held
        report, reasons = _named_report(request, store, identity, date, site_id, table)
        text = table_csv(export_tables(report, chosen, app_deps(request).calendar, reasons, [table])[0])
        filename = export_filename(report, chosen, table, "csv")
        del report, reasons
    return Response(text, media_type="text/csv; charset=utf-8", headers=attachment(filename))


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
    with one_build_at_a_time():
        report, reasons = _named_report(request, store, identity, date, site_id, "negatives")
        body = tables_xlsx(export_tables(report, chosen, app_deps(request).calendar, reasons), chosen)
        filename = export_filename(report, chosen, None, "xlsx")
        del report, reasons
    return Response(body, media_type=XLSX, headers=attachment(filename))


def _named_report(
    request: Request, store: Store, identity: Identity, day: Date | None, site_id: str | None, table: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The report with names as the pages show them, and the unreviewed negatives' desk reasons when needed."""
    report = name_report(store, _daily(request, store, identity, day, site_id), labels=True)
    wanted = [r["id"] for r in report["unreviewed_negatives"]] if table == "negatives" else []
    return report, desk_reasons(store, wanted) if wanted else {}


@router.get(
    "/reports/period",
    summary="Any span's report: a Hijri month or year, or from..to (local days)",
    description=(
        "`response_rate`, overall and inside each `by_channel` entry, is the share (0 to 1) of the visits and "
        "calls recorded in the span (POST /api/v1/visits) that got a rating naming their `visit_id`; "
        'null means nothing was recorded ("not recorded"), never 0.'
    ),
)
def period(
    request: Request,
    store: StoreDep,
    identity: IdentityDep,
    from_: FromParam = None,
    to: ToParam = None,
    hijri_month: HijriMonthParam = None,
    hijri_year: HijriYearParam = None,
    site_id: SiteFilter = None,
) -> dict[str, Any]:
    site_id = checked_site(identity, site_id)
    check_day(from_)
    check_day(to)
    try:
        span = span_of(from_, to, hijri_month, hijri_year)
    except SpanError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    with one_build_at_a_time():
        report = build_period(store, app_deps(request).calendar, identity.site_scope(), span, site_id)
    book = NameBook(store).load(r["employee_id"] for r in report["by_employee"])
    for row in report["by_employee"]:
        row["name_ar"], row["name_en"] = book.names(row["employee_id"])
    return report
