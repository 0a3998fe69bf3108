"""The rules on a device's clock: when it is off, and which ratings then count on the day they arrived (pure).

``classify`` measures each device's clock as its messages arrive (seconds ahead;
negative: behind), the store keeps the latest measure (``Devices.note_clock_skew``),
and these rules read it: ``clock_off`` flags a device on the devices page,
``wrong_clock_ids`` decides which ratings of a batch count in reports at their
``received_at`` rather than their ``created_at`` (``collector.ingest.batch.store_batch``
hands that decision to the store).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta

from shared.clock import format_time, parse_time
from shared.contract import Rating

CLOCK_OFF_S = 60  # a device clock further off than this is flagged on the devices page


def clock_off(skew_s: float | None) -> bool:
    """Whether a device whose latest measure is ``skew_s`` (None: never measured) is flagged on the devices page."""
    return skew_s is not None and abs(skew_s) > CLOCK_OFF_S


def wrong_clock_ids(
    ratings: Iterable[Rating], received_at: str, skews: Mapping[str, float], clock_tolerance_s: float = 60.0
) -> set[str]:
    """The ratings that count in reports on the day they were received, not the day their device says.

    A rating counts at its ``created_at`` when its device's clock was right as it arrived.
    The clock was wrong when the rating was made later than it arrived (beyond the
    tolerance: impossible for a right clock), or when the device's latest measure (``skews``:
    this batch's, else the stored one) puts its clock further off than the tolerance: a clock
    set back is seen only that way, since an old ``created_at`` alone may be a resend after an
    outage, which keeps its real day.
    """
    limit = format_time(parse_time(received_at) + timedelta(seconds=clock_tolerance_s))
    off = {device for device, skew in skews.items() if abs(skew) > clock_tolerance_s}
    # Same-format UTC timestamps compare as text: nothing is parsed per rating.
    return {r.id for r in ratings if r.device_id in off or r.created_at > limit}
