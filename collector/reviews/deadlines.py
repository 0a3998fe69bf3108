"""When a review is due and when it goes to the director (pure), from its site's rota.

``due_at`` is the site's closing time on the working day the rating came in; a rating
that came after closing, or on a day off (a weekend or a holiday), is due at the
closing time of the next working day. A review still open at the start (``opens_at``)
of the working day after its due day goes to the director.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from collector.reviews.rota import Rota
from shared.clock import format_time, parse_time

MAX_DAYS_OFF = 60  # a rota whose working days are all holidays for longer is a mistake; stop looking


def next_working_day(rota: Rota, after: date) -> date:
    """The first working day strictly after ``after`` (within MAX_DAYS_OFF, else the day after)."""
    for offset in range(1, MAX_DAYS_OFF + 1):
        day = after + timedelta(days=offset)
        if rota.is_working_day(day):
            return day
    return after + timedelta(days=1)


def due_day(rota: Rota, came_in: datetime) -> date:
    """The local working day whose closing time a rating that came in at ``came_in`` is due by."""
    local = came_in.astimezone(ZoneInfo(rota.timezone))
    if rota.is_working_day(local.date()) and local.time() < rota.closing:
        return local.date()
    return next_working_day(rota, local.date())


def due_at(rota: Rota, came_in: str) -> str:
    """The contract timestamp (UTC) a review of a rating that came in at ``came_in`` is due by."""
    day = due_day(rota, parse_time(came_in))
    return format_time(datetime.combine(day, rota.closing, ZoneInfo(rota.timezone)).astimezone(UTC))


def director_at(rota: Rota, due: str) -> str:
    """When a review due at ``due`` and still open goes to the director: the next working morning."""
    zone = ZoneInfo(rota.timezone)
    day = next_working_day(rota, parse_time(due).astimezone(zone).date())
    return format_time(datetime.combine(day, rota.opening, zone).astimezone(UTC))


def is_overdue(status: str, due: str | None, now: str) -> bool:
    """An open review past its due time (a review from before deadlines, with none, never is)."""
    return status == "open" and due is not None and due < now
