"""Which span a supervisor picked on the period pages (pure): a week, month, quarter, year, since launch,
a Hijri month or year (Umm al-Qura), or from..to; the span itself is ``collector.period.Span``.

A week, month, quarter or year is the one holding the chosen day (default today); a week runs
Sunday to Saturday, the centres' working week. "Since launch" runs from the first day with a
rating to today. A Hijri month or year defaults to the one holding the chosen day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hijridate import Gregorian, Hijri

from collector.period import Span, SpanError, span_of

KINDS = ("week", "month", "quarter", "year", "launch", "hijri_month", "hijri_year", "custom")


@dataclass(frozen=True)
class Choice:
    """The picker's values as the page's form sends them back; None where not given."""

    kind: str = "month"
    day: date | None = None
    hijri_year: int | None = None
    hijri_month: int | None = None
    first: date | None = None
    last: date | None = None


def hijri_of(day: date) -> tuple[int, int]:
    """(Hijri year, month) holding ``day``; SpanError outside the Umm al-Qura table."""
    try:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError):
        raise SpanError(f"{day} is outside the Umm al-Qura calendar (1343-1500 AH)") from None
    return h.year, h.month


def month_name(month: int, lang: str) -> str:
    """A Hijri month's name: ``رمضان`` / ``Ramadhan``."""
    return str(Hijri(1447, month, 1).month_name("ar" if lang == "ar" else "en"))


def chosen_span(choice: Choice, today: date, launch: date | None) -> Span:
    """The span of ``choice``; ``launch`` is the first day with a rating (None: none yet, so today)."""
    if choice.kind not in KINDS:
        raise SpanError(f"kind {choice.kind!r} must be one of: {', '.join(KINDS)}")
    day = choice.day or today
    if choice.kind == "week":
        start = day - timedelta(days=(day.weekday() + 1) % 7)  # back to Sunday
        return span_of(start, start + timedelta(days=6))
    if choice.kind == "month":
        start = day.replace(day=1)
        return span_of(start, (start + timedelta(days=32)).replace(day=1) - timedelta(days=1))
    if choice.kind == "quarter":
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return span_of(start, (start + timedelta(days=95)).replace(day=1) - timedelta(days=1))
    if choice.kind == "year":
        return span_of(date(day.year, 1, 1), date(day.year, 12, 31))
    if choice.kind == "launch":
        return span_of(min(launch or today, today), today)
    if choice.kind in ("hijri_month", "hijri_year"):
        year, month = hijri_of(day)
        year = choice.hijri_year or year
        if choice.kind == "hijri_year":
            return span_of(None, None, hijri_year=year)
        return span_of(None, None, hijri_month=f"{year}-{choice.hijri_month or month:02d}")
    if choice.first is None or choice.last is None:
        raise SpanError("give both days of a custom span: from and to")
    return span_of(choice.first, choice.last)


def span_query(choice: Choice, span: Span) -> str:
    """The query string that asks for the same span again (links, downloads, the figures page)."""
    parts = [f"kind={choice.kind}"]
    if choice.kind in ("week", "month", "quarter", "year") and choice.day:
        parts.append(f"day={choice.day.isoformat()}")
    if choice.kind in ("hijri_month", "hijri_year") and span.hijri:
        year = span.hijri.get("year") or span.hijri["month"][:4]
        parts.append(f"hijri_year={year}")
        if "month" in span.hijri:
            parts.append(f"hijri_month={int(span.hijri['month'][5:])}")
    if choice.kind == "custom":
        parts.append(f"from={span.first.isoformat()}&to={span.last.isoformat()}")
    return "&".join(parts)
