"""Which span a supervisor picked on the period pages (pure): a week, month, quarter, year, since launch,
a Hijri month or year (Umm al-Qura), or from..to; the span itself is ``collector.reports.period.Span``.

A week, month, quarter or year is the one holding the chosen day (default today); a week runs
Sunday to Saturday, the centres' working week. "Since launch" runs from the first day with a
rating to today. A Hijri month or year defaults to the one holding the chosen day.

The pages' form sends every field, the ones its kind does not use included (the form hides
them; without CSS they show). ``read_choice`` reads only the fields of the chosen kind: an
empty one is "not given", a wrong one a ``ChoiceError`` whose ``key`` names the page text
that says why (its entry in collector/web/locale/*/LC_MESSAGES/web.po), in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hijridate import Gregorian, Hijri

from collector.reports.period import MAX_DAYS, Span, SpanError, span_of

KINDS = ("week", "month", "quarter", "year", "launch", "hijri_month", "hijri_year", "custom")
FIELDS = {  # the form's fields each kind reads
    "week": ("day",),
    "month": ("day",),
    "quarter": ("day",),
    "year": ("day",),
    "launch": (),
    "hijri_month": ("hijri_year", "hijri_month"),
    "hijri_year": ("hijri_year",),
    "custom": ("from", "to"),
}
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)  # days a report can hold (collector.access)
HIJRI_YEARS = (1343, 1500)  # the Umm al-Qura table's years
SHOWN = 24  # characters of a wrong value repeated in its message


class ChoiceError(SpanError):
    """A pick that cannot be read or has no span: ``key`` and ``values`` make the page's message."""

    def __init__(self, key: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Choice:
    """The picker's values as the page's form sends them back; None where not given."""

    kind: str = "month"
    day: date | None = None
    hijri_year: int | None = None
    hijri_month: int | None = None
    first: date | None = None
    last: date | None = None


def read_choice(kind: str, fields: dict[str, str]) -> Choice:
    """The pick from the form's raw values: only the fields ``kind`` uses, an empty one not given."""
    if kind not in KINDS:
        raise ChoiceError("pick_kind", f"kind {kind[:SHOWN]!r} must be one of: {', '.join(KINDS)}", value=kind[:SHOWN])
    used = {name: fields.get(name, "").strip() for name in FIELDS[kind]}
    return Choice(
        kind,
        day=_day(used.get("day", ""), "day"),
        hijri_year=_number(used.get("hijri_year", ""), "hijri_year", *HIJRI_YEARS),
        hijri_month=_number(used.get("hijri_month", ""), "hijri_month", 1, 12),
        first=_day(used.get("from", ""), "from"),
        last=_day(used.get("to", ""), "to"),
    )


def _day(text: str, field: str) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        message = f"{field} {text[:SHOWN]!r} must be a day from {FIRST_DAY} to {LAST_DAY} (YYYY-MM-DD)"
        raise ChoiceError("pick_day", message, field=field, value=text[:SHOWN])
    return day


def _number(text: str, field: str, low: int, high: int) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and low <= int(text) <= high):
        message = f"{field} {text[:SHOWN]!r} must be a whole number from {low} to {high}"
        raise ChoiceError(f"pick_{field}", message, value=text[:SHOWN], low=low, high=high)
    return int(text)


def hijri_of(day: date) -> tuple[int, int]:
    """(Hijri year, month) holding ``day``; ChoiceError outside the Umm al-Qura table."""
    try:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError):
        message = f"{day} is outside the Umm al-Qura calendar (1343-1500 AH)"
        raise ChoiceError("pick_outside_hijri", message, value=day.isoformat()) from None
    return h.year, h.month


def month_name(month: int, lang: str) -> str:
    """A Hijri month's name: ``رمضان`` / ``Ramadhan``."""
    return str(Hijri(1447, month, 1).month_name("ar" if lang == "ar" else "en"))


def chosen_span(choice: Choice, today: date, launch: date | None) -> Span:
    """The span of ``choice``; ``launch`` is the first day with a rating (None: none yet, so today)."""
    if choice.kind not in KINDS:
        raise ChoiceError("pick_kind", f"kind {choice.kind!r} must be one of: {', '.join(KINDS)}", value=choice.kind)
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
        try:
            if choice.kind == "hijri_year":
                return span_of(None, None, hijri_year=year)
            return span_of(None, None, hijri_month=f"{year}-{choice.hijri_month or month:02d}")
        except SpanError as exc:  # a year outside the table
            low, high = HIJRI_YEARS
            raise ChoiceError("pick_hijri_year", str(exc), value=year, low=low, high=high) from None
    return span_of(*_custom_days(choice))


def _custom_days(choice: Choice) -> tuple[date, date]:
    first, last = choice.first, choice.last
    if first is None or last is None:
        raise ChoiceError("pick_both_days", "give both days of a custom span: from and to")
    if last < first:
        raise ChoiceError("pick_to_before_from", f"to ({last}) is before from ({first})", first=first, last=last)
    if (last - first).days + 1 > MAX_DAYS:
        raise ChoiceError("pick_too_long", f"a span covers at most {MAX_DAYS} days (about 15 years)", most=MAX_DAYS)
    return first, last


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
