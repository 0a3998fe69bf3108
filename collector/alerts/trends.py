"""Trend alerts (pure): besides each negative, the patterns a site's managers want to hear of the same day.

Three rules, each with thresholds a site sets under ``[sites.trends]`` in sites.toml (PROTOCOL 1.2,
"Trend alerts"): one employee's negatives within a window (3 in 2 hours by default); a desk's mean today
below the site's own mean over the 30 days before by a margin, once the desk has enough ratings today; a
site's share of negatives today above a threshold, once it has enough ratings. Each is sent once per window
(collector/store/trends.py:Trends.claim), to the site's managers, and as an Alert of kind ``trend``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from shared.contract import Alert

Rule = Literal["employee_negatives", "desk_mean_drop", "site_share_negative"]
BASELINE_DAYS = 30  # the site's own mean a desk is compared with: the 30 local days before today
DAY = "P1D"  # the window of the day-long rules, as an ISO 8601 duration


class TrendThresholds(BaseModel):
    """``[sites.trends]`` in sites.toml; a site without it gets these defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: StrictBool = True
    employee_negatives: Annotated[StrictInt, Field(ge=2, le=50)] = 3
    employee_window_min: Annotated[StrictInt, Field(ge=10, le=24 * 60)] = 120
    desk_mean_margin: Annotated[float, Field(gt=0, le=4)] = 1.0
    desk_min_n: Annotated[StrictInt, Field(ge=1, le=1000)] = 10
    site_share_negative: Annotated[float, Field(gt=0, le=1)] = 0.25
    site_min_n: Annotated[StrictInt, Field(ge=1, le=10000)] = 20

    @property
    def employee_window(self) -> str:
        hours, minutes = divmod(self.employee_window_min, 60)
        return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")


@dataclass(frozen=True)
class TrendFinding:
    rule: Rule
    site_id: str
    subject: str  # the employee id, the desk id or the site id: what "once per window" counts by
    window: str  # ISO 8601 duration
    value: float  # the count, the desk's mean or the share
    threshold: float
    n: int  # the ratings the value stands on
    employee_id: str | None = None
    desk_id: str | None = None


def employee_negatives(site_id: str, employee_id: str, count: int, t: TrendThresholds) -> TrendFinding | None:
    """``count``: the employee's negatives within the window ending at the newest one."""
    if not t.enabled or count < t.employee_negatives:
        return None
    return TrendFinding(
        "employee_negatives", site_id, employee_id, t.employee_window, count, t.employee_negatives, count,
        employee_id=employee_id,
    )  # fmt: skip


def desk_mean_drop(
    site_id: str, desk_id: str, desk: tuple[int, int], baseline: tuple[int, int], t: TrendThresholds
) -> TrendFinding | None:
    """``desk``: (n, sum of scores) today; ``baseline``: the site's (n, sum) over the BASELINE_DAYS before."""
    (n, total), (base_n, base_total) = desk, baseline
    if not t.enabled or n < t.desk_min_n or base_n < t.desk_min_n:
        return None
    mean, floor = total / n, base_total / base_n - t.desk_mean_margin
    if mean > floor:
        return None
    return TrendFinding("desk_mean_drop", site_id, desk_id, DAY, round(mean, 2), round(floor, 2), n, desk_id=desk_id)


def site_share_negative(site_id: str, n: int, negatives: int, t: TrendThresholds) -> TrendFinding | None:
    if not t.enabled or n < t.site_min_n or negatives / n < t.site_share_negative:
        return None
    return TrendFinding("site_share_negative", site_id, site_id, DAY, round(negatives / n, 3), t.site_share_negative, n)


def trend_alert(finding: TrendFinding, at: str) -> Alert:
    """The MQTT Alert of kind ``trend`` on the site's alerts topic."""
    return Alert(
        kind="trend",
        rule=finding.rule,
        site_id=finding.site_id,
        desk_id=finding.desk_id,
        employee_id=finding.employee_id,
        window=finding.window,
        value=finding.value,
        threshold=finding.threshold,
        created_at=at,
    )


def trend_text(finding: TrendFinding, employee: tuple[str, str] = ("", "")) -> tuple[str, str]:
    """Title and body, Arabic first then English; ``employee``: the phrases naming the employee, if one."""
    f = finding
    if f.rule == "employee_negatives":
        ar = f"{employee[0]}: {f.value:g} تقييمات سلبية خلال {_minutes(f.window)} دقيقة (الحد {f.threshold:g})"
        minutes = _minutes(f.window)
        en = f"{employee[1]}: {f.value:g} negative ratings within {minutes} minutes (threshold {f.threshold:g})"
    elif f.rule == "desk_mean_drop":
        ar = f"المكتب {f.desk_id}: متوسط اليوم {f.value:.2f} من 5 دون {f.threshold:.2f} (عدد التقييمات {f.n})"
        en = f"desk {f.desk_id}: today's mean {f.value:.2f} out of 5, below {f.threshold:.2f} (n = {f.n})"
    else:
        ar = f"نسبة التقييمات السلبية اليوم {f.value:.0%} تجاوزت {f.threshold:.0%} (عدد التقييمات {f.n})"
        en = f"today's share of negative ratings {f.value:.0%} is above {f.threshold:.0%} (n = {f.n})"
    title = f"تنبيه اتجاه · Trend alert · {f.site_id}"
    return title, f"{ar}\n{en}"


def _minutes(window: str) -> int:
    found = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?", window)
    return 0 if found is None else int(found[1] or 0) * 60 + int(found[2] or 0)
