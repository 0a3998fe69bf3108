"""The period report as CSV (one table per file) and .xlsx (docs/protocol.md: GET /api/v1/reports/period)."""

from __future__ import annotations

from datetime import date as Date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from collector.access import Identity, IdentityDep, StoreDep, app_deps, check_day, checked_site
from collector.api.errors import documented
from collector.api.report_params import (
    XLSX,
    FromParam,
    HijriMonthParam,
    HijriYearParam,
    LangParam,
    SiteFilter,
    ToParam,
    attachment,
    one_build_at_a_time,
)
from collector.people.employee_names import NameBook
from collector.reports.daily import build_period, survey_questions
from collector.reports.daily_exports import table_csv, tables_xlsx
from collector.reports.period import SpanError, span_of
from collector.reports.period_exports import period_filename, period_tables
from collector.store import Store

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=documented(401, 403, 422))

PeriodTableParam = Annotated[
    Literal["summary", "by_channel", "by_section", "by_employee", "questions", "reviewers"],
    Query(description="which table of the period report: one table per CSV file"),
]


def named_period(
    request: Request,
    store: Store,
    identity: Identity,
    span_args: tuple[Date | None, Date | None, str | None, int | None],
    site_id: str | None,
) -> dict[str, Any]:
    """The period report of the span asked for, each employee with ``name_ar`` and ``name_en``; 422 on a bad span."""
    check_day(span_args[0])
    check_day(span_args[1])
    try:
        span = span_of(*span_args)
    except SpanError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    with one_build_at_a_time():
        report = build_period(store, app_deps(request).calendar, identity.site_scope(), span, site_id)
    book = NameBook(store).load(r["employee_id"] for r in report["by_employee"])
    for row in report["by_employee"]:
        row["name_ar"], row["name_en"] = book.names(row["employee_id"])
    return report


@router.get(
    "/reports/period.csv",
    summary="One table of the period report as CSV (UTF-8 with BOM, opens in Excel)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def period_csv(
    request: Request,
    store: StoreDep,
    identity: IdentityDep,
    from_: FromParam = None,
    to: ToParam = None,
    hijri_month: HijriMonthParam = None,
    hijri_year: HijriYearParam = None,
    site_id: SiteFilter = None,
    lang: LangParam = None,
    table: PeriodTableParam = "summary",
) -> Response:
    site_id = checked_site(identity, site_id)
    chosen = lang or identity.lang
    report = named_period(request, store, identity, (from_, to, hijri_month, hijri_year), site_id)
    questions = survey_questions(store, identity.site_scope())
    text = table_csv(period_tables(report, chosen, questions, [table])[0])
    return Response(
        text, media_type="text/csv; charset=utf-8", headers=attachment(period_filename(report, chosen, table, "csv"))
    )


@router.get(
    "/reports/period.xlsx",
    summary="The period report as an Excel workbook: one sheet per table",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def period_xlsx(
    request: Request,
    store: StoreDep,
    identity: IdentityDep,
    from_: FromParam = None,
    to: ToParam = None,
    hijri_month: HijriMonthParam = None,
    hijri_year: HijriYearParam = None,
    site_id: SiteFilter = None,
    lang: LangParam = None,
) -> Response:
    site_id = checked_site(identity, site_id)
    chosen = lang or identity.lang
    report = named_period(request, store, identity, (from_, to, hijri_month, hijri_year), site_id)
    body = tables_xlsx(period_tables(report, chosen, survey_questions(store, identity.site_scope())), chosen)
    return Response(body, media_type=XLSX, headers=attachment(period_filename(report, chosen, None, "xlsx")))
