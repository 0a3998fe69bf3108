"""The centres' local day (and hour) of a stored UTC time: the key of every rollup.

Every UTC offset in the tz database is a multiple of 15 minutes, so rollups group
ratings by UTC quarter-hour in SQL (``quarter_sql``) and map each quarter to its
local day and hour once (``local_day_hour``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Riyadh"  # the settings' default timezone


def quarter_sql(column: str) -> str:
    """The UTC quarter-hour of a stored rating's ``column`` (RFC 3339, 'YYYY-MM-DDTHH:MM...Z')."""
    return f"substr({column}, 1, 14) || printf('%02d', CAST(substr({column}, 15, 2) AS INTEGER) / 15 * 15)"


@lru_cache(maxsize=65536)
def local_day_hour(zone: str, minute: str) -> tuple[str, int]:
    """The local (day, hour) of a UTC minute or quarter-hour 'YYYY-MM-DDTHH:MM' in ``zone``."""
    moment = datetime.fromisoformat(minute).replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
    return moment.date().isoformat(), moment.hour
