"""The "Centre in figures" sheet (pure): the ministry's kind of published figures from a period report.

From ``collector.period.period_report``: satisfaction out of 5 (with its n and 95% interval),
the share who met no obstacle (the survey question ``obstacles``, option ``no``), applicants by
type (question ``applicant``), ratings by hall (section) and by channel, and the visits and calls
recorded with their daily means. A share is of the answers to its own question, never of all
ratings: most visitors are not asked the survey (every n-th one is).
"""

from __future__ import annotations

from datetime import date
from typing import Any

OBSTACLES = "obstacles"
NO_OBSTACLE = "no"
APPLICANT = "applicant"
APPLICANT_TYPES = ("citizen", "resident", "company")
CHANNELS = ("desk", "call", "link")


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def centre_figures(report: dict[str, Any]) -> dict[str, Any]:
    """The sheet's figures; a share is None when nothing was answered, a count None when not recorded."""
    questions = report["questions"]
    obstacles = questions.get(OBSTACLES, {})
    obstacle_answers = sum(o["count"] for o in obstacles.values())
    applicants = questions.get(APPLICANT, {})
    applicant_answers = sum(o["count"] for o in applicants.values())
    codes = [*APPLICANT_TYPES, *sorted(set(applicants) - set(APPLICANT_TYPES))]
    count = report["count"]
    days = _days(report)
    return {
        "days": days,
        "satisfaction": {"mean": report["mean"], "ci_low": report["ci_low"], "ci_high": report["ci_high"], "n": count},
        "no_obstacle": {
            "share": _share(obstacles.get(NO_OBSTACLE, {}).get("count", 0), obstacle_answers),
            "n": obstacle_answers,
        },
        "applicants": {"n": applicant_answers, "types": [_option(applicants, c, applicant_answers) for c in codes]},
        "distribution": [
            {"score": score, "count": n, "share": _share(n, count)}
            for score, n in enumerate(report["distribution"], start=1)
        ],
        "halls": [{**row, "share": _share(row["count"], count)} for row in report["by_section"]],
        "channels": [
            {"channel": c, **report["by_channel"][c], "share": _share(report["by_channel"][c]["count"], count)}
            for c in CHANNELS
        ],
        "visits": report["visits"],
        "calls": report["calls"],
        "visits_per_day": None if report["visits"] is None else round(report["visits"] / days, 1),
        "calls_per_day": None if report["calls"] is None else round(report["calls"] / days, 1),
        "ratings_per_day": round(count / days, 1),
        "response_rate": report["response_rate"],
    }


def _option(options: dict[str, dict[str, Any]], code: str, answers: int) -> dict[str, Any]:
    n = options.get(code, {}).get("count", 0)
    return {"code": code, "count": n, "share": _share(n, answers)}


def _days(report: dict[str, Any]) -> int:
    return (date.fromisoformat(report["to"]) - date.fromisoformat(report["from"])).days + 1
