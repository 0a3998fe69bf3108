"""The supervisors' period pages: the report of any span (/reports/period) and the printable
"Centre in figures" sheet (/reports/figures), for the sites the reader may see."""

from __future__ import annotations

from datetime import date as Date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from collector.access import StoreDep, check_day, checked_site
from collector.daily import build_period, launch_day, survey_questions
from collector.employees import NameBook
from collector.figures import APPLICANT, centre_figures
from collector.period import Span, SpanError
from collector.period_choice import KINDS, Choice, chosen_span, month_name, span_query
from collector.period_exports import PERIOD_TABLES, PERIOD_TITLES, option_label, question_label
from collector.reports import MIN_N_TO_RANK
from collector.store import Store
from collector.web.places import SiteQuery, visible_sites
from collector.web.render import PageIdentity, calendar_of, page_lang, render
from shared.survey import SurveyQuestion

router = APIRouter(include_in_schema=False)

FromQuery = Annotated[Date | None, Query(alias="from")]


def _choice(
    kind: str = "month",
    day: Date | None = None,
    hijri_year: int | None = None,
    hijri_month: int | None = None,
    from_: FromQuery = None,
    to: Date | None = None,
) -> Choice:
    """The span a reader picked, from the query both period pages take (an unknown kind: a month)."""
    for one in (day, from_, to):
        check_day(one)
    return Choice(kind if kind in KINDS else "month", day, hijri_year, hijri_month, from_, to)


ChoiceDep = Annotated[Choice, Depends(_choice)]


def _period(
    request: Request, store: Store, identity: Any, choice: Choice, site_id: str | None
) -> tuple[Choice, Span, dict[str, Any], str | None]:
    """The span picked (this month when the pick cannot be read, with the reason) and its report, employees named."""
    calendar = calendar_of(request)
    scope = identity.site_scope()
    error = None
    try:
        span = chosen_span(choice, calendar.today(), launch_day(store, scope, site_id))
    except SpanError as exc:
        error, choice = str(exc), Choice("month")
        span = chosen_span(choice, calendar.today(), None)
    report = build_period(store, calendar, scope, span, site_id)
    book = NameBook(store).load(r["employee_id"] for r in report["by_employee"])
    for row in report["by_employee"]:
        row["name_ar"], row["name_en"] = book.names(row["employee_id"])
    return choice, span, report, error


def _api_query(span: Span, site_id: str | None) -> str:
    hijri = span.hijri or {}
    if "month" in hijri:
        query = f"hijri_month={hijri['month']}"
    elif "year" in hijri:
        query = f"hijri_year={hijri['year']}"
    else:
        query = f"from={span.first.isoformat()}&to={span.last.isoformat()}"
    return query + (f"&site_id={site_id}" if site_id else "")


def period_downloads(span: Span, site_id: str | None, lang: str) -> list[dict[str, Any]]:
    """The period's files in both languages, the page's first: the workbook, and one CSV per table."""
    query = _api_query(span, site_id)
    api = "/api/v1/reports/period"
    return [
        {
            "lang": chosen,
            "xlsx": f"{api}.xlsx?{query}&lang={chosen}",
            "csv": [
                (PERIOD_TITLES[table][chosen == "en"], f"{api}.csv?{query}&lang={chosen}&table={table}")
                for table in PERIOD_TABLES
            ],
        }
        for chosen in sorted(("ar", "en"), key=lambda one: one != lang)
    ]


def _labelled_questions(report: dict[str, Any], known: dict[str, SurveyQuestion], lang: str) -> list[Any]:
    """Each question answered in the period: its text, its answers' n, and each option's label, count and share."""
    answered = report["questions"]
    result = []
    for qid in [q for q in known if q in answered] + [q for q in answered if q not in known]:
        options = answered[qid]
        question = known.get(qid)
        order = [o.code for o in question.options] if question else []
        codes = [c for c in order if c in options] + [c for c in options if c not in order]
        rows = [{"code": c, "label": option_label(question, c, lang), **options[c]} for c in codes]
        result.append({"id": qid, "text": question_label(question, qid, lang), "n": sum(r["count"] for r in rows),
                       "options": rows})  # fmt: skip
    return result


def _picker(choice: Choice, span: Span, lang: str) -> dict[str, Any]:
    """The form's values: the kinds, the chosen day, the Hijri year and month shown, their month names."""
    hijri = span.hijri or {}
    year = int(hijri.get("year") or hijri.get("month", "0000")[:4]) or choice.hijri_year
    month = int(hijri["month"][5:]) if "month" in hijri else choice.hijri_month
    return {
        "kinds": KINDS,
        "day": choice.day or span.first,
        "hijri_year": year or "",
        "hijri_month": month,
        "months": [(m, month_name(m, lang)) for m in range(1, 13)],
    }


def _page(request: Request, store: StoreDep, identity: PageIdentity, choice: Choice, site_id: str | None,
          template: str) -> Response:  # fmt: skip
    site_id = checked_site(identity, site_id)
    choice, span, report, error = _period(request, store, identity, choice, site_id)
    lang = page_lang(request, identity)
    query = span_query(choice, span) + (f"&site_id={site_id}" if site_id else "")
    known = survey_questions(store, identity.site_scope())
    applicant = known.get(APPLICANT)
    return render(
        request,
        template,
        identity,
        report=report,
        figures=centre_figures(report),
        questions=_labelled_questions(report, known, lang),
        option_names={o.code: option_label(applicant, o.code, lang) for o in applicant.options} if applicant else {},
        choice=choice,
        picker=_picker(choice, span, lang),
        span=span,
        error=error,
        query=query,
        site_id=site_id,
        sites=visible_sites(store, identity),
        min_n=MIN_N_TO_RANK,
        downloads=period_downloads(span, site_id, lang),
        names=NameBook(store).load(r["employee_id"] for r in report["by_employee"]),
    )


@router.get("/reports/period")
def period_page(
    request: Request, store: StoreDep, identity: PageIdentity, choice: ChoiceDep, site_id: SiteQuery = None
) -> Response:
    return _page(request, store, identity, choice, site_id, "period.html")


@router.get("/reports/figures")
def figures_page(
    request: Request, store: StoreDep, identity: PageIdentity, choice: ChoiceDep, site_id: SiteQuery = None
) -> Response:
    return _page(request, store, identity, choice, site_id, "figures.html")
