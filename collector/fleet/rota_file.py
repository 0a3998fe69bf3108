"""``[sites.reviews]`` in sites.toml: who reviews a site's negative ratings in turn, and its working days.

Example::

    [sites.reviews]
    supervisors = ["sara", "khalid"]        # in turn, for sections that name none of their own
    managers = ["huda"]                     # escalated to once a review is overdue
    director = "abdullah"                   # escalated to when still open the next working morning
    opens_at = "08:00"
    closes_at = "16:00"                     # a review is due by closing time on the day it came in
    working_days = ["sun", "mon", "tue", "wed", "thu"]
    holidays = ["2026-12-02"]
    timezone = "Asia/Riyadh"

    [[sites.sections]]
    id = "men-hall"
    supervisors = ["sara", "omar"]          # this section's own turn

All names are web users (``taqyeem user add``); the rota is kept as collector/reviews/rota.py's
``Rota`` (collector/store/review_owners.py) and read when a review opens.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from collector.reviews.rota import DEFAULT_WORKING_DAYS, SITE_WIDE, WEEKDAYS, Rota
from shared.contract import CLOCK_TIME

UserName = Annotated[str, Field(min_length=1, max_length=64)]


class ReviewRotaEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    supervisors: Annotated[list[UserName], Field(max_length=50)] = []
    managers: Annotated[list[UserName], Field(max_length=20)] = []
    director: UserName | None = None
    opens_at: Annotated[str, Field(pattern=CLOCK_TIME)] = "08:00"
    closes_at: Annotated[str, Field(pattern=CLOCK_TIME)] = "16:00"
    working_days: Annotated[list[str], Field(min_length=1, max_length=7)] = list(DEFAULT_WORKING_DAYS)
    holidays: Annotated[list[date], Field(max_length=400)] = []
    timezone: str = "Asia/Riyadh"

    @field_validator("working_days")
    @classmethod
    def _days(cls, days: list[str]) -> list[str]:
        unknown = [d for d in days if d not in WEEKDAYS]
        if unknown:
            raise ValueError(f"unknown day {unknown[0]!r}; use sun, mon, tue, wed, thu, fri, sat")
        return days

    @field_validator("timezone")
    @classmethod
    def _zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone {zone!r} is not an IANA zone name like Asia/Riyadh") from None
        return zone

    @model_validator(mode="after")
    def _opens_before_closing(self) -> ReviewRotaEntry:
        if self.opens_at >= self.closes_at:
            raise ValueError(f"opens_at {self.opens_at} must come before closes_at {self.closes_at}")
        return self


def site_rota(site_id: str, entry: ReviewRotaEntry, sections: dict[str, list[str]]) -> Rota:
    """A site's Rota from its ``[sites.reviews]`` and its sections' own ``supervisors``."""
    turns = {SITE_WIDE: tuple(entry.supervisors)} if entry.supervisors else {}
    turns.update({section: tuple(names) for section, names in sections.items() if names})
    return Rota(
        site_id=site_id,
        supervisors=turns,
        managers=tuple(entry.managers),
        director=entry.director,
        opens_at=entry.opens_at,
        closes_at=entry.closes_at,
        working_days=tuple(entry.working_days),
        holidays=tuple(sorted(day.isoformat() for day in entry.holidays)),
        timezone=entry.timezone,
    )
