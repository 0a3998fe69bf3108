"""The trend rules (collector/alerts/trends.py) applied to each stored batch, on the alert dispatcher's thread.

Reads only what the batch touched: the employees of its negatives, its desks and its sites, from an indexed
count of the employee's recent negatives and the daily rollups kept in the batch's transaction; a site's
30-day baseline is read once a day. Each finding is claimed in the store before it is sent, so a trend is
told once per window, also across a restart.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from collector.alerts.trends import (
    BASELINE_DAYS,
    TrendFinding,
    TrendThresholds,
    desk_mean_drop,
    employee_negatives,
    site_share_negative,
)
from collector.reports.maths import Calendar
from collector.store import Store
from shared.clock import format_time, parse_time


class TrendWatch:
    def __init__(self, store: Store, calendar: Calendar) -> None:
        self.store = store
        self.calendar = calendar
        self._baselines: dict[tuple[str, str], tuple[int, int]] = {}  # (site, local day) -> (n, sum) before it

    def findings(self, rows: list[dict[str, Any]], now: datetime) -> list[TrendFinding]:
        """The trends these newly stored ratings bring over a threshold, each claimed (once per window)."""
        sites = {r["site_id"] for r in rows if r["site_id"]}
        stored = self.store.trends.thresholds(sites)
        rules = {s: TrendThresholds.model_validate(stored[s]) if s in stored else TrendThresholds() for s in sites}
        day = self.calendar.local(format_time(now)).date()
        today = day.isoformat()
        found: list[TrendFinding | None] = []
        for site_id, employee_id in sorted({(r["site_id"], r["employee_id"]) for r in rows if _counts(r)}):
            t = rules[site_id]
            newest = max(r["created_at"] for r in rows if r["employee_id"] == employee_id and r["negative"])
            since = format_time(parse_time(newest) - timedelta(minutes=t.employee_window_min))
            count = self.store.trends.employee_negatives(employee_id, since, newest)
            found.append(employee_negatives(site_id, employee_id, count, t))
        for site_id, desk_id in sorted({(r["site_id"], r["desk_id"]) for r in rows if r["site_id"] and r["desk_id"]}):
            n, total, _ = self.store.trends.desk_sums(site_id, desk_id, today, today)
            found.append(desk_mean_drop(site_id, desk_id, (n, total), self._baseline(site_id, day), rules[site_id]))
        for site_id in sorted(sites):
            n, _, negatives = self.store.trends.site_sums(site_id, today, today)
            found.append(site_share_negative(site_id, n, negatives, rules[site_id]))
        day_start = self.calendar.day_bounds(day)[0]
        return [f for f in found if f is not None and self._claim(f, now, day_start, rules[f.site_id])]

    def _baseline(self, site_id: str, day: Any) -> tuple[int, int]:
        key = (site_id, day.isoformat())
        if key not in self._baselines:
            first, last = day - timedelta(days=BASELINE_DAYS), day - timedelta(days=1)
            n, total, _ = self.store.trends.site_sums(site_id, first.isoformat(), last.isoformat())
            self._baselines = {k: v for k, v in self._baselines.items() if k[1] == key[1]}  # forget other days
            self._baselines[key] = (n, total)
        return self._baselines[key]

    def _claim(self, finding: TrendFinding, now: datetime, day_start: str, t: TrendThresholds) -> bool:
        if finding.rule == "employee_negatives":
            since = format_time(now - timedelta(minutes=t.employee_window_min))
        else:
            since = day_start
        return self.store.trends.claim(
            finding.site_id, finding.rule, finding.subject, format_time(now), since, finding.value, finding.threshold
        )


def _counts(row: dict[str, Any]) -> bool:
    return bool(row["negative"] and row["site_id"] and row["employee_id"])
