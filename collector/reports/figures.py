"""The "Centre in figures" sheet (pure): the ministry's kind of published figures from a period report.

From ``collector.reports.period.period_report``: the satisfaction headline out of 5 (with its n and 95%
interval), the share who met no obstacle (the survey question ``obstacles``, option ``no``),
applicants by type (question ``applicant``), ratings by hall (section) with phone calls and rating
links on rows of their own, ratings by channel, and the visits and calls recorded with their
daily means. A share is of the answers to its own question, never of all ratings: most visitors
are not asked the survey (every n-th one is).

The headline is the mean answer to the site's overall-satisfaction question (a survey scale
question marked ``overall``: collector/fleet/survey_file.py) when the span has answers to it,
else the mean of the ratings; ``satisfaction["measure"]`` says which (``survey`` or
``ratings``). "Per day" figures divide by the working days of the span that have begun (up to
today, when the span holds today), or by the days that have begun when the centre's calendar
has no working days; ``per_day["basis"]`` says which.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hijridate import Gregorian

from collector.reports.intervals import interval_of_counts

OBSTACLES = "obstacles"
NO_OBSTACLE = "no"
APPLICANT = "applicant"
APPLICANT_TYPES = ("citizen", "resident", "company")
CHANNELS = ("desk", "call", "link")
UNPLACED_ORDER = ("call", "link", "desk")  # ratings in no hall: phone calls, rating links, desks in no hall


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def centre_figures(
    report: dict[str, Any],
    *,
    unplaced: dict[str, int] | None = None,
    overall: str | None = None,
    today: date | None = None,
    working_weekdays: frozenset[int] = frozenset(),
) -> dict[str, Any]:
    """The sheet's figures; a share is None when nothing was answered, a count None when not recorded.

    ``unplaced``: the span's ratings in no hall, by channel (``unplaced_by_channel``); without it they
    stay one row with no hall. ``overall``: the id of the overall-satisfaction question, if the survey
    has one. ``today``: the local day (None: the span is over); ``working_weekdays``: Monday = 0.
    """
    questions = report["questions"]
    obstacles = questions.get(OBSTACLES, {})
    obstacle_answers = sum(o["count"] for o in obstacles.values())
    applicants = questions.get(APPLICANT, {})
    applicant_answers = sum(o["count"] for o in applicants.values())
    codes = [*APPLICANT_TYPES, *sorted(set(applicants) - set(APPLICANT_TYPES))]
    count = report["count"]
    per_day = per_day_basis(report, today, working_weekdays)
    return {
        "days": _days(report),
        "per_day": per_day,
        "satisfaction": satisfaction(report, overall),
        "ratings_mean": {"mean": report["mean"], "ci_low": report["ci_low"], "ci_high": report["ci_high"], "n": count},
        "no_obstacle": {
            "share": _share(obstacles.get(NO_OBSTACLE, {}).get("count", 0), obstacle_answers),
            "n": obstacle_answers,
        },
        "applicants": {"n": applicant_answers, "types": [_option(applicants, c, applicant_answers) for c in codes]},
        "distribution": [
            {"score": score, "count": n, "share": _share(n, count)}
            for score, n in enumerate(report["distribution"], start=1)
        ],
        "halls": hall_rows(report, unplaced),
        "channels": [
            {"channel": c, **report["by_channel"][c], "share": _share(report["by_channel"][c]["count"], count)}
            for c in CHANNELS
        ],
        "visits": report["visits"],
        "calls": report["calls"],
        "visits_per_day": _per_day(report["visits"], per_day["days"]),
        "calls_per_day": _per_day(report["calls"], per_day["days"]),
        "ratings_per_day": _per_day(count, per_day["days"]),
        "response_rate": report["response_rate"],
    }


def satisfaction(report: dict[str, Any], overall: str | None) -> dict[str, Any]:
    """The headline: the overall-satisfaction question's mean answer when it has answers, else the ratings' mean."""
    answers = report["questions"].get(overall or "", {})
    counts = [answers.get(str(score), {}).get("count", 0) for score in range(1, 6)]
    if overall and sum(counts):
        mean, low, high = interval_of_counts(counts)
        return {"measure": "survey", "question": overall, "mean": _round(mean), "ci_low": _round(low),
                "ci_high": _round(high), "n": sum(counts)}  # fmt: skip
    return {"measure": "ratings", "question": overall, "mean": report["mean"], "ci_low": report["ci_low"],
            "ci_high": report["ci_high"], "n": report["count"]}  # fmt: skip


def hall_rows(report: dict[str, Any], unplaced: dict[str, int] | None) -> list[dict[str, Any]]:
    """The halls (sections) with their ratings, then the ratings in no hall by channel, each with its share."""
    count = report["count"]
    rows = [{**row, "channel": None} for row in report["by_section"] if row["section"]]
    if unplaced is None:
        rows += [{**row, "channel": None} for row in report["by_section"] if not row["section"]]
    else:
        rows += [{"section": None, "channel": c, "count": unplaced[c]} for c in UNPLACED_ORDER if unplaced.get(c)]
    return [{**row, "share": _share(row["count"], count)} for row in rows]


def unplaced_by_channel(cells: list[dict[str, Any]], sections: dict[str, str | None]) -> dict[str, int]:
    """How many of the cells' ratings came from no hall (a phone call, a link, a desk in no section), by channel."""
    counts = dict.fromkeys(CHANNELS, 0)
    for cell in cells:
        if not sections.get(cell["device_id"]):
            channel = cell.get("channel") or "desk"
            counts[channel] = counts.get(channel, 0) + sum(cell[f"n{s}"] for s in range(1, 6))
    return counts


def per_day_basis(report: dict[str, Any], today: date | None, working_weekdays: frozenset[int]) -> dict[str, Any]:
    """What "per day" divides by: the working days of the span begun by ``today`` (or its days, without any)."""
    first, last = date.fromisoformat(report["from"]), date.fromisoformat(report["to"])
    counted_to = last if today is None else min(last, today)
    begun = [first + timedelta(days=k) for k in range((counted_to - first).days + 1)]
    working = [d for d in begun if d.weekday() in working_weekdays]
    basis = "working_days" if working_weekdays else "days"
    return {
        "basis": basis,
        "days": len(working if working_weekdays else begun),
        "first": first.isoformat(),
        "last": counted_to.isoformat(),
        "to_today": today is not None and first <= today <= last,
        "weekdays": sorted(working_weekdays, key=lambda d: (d + 1) % 7),  # Sunday first
    }


def _per_day(value: int | None, days: int) -> float | None:
    return None if value is None or not days else round(value / days, 1)


def _option(options: dict[str, dict[str, Any]], code: str, answers: int) -> dict[str, Any]:
    n = options.get(code, {}).get("count", 0)
    return {"code": code, "count": n, "share": _share(n, answers)}


def _days(report: dict[str, Any]) -> int:
    return (date.fromisoformat(report["to"]) - date.fromisoformat(report["from"])).days + 1


def hijri_day(day: date, lang: str) -> str | None:
    """``day`` in the Umm al-Qura calendar ("17 Jumada al-Akhirah 1448 AH", Arabic: "... هـ"); None outside it."""
    try:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError):
        return None
    return f"{h.day} {h.month_name('ar' if lang == 'ar' else 'en')} {h.year} {'هـ' if lang == 'ar' else 'AH'}"
