"""The causes report, "Why", as JSON, CSV (one table per file) and .xlsx.

docs/protocol.md: GET /api/v1/reports/causes.
"""

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
from collector.reports.causes import checked_span
from collector.reports.causes_build import RollupsElsewhere, UnknownSite, build_causes, known_site
from collector.reports.causes_exports import causes_filename, causes_tables
from collector.reports.daily_exports import table_csv, tables_xlsx
from collector.reports.period import SpanError, span_of
from collector.store import Store

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=documented(401, 403, 422))

CausesTableParam = Annotated[
    Literal["reasons", "causes", "actions", "effects", "by_section", "by_hour", "by_weekday", "by_channel",
            "by_employee"],
    Query(description="which table of the causes report: one table per CSV file"),
]  # fmt: skip
SpanArgs = tuple[Date | None, Date | None, str | None, int | None]


def causes_report(request: Request, store: Store, identity: Identity, span_args: SpanArgs, site_id: str | None) -> Any:
    """The report of the span asked for, each employee named; 422 with the reason on a bad span or site."""
    try:
        site_id = known_site(store, checked_site(identity, site_id))
    except UnknownSite as exc:
        raise HTTPException(422, detail=str(exc)) from None
    check_day(span_args[0])
    check_day(span_args[1])
    try:
        span = checked_span(span_of(*span_args))
    except SpanError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    calendar = app_deps(request).calendar
    try:
        with one_build_at_a_time():
            report = build_causes(store, calendar, span, (identity.site_scope(), site_id), calendar.today())
    except RollupsElsewhere as exc:
        raise HTTPException(422, detail=str(exc)) from None
    rows = report["by_employee"]["rows"]
    book = NameBook(store).load(r["employee_id"] for r in rows)
    for row in rows:
        row["name_ar"], row["name_en"] = book.names(row["employee_id"])
    return report


@router.get(
    "/reports/causes",
    summary="Why: the visitors' reasons and the reviewers' causes ranked, and whether the actions worked",
    description=(
        "`reasons`: each reason code on the span's negative ratings with `count`, `share` (of the negatives), the "
        "span of the same length before (`previous_count`, `previous_share`), `change` and `rising` (a pooled "
        "two-proportion z-test, p < 0.05, `p_value` null where too few to test). `causes` and `actions` are those "
        "of the reviews closed in the span; a `process_fix` or `coaching` carries `effects`, the rate in the 4 "
        "weeks before and after its closing with n and a 95% Wilson interval, and a `verdict`. `themes` is [] "
        "until comment themes are counted."
    ),
)
def causes(
    request: Request,
    store: StoreDep,
    identity: IdentityDep,
    from_: FromParam = None,
    to: ToParam = None,
    hijri_month: HijriMonthParam = None,
    hijri_year: HijriYearParam = None,
    site_id: SiteFilter = None,
) -> dict[str, Any]:
    return dict(causes_report(request, store, identity, (from_, to, hijri_month, hijri_year), site_id))


@router.get(
    "/reports/causes.csv",
    summary="One table of the causes report as CSV (UTF-8 with BOM, opens in Excel)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def causes_csv(
    request: Request,
    store: StoreDep,
    identity: IdentityDep,
    from_: FromParam = None,
    to: ToParam = None,
    hijri_month: HijriMonthParam = None,
    hijri_year: HijriYearParam = None,
    site_id: SiteFilter = None,
    lang: LangParam = None,
    table: CausesTableParam = "reasons",
) -> Response:
    chosen = lang or identity.lang
    report = causes_report(request, store, identity, (from_, to, hijri_month, hijri_year), site_id)
    text = table_csv(causes_tables(report, chosen, [table])[0])
    filename = causes_filename(report, chosen, table, "csv")
    return Response(text, media_type="text/csv; charset=utf-8", headers=attachment(filename))


@router.get(
    "/reports/causes.xlsx",
    summary="The causes report as an Excel workbook: one sheet per table",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def causes_xlsx(
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
    chosen = lang or identity.lang
    report = causes_report(request, store, identity, (from_, to, hijri_month, hijri_year), site_id)
    body = tables_xlsx(causes_tables(report, chosen), chosen)
    return Response(body, media_type=XLSX, headers=attachment(causes_filename(report, chosen, None, "xlsx")))
