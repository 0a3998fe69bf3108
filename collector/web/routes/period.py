"""The supervisors' period pages: the report of any span (/reports/period) and the printable
"Centre in figures" sheet (/reports/figures), for the sites the reader may see."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from collector.access import StoreDep, checked_site
from collector.people.employee_names import NameBook
from collector.reports.daily import build_period, device_sections, launch_day, period_cells, survey_questions
from collector.reports.figures import APPLICANT, centre_figures, unplaced_by_channel
from collector.reports.maths import MIN_N_TO_RANK
from collector.reports.period import Span, SpanError
from collector.reports.period_choice import (
    FIELDS,
    KINDS,
    SHOWN,
    Choice,
    ChoiceError,
    chosen_span,
    hijri_of,
    month_name,
    read_choice,
    span_query,
)
from collector.reports.period_exports import PERIOD_TABLES, PERIOD_TITLES, option_label, question_label
from collector.store import Store
from collector.web.i18n import TEXTS, translate
from collector.web.places import visible_sites
from collector.web.render import PageIdentity, calendar_of, page_lang, render
from collector.web.sheet_heading import sheet_heading, weekday_span
from shared.contract import NAME_PATTERN
from shared.survey import SurveyQuestion

router = APIRouter(include_in_schema=False)

FromQuery = Annotated[str, Query(alias="from")]
FIELD_LABELS = {"day": "day_in_period", "from": "from_day", "to": "to_day"}
PICK_FIELDS = ("day", "hijri_year", "hijri_month", "from", "to")


@dataclass(frozen=True)
class Pick:
    """The form's values as sent: the kind, its fields (empty: not given) and the site (empty: all theirs)."""

    kind: str
    fields: dict[str, str]
    site_id: str


def _pick(
    kind: str = "month",
    day: str = "",
    hijri_year: str = "",
    hijri_month: str = "",
    from_: FromQuery = "",
    to: str = "",
    site_id: str = "",
) -> Pick:
    """Read as text, so a wrong or empty field is this page's message, never FastAPI's JSON 422."""
    fields = {"day": day, "hijri_year": hijri_year, "hijri_month": hijri_month, "from": from_, "to": to}
    return Pick(kind.strip() or "month", fields, site_id.strip())


PickDep = Annotated[Pick, Depends(_pick)]


def isolated(key: str, lang: str, **values: object) -> Markup:
    """The page text ``key`` in ``lang``, each value isolated left to right (days, numbers, what was typed);
    a value already Markup (a translated word) goes in as it is."""
    sentence = TEXTS.get(key, TEXTS["pick_unreadable"])[0 if lang == "ar" else 1]
    ltr = Markup('<bdi dir="ltr">{}</bdi>')
    return escape(sentence).format(**{k: v if isinstance(v, Markup) else ltr.format(v) for k, v in values.items()})


def pick_message(error: ChoiceError, lang: str) -> Markup:
    """Why the pick could not be read, in ``lang``: the page's sentence, each value isolated left to right."""
    values = dict(error.values)
    if "field" in values:
        values["field"] = escape(translate(FIELD_LABELS.get(str(values["field"]), "period"), lang))
    return isolated(error.key, lang, **values)


def per_day_note(per_day: dict[str, Any], lang: str) -> Markup:
    """What the sheet's "per day" divides by (collector.reports.figures.per_day_basis), in ``lang``."""
    values = {"n": per_day["days"], "first": per_day["first"], "last": per_day["last"]}
    if per_day["basis"] == "working_days":
        note = isolated("per_working_day_note", lang, week=escape(weekday_span(per_day["weekdays"], lang)), **values)
    else:
        note = isolated("per_day_note", lang, **values)
    return note + (Markup(" ") + translate("span_to_today", lang) if per_day["to_today"] else "")


def _as_choice_error(exc: SpanError) -> ChoiceError:
    return exc if isinstance(exc, ChoiceError) else ChoiceError("pick_unreadable", str(exc))


@dataclass(frozen=True)
class Period:
    """What a period page shows: the choice and span read, the report, its cells, and why the pick was not read."""

    choice: Choice
    span: Span
    report: dict[str, Any]
    cells: list[dict[str, Any]]
    error: ChoiceError | None


def _period(request: Request, store: Store, identity: Any, choice: Choice, site_id: str | None) -> Period:
    """The span picked (this month when the pick cannot be read, with the reason) and its report, employees named."""
    calendar = calendar_of(request)
    scope = identity.site_scope()
    error = None
    try:
        span = chosen_span(choice, calendar.today(), launch_day(store, scope, site_id))
    except SpanError as exc:
        error, choice = _as_choice_error(exc), Choice("month")
        span = chosen_span(choice, calendar.today(), None)
    cells = period_cells(store, calendar, scope, span, site_id)
    report = build_period(store, calendar, scope, span, site_id, cells)
    book = NameBook(store).load(r["employee_id"] for r in report["by_employee"])
    for row in report["by_employee"]:
        row["name_ar"], row["name_en"] = book.names(row["employee_id"])
    return Period(choice, span, report, cells, error)


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


def _picker(choice: Choice, span: Span, lang: str, today: Date) -> dict[str, Any]:
    """The form's values: the kinds, the fields each kind needs, the day, and the Hijri year and month
    shown (the span's, else today's: never Muharram by default), with the months' names."""
    hijri = span.hijri or {}
    year, month = hijri_of(today)
    if hijri:
        year = int(hijri.get("year") or hijri["month"][:4])
        month = int(hijri["month"][5:]) if "month" in hijri else month
    return {
        "kinds": KINDS,
        "kinds_of": {field: " ".join(k for k in KINDS if field in FIELDS[k]) for field in PICK_FIELDS},
        "day": choice.day or span.first,
        "hijri_year": year,
        "hijri_month": month,
        "months": [(m, month_name(m, lang)) for m in range(1, 13)],
    }


def _read_pick(identity: Any, pick: Pick) -> tuple[Choice, str | None, ChoiceError | None]:
    """The choice and site picked; what cannot be read becomes this month, or all the reader's sites, and why."""
    error = None
    site_id: str | None = pick.site_id or None
    if site_id and not re.fullmatch(NAME_PATTERN, site_id):
        error = ChoiceError("pick_site", f"site_id {site_id[:SHOWN]!r} is not a site id", value=site_id[:SHOWN])
        site_id = None
    try:
        choice = read_choice(pick.kind, pick.fields)
    except ChoiceError as exc:
        error, choice = exc, Choice("month")
    return choice, checked_site(identity, site_id), error


def _page(request: Request, store: StoreDep, identity: PageIdentity, pick: Pick, template: str) -> Response:
    choice, site_id, error = _read_pick(identity, pick)
    period = _period(request, store, identity, choice, site_id)
    choice, span, report, error = period.choice, period.span, period.report, error or period.error
    lang = page_lang(request, identity)
    calendar = calendar_of(request)
    query = span_query(choice, span) + (f"&site_id={site_id}" if site_id else "")
    scope = [site_id] if site_id else identity.site_scope()
    known = survey_questions(store, scope)
    applicant = known.get(APPLICANT)
    overall = next((q for q in known.values() if q.overall and q.kind == "scale"), None)
    figures = centre_figures(
        report,
        unplaced=unplaced_by_channel(period.cells, device_sections(store, scope)),
        overall=overall.id if overall else None,
        today=calendar.today(),
        working_weekdays=calendar.weekdays,
    )
    return render(
        request,
        template,
        identity,
        report=report,
        figures=figures,
        heading=sheet_heading(request, store, [site_id] if site_id else visible_sites(store, identity), span, lang),
        per_day_note=per_day_note(figures["per_day"], lang),
        overall_text=question_label(overall, overall.id, lang) if overall else None,
        questions=_labelled_questions(report, known, lang),
        option_names={o.code: option_label(applicant, o.code, lang) for o in applicant.options} if applicant else {},
        choice=choice,
        picker=_picker(choice, span, lang, calendar.today()),
        span=span,
        error=None if error is None else pick_message(error, lang),
        error_lead="bad_site" if error is not None and error.key == "pick_site" else "bad_span",
        query=query,
        site_id=site_id,
        sites=visible_sites(store, identity),
        min_n=MIN_N_TO_RANK,
        downloads=period_downloads(span, site_id, lang),
        names=NameBook(store).load(r["employee_id"] for r in report["by_employee"]),
    )


@router.get("/reports/period")
def period_page(request: Request, store: StoreDep, identity: PageIdentity, pick: PickDep) -> Response:
    return _page(request, store, identity, pick, "period.html")


@router.get("/reports/figures")
def figures_page(request: Request, store: StoreDep, identity: PageIdentity, pick: PickDep) -> Response:
    return _page(request, store, identity, pick, "figures.html")
