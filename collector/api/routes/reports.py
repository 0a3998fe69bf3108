"""The daily report as JSON and CSV (docs/protocol.md: GET /api/v1/reports/daily)."""

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
from collector.daily import build_daily, desk_reasons
from collector.employees import name_report
from collector.reports import report_csv
from collector.store import Store
from shared.contract import NAME_PATTERN

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=documented(401, 403, 422))

SiteFilter = Annotated[str | None, Query(pattern=NAME_PATTERN, description="one site; default every site you see")]
DayParam = Annotated[Date | None, Query(description="the centres' local day, YYYY-MM-DD; default today")]
LangParam = Annotated[Literal["ar", "en"] | None, Query(description="language of the CSV's name column; default yours")]


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
    summary="The same report as CSV (UTF-8, opens in Excel)",
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
) -> Response:
    site_id = _checked(identity, date, site_id)
    with _one_build_at_a_time():  # the report, its reasons and the text: a busy day's negatives are all held
        report = name_report(store, _daily(request, store, identity, date, site_id), labels=True)
        reasons = desk_reasons(store, [r["id"] for r in report["unreviewed_negatives"]])
        text = report_csv(report, lang or identity.lang, reasons)
        filename = f"taqyeem-{report['date']}-{site_id or 'all'}.csv"
        del report, reasons
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
