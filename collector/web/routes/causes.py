"""The Why page (/reports/causes): the visitors' reasons and the reviewers' causes of a span, and the actions' effect.

The span is picked with the period pages' form (collector/reports/period_choice.py, read as the
period page reads it: collector/web/routes/period.py); the report is the API's
(collector/reports/causes_build.py). What cannot be read (a span over ten years, a site the
collector does not know, rollups built for another timezone) is shown as a message above this
month's report, never a 500.
"""

from __future__ import annotations

from datetime import date as Date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from collector.access import StoreDep
from collector.people.employee_names import NameBook
from collector.reports.action_effect import MAX_CHECKED
from collector.reports.causes import MAX_DAYS, MIN_N_TO_TEST, checked_span
from collector.reports.causes_build import RollupsElsewhere, UnknownSite, build_causes, known_site
from collector.reports.causes_exports import CAUSES_TABLES, TITLES
from collector.reports.daily import launch_day
from collector.reports.period import Span, SpanError
from collector.reports.period_choice import Choice, ChoiceError, chosen_span, span_query
from collector.store import Store
from collector.web.places import visible_sites
from collector.web.render import PageIdentity, calendar_of, page_lang, render
from collector.web.routes.period import (
    PickDep,
    _api_query,
    _as_choice_error,
    _picker,
    _read_pick,
    isolated,
    pick_message,
)

router = APIRouter(include_in_schema=False)


def causes_downloads(span: Span, site_id: str | None, lang: str) -> list[dict[str, Any]]:
    """The report's files in both languages, the page's first: the workbook, and one CSV per table."""
    query, api = _api_query(span, site_id), "/api/v1/reports/causes"
    return [
        {"lang": chosen, "xlsx": f"{api}.xlsx?{query}&lang={chosen}",
         "csv": [(TITLES[t][chosen == "en"], f"{api}.csv?{query}&lang={chosen}&table={t}") for t in CAUSES_TABLES]}
        for chosen in sorted(("ar", "en"), key=lambda one: one != lang)
    ]  # fmt: skip


def _span(store: Store, identity: Any, choice: Choice, site_id: str | None, today: Date) -> tuple[Choice, Span, Any]:
    """The span picked, or this month with the reason it could not be read."""
    month = Choice("month")
    try:
        span = chosen_span(choice, today, launch_day(store, identity.site_scope(), site_id))
    except SpanError as exc:
        return month, chosen_span(month, today, None), _as_choice_error(exc)
    try:
        return choice, checked_span(span), None
    except SpanError as exc:
        return month, chosen_span(month, today, None), ChoiceError("why_too_long", str(exc), most=MAX_DAYS)


@router.get("/reports/causes")
def causes_page(request: Request, store: StoreDep, identity: PageIdentity, pick: PickDep) -> Response:
    lang = page_lang(request, identity)
    calendar = calendar_of(request)
    choice, site_id, error = _read_pick(identity, pick)
    lead = "bad_site" if error is not None and error.key == "pick_site" else "bad_span"
    try:
        site_id = known_site(store, site_id)
    except UnknownSite as exc:
        error, lead = ChoiceError("why_unknown_site", str(exc), site=site_id), "bad_site"
        site_id = None
    choice, span, span_error = _span(store, identity, choice, site_id, calendar.today())
    error = error or span_error
    report, message = None, None
    try:
        report = build_causes(store, calendar, span, (identity.site_scope(), site_id), calendar.today())
    except RollupsElsewhere:
        message = isolated("why_rollups_elsewhere", lang, zone=store.rollups.zone(), wanted=calendar.zone.key)
    rows = report["by_employee"]["rows"] if report else []
    return render(
        request,
        "causes.html",
        identity,
        report=report,
        rollups_message=message,
        choice=choice,
        picker=_picker(choice, span, lang, calendar.today()),
        span=span,
        error=None if error is None else pick_message(error, lang),
        error_lead=lead,
        query=span_query(choice, span) + (f"&site_id={site_id}" if site_id else ""),
        site_id=site_id,
        sites=visible_sites(store, identity),
        min_to_test=MIN_N_TO_TEST,
        max_checked=MAX_CHECKED,
        downloads=causes_downloads(span, site_id, lang),
        names=NameBook(store).load(r["employee_id"] for r in rows),
    )
