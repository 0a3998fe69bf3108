"""Report maths (pure): means out of 5, shares of negatives, intervals, local days, Hijri dates.

Functions take rating rows (as the Store returns them) and return plain values;
pages, the JSON API and the spreadsheet exports (collector/reports/daily_exports.py) all draw from the same numbers.

A rating whose review was closed as not attributable to the employee
(``excluded``: rating id -> the review's cause, from ``Reviews.not_attributable``)
is left out of that employee's figures only: count, mean, interval and share
negative. It stays in every other figure (totals, desks, sites, sections, hours),
and each employee's figures say how many were left out, by cause.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hijridate import Gregorian

from collector.reports.intervals import interval_of_counts, mean_interval
from shared.clock import format_time, parse_time

MIN_N_TO_RANK = 30  # fewer ratings than this: shown with n, never ranked
CHANNELS = ("desk", "call", "link")  # where a rating was given (contract 1.1): every report names all three
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ReportError(ValueError):
    """Settings or input a report cannot use; the text says what to fix."""


@dataclass(frozen=True)
class Calendar:
    """The centres' local time: which UTC instants make a day, and when desks are staffed."""

    zone: ZoneInfo
    opens: time
    closes: time
    weekdays: frozenset[int]  # Monday = 0

    @classmethod
    def from_settings(
        cls, timezone: str = "Asia/Riyadh", open_hours: str = "08:00-16:00", open_weekdays: str = "sun,mon,tue,wed,thu"
    ) -> Calendar:
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ReportError(f"timezone {timezone!r} is not an IANA zone name like Asia/Riyadh") from None
        try:
            first, last = (time.fromisoformat(part.strip()) for part in open_hours.split("-"))
        except ValueError:
            raise ReportError(f"open_hours {open_hours!r} must look like 08:00-16:00") from None
        days = [d.strip().lower()[:3] for d in open_weekdays.split(",") if d.strip()]
        unknown = [d for d in days if d not in WEEKDAYS]
        if unknown:
            raise ReportError(f"open_weekdays: unknown day {unknown[0]!r}; use sun,mon,tue,wed,thu,fri,sat")
        return cls(zone, first, last, frozenset(WEEKDAYS.index(d) for d in days))

    def today(self, now: datetime | None = None) -> date:
        return (now or datetime.now(UTC)).astimezone(self.zone).date()

    def day_bounds(self, day: date) -> tuple[str, str]:
        """[since, until) of a local day as contract timestamps (UTC)."""
        start = datetime.combine(day, time(0), self.zone)
        end = datetime.combine(day + timedelta(days=1), time(0), self.zone)
        return format_time(start), format_time(end)

    def local(self, stamp: str) -> datetime:
        return parse_time(stamp).astimezone(self.zone)

    def is_open(self, now: datetime | None = None) -> bool:
        moment = (now or datetime.now(UTC)).astimezone(self.zone)
        return moment.weekday() in self.weekdays and self.opens <= moment.time() < self.closes


def summarize(rows: Iterable[dict[str, Any]], open_ids: set[str] | None = None) -> dict[str, Any]:
    rows = list(rows)
    count = len(rows)
    negatives = sum(1 for r in rows if r["negative"])
    return {
        "count": count,
        "mean": round(sum(r["score"] for r in rows) / count, 2) if count else None,
        "negatives": negatives,
        "share_negative": round(negatives / count, 4) if count else None,
        "open_reviews": sum(1 for r in rows if open_ids and r["id"] in open_ids),
    }


def group(
    rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any], open_ids: set[str] | None = None
) -> list[dict[str, Any]]:
    buckets: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        buckets[key(row)].append(row)
    return [{"key": k, **summarize(v, open_ids)} for k, v in sorted(buckets.items(), key=lambda kv: str(kv[0]))]


def distribution(rows: Iterable[dict[str, Any]]) -> list[int]:
    """How many ratings of each score, index 0 = score 1 ... index 4 = score 5."""
    counts = Counter(r["score"] for r in rows)
    return [counts.get(score, 0) for score in range(1, 6)]


def hijri(day: date, lang: str = "ar") -> str:
    """The Umm al-Qura date, e.g. ``18 جمادى الآخرة 1448`` or ``18 Jumada al-Akhirah 1448``."""
    try:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError:
        return ""  # outside the Umm al-Qura table (1343-1500 AH)
    return f"{h.day} {h.month_name('ar' if lang == 'ar' else 'en')} {h.year}"


def daily_report(
    rows: list[dict[str, Any]],
    day: date,
    *,
    sections: dict[str, str | None],
    open_ids: set[str],
    review_counts: dict[str, int],
    calendar: Calendar,
    site_id: str | None,
    names: dict[str, dict[Any, tuple[str, str]]] | None = None,
    excluded: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The day's report: by employee, desk, site, section, hour and channel; reviews; unreviewed negatives.

    ``names`` (as ``store.sites.place_names`` gives them) adds ``name_ar`` and ``name_en`` to each
    desk and section; they are None where no name is known. ``excluded`` (rating id -> cause)
    are left out of the employees' figures only (``employee_groups``).
    """
    names = names or {}
    by_hour = {g["key"]: g for g in group(rows, lambda r: calendar.local(r["counted_at"]).hour, open_ids)}
    return {
        "date": day.isoformat(),
        "hijri": {"ar": hijri(day, "ar"), "en": hijri(day, "en")},
        "site_id": site_id,
        "totals": summarize(rows, open_ids),
        "distribution": distribution(rows),
        "by_employee": employee_groups(rows, open_ids, excluded or {}),
        "by_desk": [
            desk_row(g, names)
            for g in group(rows, lambda r: desk_key(r["site_id"] or "", r["desk_id"] or "", r["channel"]), open_ids)
        ],
        "by_site": [_named("site_id", g) for g in group(rows, lambda r: r["site_id"] or "", open_ids)],
        "by_section": [
            section_row(g, names)
            for g in group(rows, lambda r: section_key(sections.get(r["device_id"]) or "", r["channel"]), open_ids)
        ],
        "by_hour": [{"hour": h, **_stats(by_hour[h])} for h in sorted(by_hour)],
        "by_channel": channel_stats(group(rows, lambda r: r["channel"], open_ids)),
        "reviews": {"opened": review_counts["opened"], "closed": review_counts["closed"]},
        "unreviewed_negatives": [_brief(r) for r in rows if r["id"] in open_ids],
    }


def employee_figures(counts: list[int], open_reviews: int, causes: Mapping[str, int]) -> dict[str, Any]:
    """One employee's figures from [n1..n5, negatives] of the ratings held against them.

    ``count`` is their n; the mean carries its 95% interval (``ci_low``, ``ci_high``: None
    below two ratings); ``excluded`` counts the ratings left out, ``excluded_causes`` by cause.
    """
    n = sum(counts[:5])
    mean, low, high = interval_of_counts(counts[:5])
    return {
        "count": n,
        "mean": None if mean is None else round(mean, 2),
        "negatives": counts[5],
        "share_negative": round(counts[5] / n, 4) if n else None,
        "open_reviews": open_reviews,
        "ci_low": None if low is None else round(low, 2),
        "ci_high": None if high is None else round(high, 2),
        "excluded": sum(causes.values()),
        "excluded_causes": dict(sorted(causes.items())),
    }


def employee_groups(
    rows: list[dict[str, Any]], open_ids: set[str], excluded: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The report's by-employee part: every employee with a rating, figures from those held against them."""
    held: dict[str, list[int]] = {}
    causes: dict[str, Counter[str]] = {}
    opened: Counter[str] = Counter()
    for row in rows:
        key = row["employee_id"] or ""
        counts = held.setdefault(key, [0] * 6)
        tally = causes.setdefault(key, Counter())
        opened[key] += row["id"] in open_ids
        if row["id"] in excluded:
            tally[excluded[row["id"]]] += 1
            continue
        counts[row["score"] - 1] += 1
        counts[5] += row["negative"]
    return [
        {"employee_id": key or None, **employee_figures(held[key], opened[key], causes[key])}
        for key in sorted(held, key=str)
    ]


def channel_stats(groups: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The by-channel part, keyed ``desk``, ``call``, ``link``: a channel with no rating counts 0."""
    found = {g["key"]: _stats(g) for g in groups}
    return {channel: found.get(channel) or _stats(summarize([])) for channel in CHANNELS}


def _stats(g: dict[str, Any]) -> dict[str, Any]:
    return {k: g[k] for k in ("count", "mean", "negatives", "share_negative", "open_reviews")}


def desk_key(site_id: str, desk_id: str, channel: str) -> tuple[str, str, str]:
    """The by-desk group of a rating: its desk (every rating given there), or, with no desk, its channel."""
    return (site_id, desk_id, "") if desk_id else (site_id, "", channel)


def section_key(section: str, channel: str) -> tuple[str, str]:
    """The by-section group of a rating: its section, or, with none (a call, a link), its channel."""
    return (section, "") if section else ("", channel)


def desk_row(g: dict[str, Any], names: dict[str, dict[Any, tuple[str, str]]]) -> dict[str, Any]:
    """A by-desk row; ``channel`` is null for a desk's row, the channel for ratings given at no desk."""
    site_id, desk_id, channel = g["key"]
    return {"site_id": site_id, "desk_id": desk_id, "channel": channel or None,
            **_names(names.get("desks"), (site_id, desk_id)), **_stats(g)}  # fmt: skip


def section_row(g: dict[str, Any], names: dict[str, dict[Any, tuple[str, str]]]) -> dict[str, Any]:
    """A by-section row; ``channel`` is null for a section's row, the channel for ratings of no section."""
    section, channel = g["key"]
    return {"section": section or None, "channel": channel or None, **_names(names.get("sections"), section),
            **_stats(g)}  # fmt: skip


def _named(name: str, g: dict[str, Any]) -> dict[str, Any]:
    return {name: g["key"] or None, **_stats(g)}


def _names(known: dict[Any, tuple[str, str]] | None, key: Any) -> dict[str, str | None]:
    name_ar, name_en = (known or {}).get(key, (None, None))
    return {"name_ar": name_ar, "name_en": name_en}


def name_in(row: dict[str, Any], lang: str, fallback: str) -> str:
    """A desk's or section's name in ``lang``, else its id."""
    return str(row.get("name_ar" if lang == "ar" else "name_en") or row.get(fallback) or "")


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "created_at", "site_id", "desk_id", "channel", "employee_id", "score", "reasons", "visit_id")
    return {k: row[k] for k in keys}


def daily_means(
    rows: list[dict[str, Any]], last_day: date, days: int, calendar: Calendar
) -> list[tuple[date, float | None, int]]:
    """(day, mean or None, count) for each of the ``days`` local days ending at ``last_day``."""
    per_day: dict[date, list[int]] = defaultdict(list)
    for row in rows:
        per_day[calendar.local(row["counted_at"]).date()].append(row["score"])
    result = []
    for offset in range(days - 1, -1, -1):
        day = last_day - timedelta(days=offset)
        scores = per_day.get(day, [])
        result.append((day, sum(scores) / len(scores) if scores else None, len(scores)))
    return result


def employee_table(
    rows: list[dict[str, Any]],
    last_day: date,
    days: int,
    calendar: Calendar,
    min_n: int = MIN_N_TO_RANK,
    excluded: Mapping[str, str] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Per employee: n, mean with its 95% interval, share negative, daily trend, and what was excluded.

    ``excluded`` (rating id -> cause) are left out of all of it but ``excluded`` (how many)
    and ``excluded_causes`` ({cause: how many}). ``ranked`` holds those with at least
    ``min_n`` ratings held against them, best mean first; ``too_few`` the others by id, never ranked.
    """
    excluded = excluded or {}
    per_employee: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["employee_id"]:
            per_employee[row["employee_id"]].append(row)
    ranked: list[dict[str, Any]] = []
    too_few: list[dict[str, Any]] = []
    for employee_id, own in per_employee.items():
        held = [r for r in own if r["id"] not in excluded]
        causes = Counter(excluded[r["id"]] for r in own if r["id"] in excluded)
        mean, low, high = mean_interval([r["score"] for r in held])
        negatives = sum(1 for r in held if r["negative"])
        entry = {
            "employee_id": employee_id,
            "count": len(held),
            "mean": mean,
            "low": low,
            "high": high,
            "share_negative": negatives / len(held) if held else None,
            "negatives": negatives,
            "excluded": len(own) - len(held),
            "excluded_causes": dict(sorted(causes.items())),
            "trend": [m for _, m, _ in daily_means(held, last_day, days, calendar)],
        }
        (ranked if len(held) >= min_n else too_few).append(entry)
    ranked.sort(key=lambda e: (-e["mean"], e["employee_id"]))
    for position, entry in enumerate(ranked, start=1):
        entry["rank"] = position
    too_few.sort(key=lambda e: e["employee_id"])
    return {"ranked": ranked, "too_few": too_few}
