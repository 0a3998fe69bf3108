"""The sign-in log page: who signed in and out at which desk, and when (contract 1.1, Presence)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from collector.access import StoreDep, check_day, checked_site
from collector.reports.maths import hijri
from collector.web.places import SiteQuery, desk_names, visible_sites
from collector.web.query_values import DayQuery, NameQuery
from collector.web.render import PageIdentity, allow, calendar_of, page_lang, render

router = APIRouter(include_in_schema=False)

SHOWN = 500  # rows on the page; the API (GET /api/v1/presence) reads further


@router.get("/presence")
def presence_page(
    request: Request,
    store: StoreDep,
    identity: PageIdentity,
    site_id: SiteQuery = None,
    device_id: NameQuery = None,
    employee_id: Annotated[str | None, Query(max_length=64)] = None,
    date: DayQuery = None,
) -> Response:
    allow(identity, "admin", "supervisor", "viewer")
    site_id = checked_site(identity, site_id)
    check_day(date)
    since = until = None
    if date is not None:  # the centres' local day, by the tablets' clocks
        since, until = calendar_of(request).day_bounds(date)
    lang = page_lang(request, identity)
    rows = store.presence.log(
        site_id=site_id,
        device_id=device_id or None,
        employee_id=employee_id or None,
        since=since,
        until=until,
        sites=identity.site_scope(),
        limit=SHOWN,
    )
    return render(
        request,
        "presence.html",
        identity,
        rows=rows,
        site_id=site_id,
        device_id=device_id or "",
        employee_id=employee_id or "",
        date=date,
        hijri_day=hijri(date, lang) if date else "",
        sites=visible_sites(store, identity),
        desks=desk_names(store, identity, lang),
        shown=SHOWN,
    )
