"""The heading of the printable "centre in figures" sheet: the ministry's title (the collector's
``[sheet]`` settings), the centre's name (the sites file), the issue date and the span, each in
the Gregorian and the Umm al-Qura calendars; and the working week in words, for its "per day" note."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from collector.access import app_deps
from collector.reports.figures import hijri_day
from collector.reports.period import Span
from collector.settings import SheetSettings
from collector.store import Store
from collector.web.render import calendar_of

WEEKDAY_NAMES = {  # Monday = 0, as date.weekday()
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MAX_NAMED = 3  # centres named in the heading; more are counted


def sheet_heading(request: Request, store: Store, sites: list[str], span: Span, lang: str) -> dict[str, Any]:
    """The sheet's heading in ``lang``: ``ministry``, ``centres`` (names, or None past MAX_NAMED), ``n_centres``,
    ``issued`` and ``issued_hijri``, and the span's first and last days in the Hijri calendar."""
    settings = app_deps(request).settings
    sheet = settings.sheet if settings is not None else SheetSettings()
    names = store.sites.site_names(sites)
    english = lang != "ar"
    today = calendar_of(request).today()
    return {
        "ministry": sheet.ministry_en if english else sheet.ministry_ar,
        "centres": [names[s][english] if s in names else s for s in sites] if len(sites) <= MAX_NAMED else None,
        "n_centres": len(sites),
        "issued": today.isoformat(),
        "issued_hijri": hijri_day(today, lang),
        "first_hijri": hijri_day(span.first, lang),
        "last_hijri": hijri_day(span.last, lang),
    }


def weekday_span(weekdays: list[int], lang: str) -> str:
    """The working week in words: "Sunday to Thursday" when the days run on (Sunday first), else each named."""
    names = WEEKDAY_NAMES["ar" if lang == "ar" else "en"]
    order = [(d + 1) % 7 for d in weekdays]  # Sunday = 0
    if len(weekdays) > 2 and order == list(range(order[0], order[0] + len(order))):
        return f"{names[weekdays[0]]} {'إلى' if lang == 'ar' else 'to'} {names[weekdays[-1]]}"
    return ("، " if lang == "ar" else ", ").join(names[d] for d in weekdays)
