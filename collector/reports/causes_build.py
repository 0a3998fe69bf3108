"""The causes report's inputs read from the store and put together (collector.reports.causes, .action_effect).

The reasons come from the daily reason sums (collector.store.reason_rollups), the negatives per
group from the score rollups, the causes and actions from the reviews closed in the span
(collector.store.review_outcomes). The rollups must have been built for the calendar's zone;
otherwise ``RollupsElsewhere`` asks for ``taqyeem rollups rebuild``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from collector.reports import action_effect, causes
from collector.reports.daily import rollups_fit
from collector.reports.maths import Calendar
from collector.reports.period import Span
from collector.store import Store
from collector.store.review_outcomes import CHECKED_ACTIONS

Scope = tuple[list[str] | None, str | None]


class RollupsElsewhere(ValueError):
    """The rollups were built for another timezone; the text says what to run."""


class UnknownSite(ValueError):
    """A site the collector knows from neither the sites file nor a placed device; the text says so."""


def known_site(store: Store, site_id: str | None) -> str | None:
    """The site asked for if the collector knows it (the sites file or a placed device); UnknownSite otherwise."""
    if site_id is None or store.sites.site_names([site_id]) or store.devices.placed([site_id]):
        return site_id
    raise UnknownSite(f"no site {site_id!r} is known here; leave site_id out for every site you see")


def _days(first: date, last: date) -> tuple[str, str]:
    return first.isoformat(), last.isoformat()


def _total_negatives(store: Store, first: date, last: date, scope: Scope) -> int:
    cells = store.rollups.span_cells(first, last, ("site_id",), sites=scope[0], site_id=scope[1])
    return sum(c["negatives"] for c in cells)


def build_causes(store: Store, calendar: Calendar, span: Span, scope: Scope, today: date) -> dict[str, Any]:
    """The report of ``span`` for one site or every site of the reader's scope (``scope``: (sites, site_id)).

    Reads of sums, whole months from the monthly ones: the reasons per place and per weekday and
    hour (with the negatives), the negatives per place; the span before's totals; and the reviews
    closed in both spans."""
    if not rollups_fit(store, calendar):
        raise RollupsElsewhere(
            f"the rollups were built for {store.rollups.zone()}, not {calendar.zone.key}: run taqyeem rollups rebuild"
        )
    days = _days(span.first, span.last)
    previous = causes.previous_span(span.first, span.last)
    before = _days(*previous)
    places = store.rollups.span_cells(span.first, span.last, ("device_id", "employee_id", "channel"), *scope)
    negatives = sum(c["negatives"] for c in places)
    previous_negatives = _total_negatives(store, *previous, scope)
    sums = store.rollups.reasons
    by_desk = sums.by_place(span.first, span.last, *scope, by=("device_id", "channel", "code"))
    by_employee = sums.by_place(span.first, span.last, *scope, by=("employee_id", "code"))
    counts = {r["code"]: r["n"] for r in sums.by_place(span.first, span.last, *scope, by=("code",))}
    previous_counts = {r["code"]: r["n"] for r in sums.by_place(*previous, *scope, by=("code",))}
    reasons = causes.ranked_reasons(counts, negatives, previous_counts, previous_negatives)
    since, until = calendar.day_bounds(span.first)[0], calendar.day_bounds(span.last)[1]
    closures = store.rollups.closures
    times = sums.by_time(span.first, span.last, *scope)
    sections = {d["device_id"]: (d["config"] or {}).get("section") for d in store.devices.placed(scope[0])}
    return {
        "from": days[0],
        "to": days[1],
        "hijri": span.hijri,
        "site_id": scope[1],
        "previous": {"from": before[0], "to": before[1], "negatives": previous_negatives},
        "negatives": negatives,
        "reasons": reasons,
        "causes": causes.ranked_causes(closures.causes(days, *scope), closures.causes(before, *scope)),
        "actions": _actions(store, calendar, (since, until), days, scope, today),
        "themes": [],
        "by_section": causes.by_section(by_desk, places, sections),
        "by_hour": causes.by_field(*times, "hour"),
        "by_weekday": causes.by_weekday(*times),
        "by_channel": causes.by_field(by_desk, places, "channel"),
        "by_employee": causes.by_employee(by_employee, places),
    }


def _actions(
    store: Store, calendar: Calendar, bounds: tuple[str, str], days: tuple[str, str], scope: Scope, today: date
) -> list[dict[str, Any]]:
    """Each action taken with its count; a process fix's and a coaching's with the effect of each one."""
    windows = _Windows(store)
    effects: dict[str, list[dict[str, Any]]] = {}
    for subject in store.review_outcomes.to_check(*bounds, *scope, action_effect.MAX_CHECKED):
        closed_on = calendar.local(subject["closed_at"]).date()
        effects.setdefault(subject["action"], []).extend(_effects(windows, subject, closed_on, today))
    return [
        {**row, **({"effects": effects.get(row["action"], [])} if row["action"] in CHECKED_ACTIONS else {})}
        for row in causes.action_counts(store.rollups.closures.actions(days, *scope))
    ]


class _Windows:
    """A site's counts over a window of days, each read once however many actions share it."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._people: dict[tuple[str, tuple[str, str]], dict[str, tuple[int, int]]] = {}
        self._codes: dict[tuple[str, tuple[str, str]], dict[str, int]] = {}

    def people(self, site_id: str, days: tuple[str, str]) -> dict[str, tuple[int, int]]:
        """{employee ('' for none): (negatives, ratings)} at the site over the days."""
        key = (site_id, days)
        if key not in self._people:
            cells = self._store.rollups.cells(days, ("employee_id",), site_id=site_id)
            self._people[key] = {c["employee_id"]: (int(c["negatives"]), _all_ratings(c)) for c in cells}
        return self._people[key]

    def codes(self, site_id: str, days: tuple[str, str]) -> dict[str, int]:
        """{reason code: negatives naming it} at the site over the days."""
        key = (site_id, days)
        if key not in self._codes:
            named = self._store.rollups.reasons.counts(days, ("code",), site_id=site_id)
            self._codes[key] = {r["code"]: int(r["n"]) for r in named}
        return self._codes[key]

    def site(self, site_id: str, days: tuple[str, str], code: str | None) -> tuple[int, int]:
        """(negatives naming ``code``, or all negatives with None; ratings) at the site over the days."""
        people = self.people(site_id, days).values()
        n = sum(total for _, total in people)
        return (sum(neg for neg, _ in people) if code is None else self.codes(site_id, days).get(code, 0)), n


def _effects(windows: _Windows, subject: dict[str, Any], closed_on: date, today: date) -> list[dict[str, Any]]:
    before, after = action_effect.windows(closed_on)
    base = {k: subject[k] for k in ("rating_id", "action", "cause", "site_id", "employee_id")}
    site = subject["site_id"] or ""
    if subject["action"] == "coaching":
        mine = [windows.people(site, _days(*w)).get(subject["employee_id"] or "", (0, 0)) for w in (before, after)]
        return [action_effect.effect_row({**base, "measure": "employee_negatives"}, closed_on, today, *mine)]
    rows = []
    for code in subject["reasons"] or [None]:
        counts = [windows.site(site, _days(*w), code) for w in (before, after)]
        measure = {"measure": "reason", "code": code} if code else {"measure": "site_negatives"}
        rows.append(action_effect.effect_row({**base, **measure}, closed_on, today, *counts))
    return rows


def _all_ratings(cell: dict[str, Any]) -> int:
    return int(sum(cell[f"n{s}"] for s in range(1, 6)))
