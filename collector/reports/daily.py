"""The reports' inputs read from the store: the one place the pages, the JSON API and the CSV get them.

The report maths stay pure in collector.reports.maths (from rating rows) and
collector.reports.cells (from the store's daily rollups); this module only
gathers their inputs. The rollups (and the daily sums of the survey's answers
and of the languages kept with them, for the period report) answer whenever they
were built for the calendar's timezone; otherwise (the timezone setting changed and
``taqyeem rollups rebuild`` has not run yet) the ratings themselves do, slower
but the same numbers. Checking that the reader may see the site and the day is
the caller's part (collector.access), before it asks.

Ratings whose review was closed as not attributable to the employee are read
apart (``Reviews.not_attributable``) and left out of the employees' figures
only; the rollups never change when a review closes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import date as Date
from typing import Any

from collector.reports.cells import daily_means_from_cells, daily_report_from_cells, employee_table_from_cells
from collector.reports.languages import language_shares
from collector.reports.maths import MIN_N_TO_RANK, Calendar, daily_means, daily_report, employee_table
from collector.reports.period import Span, bounds, cells_of_rows, period_report
from collector.reports.reviewers import reviewer_figures
from collector.store import Store
from shared.clock import format_time
from shared.contract import ReasonLabel
from shared.survey import DEFAULT_SURVEY, SurveyQuestion


def build_daily(
    store: Store, calendar: Calendar, scope: list[str] | None, day: Date | None, site_id: str | None
) -> dict[str, Any]:
    """The report of one local day for one site, or every site of ``scope`` (None: all)."""
    day = day or calendar.today()
    if rollups_fit(store, calendar):
        return _daily_from_rollups(store, calendar, scope, day, site_id)
    return daily_from_ratings(store, calendar, scope, day, site_id)


def reviewers(
    store: Store, span: tuple[str, str], scope: list[str] | None, site_id: str | None
) -> list[dict[str, Any]]:
    """1.2: the reviewers' side of a report (collector.reports.reviewers), overdue counted as of now."""
    return reviewer_figures(store, *span, format_time(datetime.now(UTC)), sites=scope, site_id=site_id)


def period_cells(
    store: Store, calendar: Calendar, scope: list[str] | None, span: Span, site_id: str | None
) -> list[dict[str, Any]]:
    """The span's cells keyed device_id, employee_id, channel: from the rollups, else from the ratings."""
    if rollups_fit(store, calendar):  # whole months from the monthly rollups, the days at the ends from the daily
        by = ("device_id", "employee_id", "channel")
        return store.rollups.span_cells(span.first, span.last, by, sites=scope, site_id=site_id)
    return cells_of_rows(store.ratings.window(*bounds(calendar, span), sites=scope, site_id=site_id))


def build_period(
    store: Store,
    calendar: Calendar,
    scope: list[str] | None,
    span: Span,
    site_id: str | None,
    cells: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The report of a span of local days (collector.reports.period) for one site, or every site of ``scope``;
    ``cells``: its ``period_cells`` when the caller already read them."""
    since, until = bounds(calendar, span)
    if cells is None:
        cells = period_cells(store, calendar, scope, span, site_id)
    if rollups_fit(store, calendar):
        days = (span.first.isoformat(), span.last.isoformat())
        answers = store.rollups.answers.counts(days, sites=scope, site_id=site_id)
        languages = store.rollups.answers.languages(days, sites=scope, site_id=site_id)
        recorded = store.rollups.visits.responses(days, sites=scope, site_id=site_id)
        excluded = store.rollups.excluded.counts(days, sites=scope, site_id=site_id)
    else:
        answers = store.answers.counts(since, until, sites=scope, site_id=site_id)
        languages = store.answers.languages(since, until, sites=scope, site_id=site_id)
        recorded = store.visits.responses(since, until, sites=scope, site_id=site_id)
        excluded = store.reviews.not_attributable_counts(since, until, sites=scope, site_id=site_id)
    report = period_report(
        span,
        cells,
        excluded_rows=excluded,
        answers=answers,
        sections=_sections(store, scope),
        names=store.sites.place_names(scope),
        site_id=site_id,
        recorded=recorded,
    )
    return report | {
        "by_language": language_shares(languages),
        "reviewers": reviewers(store, (since, until), scope, site_id),
    }


def by_language(
    store: Store, since: str, until: str, scope: list[str] | None, site_id: str | None
) -> dict[str, dict[str, Any]]:
    """The report's ``by_language``: each language's own name, count and share (collector.reports.languages)."""
    return language_shares(store.answers.languages(since, until, sites=scope, site_id=site_id))


def rollups_fit(store: Store, calendar: Calendar) -> bool:
    """Whether the rollups' local days are this calendar's."""
    return store.rollups.zone() == calendar.zone.key


def _daily_from_rollups(
    store: Store, calendar: Calendar, scope: list[str] | None, day: Date, site_id: str | None
) -> dict[str, Any]:
    since, until = calendar.day_bounds(day)
    by = ("hour", "site_id", "desk_id", "device_id", "employee_id", "channel")
    cells = store.rollups.cells((day.isoformat(), day.isoformat()), by, sites=scope, site_id=site_id)
    report = daily_report_from_cells(
        cells,
        store.reviews.open_ratings(since, until, sites=scope, site_id=site_id),
        day,
        sections=_sections(store, scope),
        review_counts=store.reviews.counts(since, until, sites=scope, site_id=site_id),
        calendar=calendar,
        site_id=site_id,
        names=store.sites.place_names(scope),
        excluded_rows=store.reviews.not_attributable(since, until, sites=scope, site_id=site_id),
    )
    return report | {
        "by_language": by_language(store, since, until, scope, site_id),
        "reviewers": reviewers(store, (since, until), scope, site_id),
    }


def device_sections(store: Store, scope: list[str] | None) -> dict[str, str | None]:
    """Device id -> the section (hall) of its desk, None for a desk in no section."""
    return _sections(store, scope)


def _sections(store: Store, scope: list[str] | None) -> dict[str, str | None]:
    return {d["device_id"]: (d["config"] or {}).get("section") for d in store.devices.placed(scope)}


def daily_from_ratings(
    store: Store, calendar: Calendar, scope: list[str] | None, day: Date, site_id: str | None
) -> dict[str, Any]:
    """The day's report computed from every rating of the day (the rollups' reference)."""
    since, until = calendar.day_bounds(day)
    rows = store.ratings.window(since, until, sites=scope, site_id=site_id)
    open_ids = {
        i["rating"]["id"]
        for i in store.reviews.all(status="open", sites=scope)
        if site_id is None or i["rating"]["site_id"] == site_id
    }
    sections = _sections(store, scope)
    counts = store.reviews.counts(since, until, sites=scope, site_id=site_id)
    report = daily_report(
        rows,
        day,
        sections=sections,
        open_ids=open_ids,
        review_counts=counts,
        calendar=calendar,
        site_id=site_id,
        names=store.sites.place_names(scope),
        excluded=excluded_causes(store, since, until, scope, site_id),
    )
    return report | {
        "by_language": by_language(store, since, until, scope, site_id),
        "reviewers": reviewers(store, (since, until), scope, site_id),
    }


def excluded_causes(
    store: Store, since: str, until: str, scope: list[str] | None, site_id: str | None
) -> dict[str, str]:
    """Rating id -> its review's cause, for the ratings in [since, until) not attributable to their employee."""
    return {r["id"]: r["cause"] for r in store.reviews.not_attributable(since, until, sites=scope, site_id=site_id)}


def _days(calendar: Calendar, last_day: Date, days: int) -> tuple[str, str]:
    return calendar.day_bounds(last_day - timedelta(days=days - 1))[0], calendar.day_bounds(last_day)[1]


def month_means(
    store: Store, calendar: Calendar, scope: list[str] | None, last_day: Date, site_id: str | None, days: int = 30
) -> list[tuple[Date, float | None, int]]:
    """(day, mean or None, count) for each of the ``days`` local days ending at ``last_day``."""
    if rollups_fit(store, calendar):
        first = (last_day - timedelta(days=days - 1)).isoformat()
        cells = store.rollups.cells((first, last_day.isoformat()), ("day",), sites=scope, site_id=site_id)
        return daily_means_from_cells(cells, last_day, days)
    rows = store.ratings.window(*_days(calendar, last_day, days), sites=scope, site_id=site_id)
    return daily_means(rows, last_day, days, calendar)


def employees(
    store: Store, calendar: Calendar, scope: list[str] | None, last_day: Date, site_id: str | None, days: int = 30
) -> dict[str, list[dict[str, Any]]]:
    """The employees' table over the ``days`` local days ending at ``last_day``.

    Each entry (see ``collector.reports.maths.employee_table``): ``employee_id``, ``count`` (n),
    ``mean``, ``low`` and ``high`` (its 95% interval), ``share_negative``, ``negatives``,
    ``excluded`` and ``excluded_causes`` ({cause: n}: ratings not held against them), ``trend``.
    """
    since, until = _days(calendar, last_day, days)
    if rollups_fit(store, calendar):
        first = (last_day - timedelta(days=days - 1)).isoformat()
        by = ("employee_id", "day")
        cells = store.rollups.cells((first, last_day.isoformat()), by, sites=scope, site_id=site_id)
        excluded = [
            {**r, "day": calendar.local(r["counted_at"]).date().isoformat()}
            for r in store.reviews.not_attributable(since, until, sites=scope, site_id=site_id)
        ]
        return employee_table_from_cells(cells, last_day, days, MIN_N_TO_RANK, excluded)
    rows = store.ratings.window(since, until, sites=scope, site_id=site_id)
    excluded_ids = excluded_causes(store, since, until, scope, site_id)
    return employee_table(rows, last_day, days, calendar, MIN_N_TO_RANK, excluded_ids)


def desk_reasons(store: Store, rating_ids: list[str]) -> dict[str, list[ReasonLabel]]:
    """Rating id -> the reason labels of its desk's config, for the ratings whose desk has one."""
    devices = {row["id"]: row["device_id"] for row in store.ratings.by_ids(rating_ids)}
    configs = store.devices.configs(devices.values())
    return {rating_id: list(configs[d].reasons) for rating_id, d in devices.items() if d in configs}


def survey_questions(store: Store, scope: list[str] | None) -> dict[str, SurveyQuestion]:
    """The survey questions the desks of ``scope`` ask, by id (the first desk's wording), else the shipped ones."""
    found: dict[str, SurveyQuestion] = {}
    for device in store.devices.placed(scope):
        survey = (device["config"] or {}).get("survey") or {}
        for question in survey.get("questions") or []:
            if question.get("id") not in found:
                found[question["id"]] = SurveyQuestion.model_validate(question)
    for question in DEFAULT_SURVEY.questions:
        found.setdefault(question.id, question)
    return found


def launch_day(store: Store, scope: list[str] | None, site_id: str | None) -> Date | None:
    """The first local day with a rating (for "since launch"), from the rollups; None before any rating."""
    first = store.rollups.first_day(scope, site_id)
    return None if first is None else Date.fromisoformat(first)
