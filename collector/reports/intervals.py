"""Means out of 5 with their 95% interval (pure), from scores or from how many gave each score.

Every per-employee mean is shown with its interval; below ``collector.reports.maths.MIN_N_TO_RANK``
ratings the interval is what tells a reader how little the mean says.
"""

from __future__ import annotations

import math
from collections import Counter

# Two-sided 95% t critical values by degrees of freedom (the nearest lower df is used: conservative).
_T95 = (
    (1, 12.706),
    (2, 4.303),
    (3, 3.182),
    (4, 2.776),
    (5, 2.571),
    (6, 2.447),
    (7, 2.365),
    (8, 2.306),
    (9, 2.262),
    (10, 2.228),
    (12, 2.179),
    (15, 2.131),
    (20, 2.086),
    (25, 2.060),
    (30, 2.042),
    (40, 2.021),
    (60, 2.000),
    (120, 1.980),
)


def t_critical(df: int) -> float:
    value = _T95[0][1]
    for limit, t in _T95:
        if df >= limit:
            value = t
    return 1.960 if df >= 1000 else value


def mean_interval(scores: list[int]) -> tuple[float | None, float | None, float | None]:
    """Mean with a 95% t interval, clipped to the scale 1..5 (None where n is too small)."""
    counts = Counter(scores)
    return interval_of_counts([counts.get(score, 0) for score in range(1, 6)])


def interval_of_counts(counts: list[int]) -> tuple[float | None, float | None, float | None]:
    """``mean_interval`` from how many ratings gave each score (index 0 = score 1), so rollups give the same."""
    n = sum(counts)
    if n == 0:
        return None, None, None
    mean = sum(score * k for score, k in enumerate(counts, start=1)) / n
    if n < 2:
        return mean, None, None
    sd = math.sqrt(sum(k * (score - mean) ** 2 for score, k in enumerate(counts, start=1)) / (n - 1))
    half = t_critical(n - 1) * sd / math.sqrt(n)
    return mean, max(1.0, mean - half), min(5.0, mean + half)
