"""Did the action work? (pure): a rate in the 4 weeks before an action was closed against the 4 weeks after.

For a ``process_fix``: the share of the site's ratings naming the same reason (each reason of the
rating reviewed; with none, the site's share of negatives). For ``coaching``: the share of the
employee's ratings that were negative. Before: the 28 local days ending the day before the
closing; after: the 28 days starting the day after. Each rate has its n (ratings) and a 95%
Wilson interval. A verdict is given only where the data can carry one: the 28 days after have
passed, and both windows hold at least ``MIN_N_FOR_VERDICT`` ratings; then the two rates are
compared with the same two-proportion z-test as the reasons (collector.reports.causes, p < 0.05).
Only the latest ``MAX_CHECKED`` of a span are measured; an action's ``count`` says how many there were.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from collector.reports.causes import SIGNIFICANCE, two_proportion_p

MAX_CHECKED = 30  # the latest this many process fixes and coachings of a span are measured (each reads its windows)
WINDOW_DAYS = 28
MIN_N_FOR_VERDICT = 30
Z95 = 1.959964


def windows(closed_on: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """(before, after): the 28 days ending the day before ``closed_on`` and the 28 starting the day after."""
    before = (closed_on - timedelta(days=WINDOW_DAYS), closed_on - timedelta(days=1))
    after = (closed_on + timedelta(days=1), closed_on + timedelta(days=WINDOW_DAYS))
    return before, after


def wilson(x: int, n: int) -> tuple[float | None, float | None]:
    """The 95% Wilson score interval of x out of n; (None, None) without any n."""
    if n <= 0:
        return None, None
    p = x / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def rate(x: int, n: int) -> dict[str, Any]:
    """{x, n, rate, ci_low, ci_high}."""
    low, high = wilson(x, n)
    return {"x": x, "n": n, "rate": round(x / n, 4) if n else None, "ci_low": low, "ci_high": high}


def verdict(before: dict[str, Any], after: dict[str, Any], after_complete: bool) -> str:
    """'fell', 'rose', 'no_clear_change', 'too_early' (the 4 weeks after not over) or 'too_few'."""
    if not after_complete:
        return "too_early"
    if min(before["n"], after["n"]) < MIN_N_FOR_VERDICT:
        return "too_few"
    p = two_proportion_p(after["x"], after["n"], before["x"], before["n"])
    if p is None:
        return "too_few"
    if p >= SIGNIFICANCE:
        return "no_clear_change"
    return "fell" if after["rate"] < before["rate"] else "rose"


def effect_row(
    subject: dict[str, Any], closed_on: date, today: date, before: tuple[int, int], after: tuple[int, int]
) -> dict[str, Any]:
    """One action's row: what it was, what was measured, the two rates and the verdict."""
    b, a = rate(*before), rate(*after)
    complete = windows(closed_on)[1][1] < today
    return {**subject, "closed_on": closed_on.isoformat(), "before": b, "after": a, "verdict": verdict(b, a, complete)}
