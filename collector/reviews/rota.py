"""A site's review rota (pure): who reviews in turn, who is escalated to, and the site's working days.

``[sites.reviews]`` in sites.toml (collector/fleet/sites.py) becomes one :class:`Rota` per site,
kept in the database as JSON (collector/store/review_rotas.py). A new review takes the next
supervisor in turn for its section (the site's own list where the section names none),
skipping anyone marked away; the managers and the director are escalated to
(collector/reviews/escalation.py); the closing time, working days and holidays set the
deadline (collector/reviews/deadlines.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # datetime.weekday(): Monday = 0
DEFAULT_WORKING_DAYS = ("sun", "mon", "tue", "wed", "thu")
SITE_WIDE = ""  # the key of the supervisors who review a site's sections that name none


@dataclass(frozen=True)
class Rota:
    """One site's review rota; a site without ``[sites.reviews]`` has the default (no names, 08:00-16:00 Sun-Thu)."""

    site_id: str
    supervisors: dict[str, tuple[str, ...]] = field(default_factory=dict)  # section id (or SITE_WIDE) -> in turn
    managers: tuple[str, ...] = ()
    director: str | None = None
    opens_at: str = "08:00"
    closes_at: str = "16:00"
    working_days: tuple[str, ...] = DEFAULT_WORKING_DAYS
    holidays: tuple[str, ...] = ()  # YYYY-MM-DD, local days
    timezone: str = "Asia/Riyadh"

    def in_turn(self, section_id: str | None) -> tuple[str, ...]:
        """The supervisors who review this section in turn: its own, else the site's."""
        return self.supervisors.get(section_id or SITE_WIDE) or self.supervisors.get(SITE_WIDE, ())

    def reviewers(self) -> set[str]:
        """Every supervisor named anywhere in the rota."""
        return {name for names in self.supervisors.values() for name in names}

    def is_working_day(self, day: date) -> bool:
        return WEEKDAYS[day.weekday()] in self.working_days and day.isoformat() not in self.holidays

    @property
    def closing(self) -> time:
        return time.fromisoformat(self.closes_at)

    @property
    def opening(self) -> time:
        return time.fromisoformat(self.opens_at)

    def to_json(self) -> str:
        data = {
            "supervisors": {k: list(v) for k, v in self.supervisors.items()},
            "managers": list(self.managers),
            "director": self.director,
            "opens_at": self.opens_at,
            "closes_at": self.closes_at,
            "working_days": list(self.working_days),
            "holidays": list(self.holidays),
            "timezone": self.timezone,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, site_id: str, text: str) -> Rota:
        data: dict[str, Any] = json.loads(text)
        return cls(
            site_id=site_id,
            supervisors={k: tuple(v) for k, v in data.get("supervisors", {}).items()},
            managers=tuple(data.get("managers", ())),
            director=data.get("director"),
            opens_at=data.get("opens_at", "08:00"),
            closes_at=data.get("closes_at", "16:00"),
            working_days=tuple(data.get("working_days", DEFAULT_WORKING_DAYS)),
            holidays=tuple(data.get("holidays", ())),
            timezone=data.get("timezone", "Asia/Riyadh"),
        )


def next_owner(in_turn: tuple[str, ...], last: str | None, away: set[str]) -> str | None:
    """The supervisor after ``last`` in turn, skipping anyone away; None when there is nobody to take it.

    ``last`` no longer in the list (the rota changed) starts the turn again from the first.
    Names compare without case, as user names do.
    """
    if not in_turn:
        return None
    lowered = [name.lower() for name in in_turn]
    start = lowered.index(last.lower()) + 1 if last is not None and last.lower() in lowered else 0
    away_lowered = {name.lower() for name in away}
    for step in range(len(in_turn)):
        candidate = in_turn[(start + step) % len(in_turn)]
        if candidate.lower() not in away_lowered:
            return candidate
    return None
