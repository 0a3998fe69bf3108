"""The period report (pure): any span of local days, a Hijri month or year included (docs/protocol.md:
GET /api/v1/reports/period).

Its figures come from the store's daily rollups (cells as collector.reports.cells reads
them), so a year costs one query of summed counts; the survey's answers are counted in
SQL (``store.answers.counts``). Ratings not attributable to their employee (rows with
their review's ``cause``) are left out of the employees' figures only, as in the daily
report. ``visits`` and ``calls`` are the desk visits and phone calls recorded (POST
/api/v1/visits, ``store.visits.responses``); ``response_rate`` (contract 1.2) is the share of
them that got at least one rating naming their ``visit_id``, from 0 to 1, overall and per
channel inside ``by_channel`` (a link answers a visit or a call, so ``link`` records none):
null where nothing was recorded. Ratings without a ``visit_id`` are not in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from hijridate import Hijri

from collector.reports.cells import employee_groups_from_cells, group_cells
from collector.reports.maths import MIN_N_TO_RANK, Calendar, channel_stats, interval_of_counts, section_key, section_row

MAX_DAYS = 15 * 366  # the longest span a report covers (about 15 years)
GROUP_KEYS = ("count", "mean", "negatives", "share_negative")
_HIJRI_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
Responses = dict[str, dict[str, int]]  # {channel: {"recorded": n, "rated": m}} (store.visits.responses)


class SpanError(ValueError):
    """A span the report cannot cover; the text says why."""


@dataclass(frozen=True)
class Span:
    """Local days first..last (both included), and the Hijri month or year asked for, if any."""

    first: date
    last: date
    hijri: dict[str, str] | None = None


def _hijri_bounds(year: int, month: int) -> tuple[date, date]:
    try:
        start = Hijri(year, month, 1)
        end = Hijri(year, month, start.month_length())
        return _as_date(start), _as_date(end)
    except (OverflowError, ValueError) as exc:
        raise SpanError(f"Hijri {year}-{month:02d} is outside the Umm al-Qura calendar (1343-1500 AH): {exc}") from None


def _as_date(h: Hijri) -> date:
    g = h.to_gregorian()
    return date(g.year, g.month, g.day)


def _month_names(year: int, month: int) -> dict[str, str]:
    start = Hijri(year, month, 1)
    return {"ar": f"{start.month_name('ar')} {year}", "en": f"{start.month_name('en')} {year}"}


def span_of(
    first: date | None, last: date | None, hijri_month: str | None = None, hijri_year: int | None = None
) -> Span:
    """The span asked for: from/to, or a Hijri month 'YYYY-MM', or a Hijri year; SpanError otherwise."""
    given = sum(x is not None for x in (hijri_month, hijri_year)) + (first is not None or last is not None)
    if given != 1:
        raise SpanError("give a span: from and to (YYYY-MM-DD), or hijri_month (YYYY-MM), or hijri_year (YYYY)")
    if hijri_month is not None:
        match = _HIJRI_MONTH.match(hijri_month)
        if not match or not 1 <= int(match[2]) <= 12:
            raise SpanError(f"hijri_month {hijri_month!r} must look like 1448-06 (month 01..12)")
        year, month = int(match[1]), int(match[2])
        first, last = _hijri_bounds(year, month)
        return _checked(Span(first, last, {"month": f"{year}-{month:02d}", **_month_names(year, month)}))
    if hijri_year is not None:
        first, _ = _hijri_bounds(hijri_year, 1)
        _, last = _hijri_bounds(hijri_year, 12)
        return _checked(
            Span(first, last, {"year": str(hijri_year), "ar": f"{hijri_year} هـ", "en": f"{hijri_year} AH"})
        )
    if first is None or last is None:
        raise SpanError("give both from and to (YYYY-MM-DD), both days included")
    return _checked(Span(first, last))


def _checked(span: Span) -> Span:
    if span.last < span.first:
        raise SpanError(f"to ({span.last}) is before from ({span.first})")
    if (span.last - span.first).days + 1 > MAX_DAYS:
        raise SpanError(f"a span covers at most {MAX_DAYS} days (about 15 years)")
    return span


def bounds(calendar: Calendar, span: Span) -> tuple[str, str]:
    """[since, until) of the span's local days as contract timestamps (UTC)."""
    return calendar.day_bounds(span.first)[0], calendar.day_bounds(span.last)[1]


def cells_of_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rating rows as cells (one rating each): the report when the rollups were built for another zone."""
    cells = []
    for r in rows:
        scores = [int(r["score"] == s) for s in range(1, 6)]
        cells.append(
            {
                "device_id": r["device_id"],
                "employee_id": r["employee_id"] or "",
                "channel": r["channel"],
                **{f"n{s}": scores[s - 1] for s in range(1, 6)},
                "negatives": int(r["negative"]),
            }
        )
    return cells


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _group(g: dict[str, Any]) -> dict[str, Any]:
    return {k: g[k] for k in GROUP_KEYS}


def question_shares(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, dict[str, Any]]]:
    """{question: {option: {count, share}}}: each option's share of that question's answers."""
    result = {}
    for question, options in sorted(counts.items()):
        total = sum(options.values())
        result[question] = {
            option: {"count": n, "share": round(n / total, 4) if total else None}
            for option, n in sorted(options.items())
        }
    return result


def ranked_employees(groups: list[dict[str, Any]], min_n: int = MIN_N_TO_RANK) -> list[dict[str, Any]]:
    """The by-employee rows with ``n`` and ``rank`` (1 = best mean; None below ``min_n`` ratings held)."""
    rows = [{k: v for k, v in g.items() if k != "open_reviews"} | {"n": g["count"], "rank": None} for g in groups]
    ranked = sorted(
        (r for r in rows if r["employee_id"] and r["n"] >= min_n), key=lambda r: (-r["mean"], r["employee_id"])
    )
    for position, row in enumerate(ranked, start=1):
        row["rank"] = position
    return rows


def period_report(
    span: Span,
    cells: list[dict[str, Any]],
    *,
    excluded_rows: list[dict[str, Any]],
    answers: dict[str, dict[str, int]],
    sections: dict[str, str | None],
    names: dict[str, dict[Any, tuple[str, str]]] | None = None,
    site_id: str | None = None,
    recorded: Responses | None = None,
) -> dict[str, Any]:
    """The report of the span from its cells (keyed device_id, employee_id, channel) and survey answer counts."""
    names = names or {}
    cells = [{**c, "section": sections.get(c["device_id"]) or ""} for c in cells]
    totals = [0] * 6
    for cell in cells:
        for index, column in enumerate(("n1", "n2", "n3", "n4", "n5", "negatives")):
            totals[index] += cell[column]
    count = sum(totals[:5])
    mean, low, high = interval_of_counts(totals[:5])
    return {
        "from": span.first.isoformat(),
        "to": span.last.isoformat(),
        "hijri": span.hijri,
        "site_id": site_id,
        "count": count,
        "mean": _round(mean),
        "ci_low": _round(low),
        "ci_high": _round(high),
        "negatives": totals[5],
        "share_negative": round(totals[5] / count, 4) if count else None,
        "distribution": totals[:5],
        "by_channel": {
            k: _group(v) | channel_responses(k, recorded)
            for k, v in channel_stats(group_cells(cells, lambda c: c["channel"], [])).items()
        },
        "by_section": [
            {k: v for k, v in section_row(g, names).items() if k != "open_reviews"}
            for g in group_cells(cells, lambda c: section_key(c["section"], c["channel"]), [])
        ],
        "by_employee": ranked_employees(employee_groups_from_cells(cells, [], excluded_rows)),
        "questions": question_shares(answers),
        **recorded_figures(recorded),
    }


def response_rate(rated: int, recorded: int) -> float | None:
    """The share of ``recorded`` visits or calls that were rated, 0..1; None when none was recorded."""
    if not recorded:
        return None
    return round(rated / recorded, 4)


def recorded_figures(recorded: Responses | None) -> dict[str, Any]:
    """``visits``, ``calls`` and ``response_rate`` (the share of both rated; null without any recorded)."""
    if recorded is None:
        return {"visits": None, "calls": None, "response_rate": None}
    desk, call = recorded.get("desk", {}), recorded.get("call", {})
    visits, calls = desk.get("recorded", 0), call.get("recorded", 0)
    rate = response_rate(desk.get("rated", 0) + call.get("rated", 0), visits + calls)
    return {"visits": visits, "calls": calls, "response_rate": rate}


def channel_responses(channel: str, recorded: Responses | None) -> dict[str, Any]:
    """A channel's ``recorded``, ``rated`` and ``response_rate`` (null: nothing recorded on that channel)."""
    if recorded is None or channel not in recorded:
        return {"recorded": None, "rated": None, "response_rate": None}
    mine = recorded[channel]
    return {**mine, "response_rate": response_rate(mine["rated"], mine["recorded"])}
