"""The causes report, "Why" (pure): the visitors' reasons and the reviewers' causes ranked, and where they fall.

docs/protocol.md: GET /api/v1/reports/causes. ``reasons``: each reason code named on the
span's negative ratings, with ``count`` (negatives naming it), ``share`` (of the span's
negatives; a negative may name several reasons, so shares may add up to more than 1), the
same for the span of the same length just before (``previous_count``, ``previous_share``),
``change`` (share now minus share before) and ``rising``: True only when the share rose and a
two-proportion z-test (pooled, two-sided) on the two spans' counts gives p < 0.05, with both
spans holding at least ``MIN_N_TO_TEST`` negatives and at least 5 expected in each cell;
``p_value`` is null where the counts are too few to test. ``causes``: the reviewers' causes on
the reviews closed in the span, with the share of them held attributable to the employee.
The breakdowns (by section, hour, weekday, channel, employee) give each group's negatives and
its reasons; an employee's reasons are shown only from ``MIN_NEGATIVES_PER_EMPLOYEE`` negatives.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from collector.reports.maths import WEEKDAYS, section_key
from collector.reports.period import Span, SpanError

MAX_DAYS = 3653  # ten years: a longer span is refused with a message
MIN_N_TO_TEST = 10  # negatives in each span before a rise is tested
MIN_NEGATIVES_PER_EMPLOYEE = 5  # an employee's reasons are shown from this many negatives
SIGNIFICANCE = 0.05


def checked_span(span: Span) -> Span:
    """The span, or SpanError when it is longer than ten years."""
    if (span.last - span.first).days + 1 > MAX_DAYS:
        raise SpanError(f"the causes report covers at most {MAX_DAYS} days (ten years); choose a shorter span")
    return span


def previous_span(first: date, last: date) -> tuple[date, date]:
    """The span of the same length that ends the day before ``first``."""
    length = (last - first).days + 1
    return first - timedelta(days=length), first - timedelta(days=1)


def two_proportion_p(x1: int, n1: int, x2: int, n2: int) -> float | None:
    """Two-sided p of the pooled two-proportion z-test of x1/n1 against x2/n2; None when too few to test."""
    if min(n1, n2) < MIN_N_TO_TEST:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    expected = (n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled))
    if min(expected) < 5:
        return None
    z = (x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return math.erfc(abs(z) / math.sqrt(2))


def _share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def ranked_reasons(
    counts: dict[str, int], negatives: int, previous: dict[str, int], previous_negatives: int
) -> list[dict[str, Any]]:
    """Each code of either span, most named first: count, share, the span before, change, p and ``rising``."""
    rows = []
    for code in sorted(set(counts) | set(previous)):
        now, before = counts.get(code, 0), previous.get(code, 0)
        share, previous_share = _share(now, negatives), _share(before, previous_negatives)
        p = two_proportion_p(now, negatives, before, previous_negatives)
        change = None if share is None or previous_share is None else round(share - previous_share, 4)
        rising = p is not None and p < SIGNIFICANCE and change is not None and change > 0
        rows.append({"code": code, "count": now, "share": share, "previous_count": before,
                     "previous_share": previous_share, "change": change,
                     "p_value": None if p is None else round(p, 4), "rising": rising})  # fmt: skip
    return sorted(rows, key=lambda r: (-r["count"], -r["previous_count"], r["code"]))


def ranked_causes(rows: Iterable[dict[str, Any]], previous: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """{cause, attributable, n} rows of closed reviews -> each cause with count, share and attributable share."""
    (now, held), before = _by_cause(rows), _by_cause(previous)[0]
    total, previous_total = sum(now.values()), sum(before.values())
    result = [
        {"code": cause, "count": now.get(cause, 0), "share": _share(now.get(cause, 0), total),
         "attributable_share": _share(held.get(cause, 0), now.get(cause, 0)),
         "previous_count": before.get(cause, 0), "previous_share": _share(before.get(cause, 0), previous_total)}
        for cause in sorted(set(now) | set(before))
    ]  # fmt: skip
    return sorted(result, key=lambda r: (-r["count"], -r["previous_count"], r["code"]))


def _by_cause(rows: Iterable[dict[str, Any]]) -> tuple[dict[str, int], dict[str, int]]:
    counts: dict[str, int] = {}
    held: dict[str, int] = {}
    for row in rows:
        cause = row["cause"] or "other"
        counts[cause] = counts.get(cause, 0) + row["n"]
        if row["attributable"]:
            held[cause] = held.get(cause, 0) + row["n"]
    return counts, held


def action_counts(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """{action, n} rows -> each action taken with its count, most taken first."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["action"]] = counts.get(row["action"], 0) + row["n"]
    return [{"action": a, "count": n} for a, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _grouped(
    reasons: Iterable[dict[str, Any]], negatives: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Any]
) -> list[dict[str, Any]]:
    """Each group's negatives and its reasons (count, share of the group's negatives), most negatives first."""
    totals: dict[Any, int] = {}
    for row in negatives:
        if row["negatives"]:
            totals[key(row)] = totals.get(key(row), 0) + row["negatives"]
    named: dict[Any, dict[str, int]] = {}
    for row in reasons:
        codes = named.setdefault(key(row), {})
        codes[row["code"]] = codes.get(row["code"], 0) + row["n"]
    groups = []
    for group in set(totals) | set(named):
        total = totals.get(group, 0)
        ranked = sorted(named.get(group, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        groups.append({"key": group, "negatives": total,
                       "reasons": [{"code": c, "count": n, "share": _share(n, total)} for c, n in ranked]})  # fmt: skip
    return sorted(groups, key=lambda g: (-g["negatives"], str(g["key"])))


def by_section(
    reasons: list[dict[str, Any]], negatives: list[dict[str, Any]], sections: dict[str, str | None]
) -> list[dict[str, Any]]:
    """Rows keyed device_id and channel -> per section (or, with none, per channel): ``section``, ``channel``."""

    def key(row: dict[str, Any]) -> tuple[str, str]:
        return section_key(sections.get(row["device_id"]) or "", row["channel"])

    return [{"section": g["key"][0] or None, "channel": g["key"][1] or None,
             **{k: g[k] for k in ("negatives", "reasons")}} for g in _grouped(reasons, negatives, key)]  # fmt: skip


def by_field(reasons: list[dict[str, Any]], negatives: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """Per value of one field (hour, channel, employee_id): ``field``, ``negatives``, ``reasons``."""
    return [
        {field: g["key"], "negatives": g["negatives"], "reasons": g["reasons"]}
        for g in _grouped(reasons, negatives, lambda r: r[field])
    ]


def by_weekday(reasons: list[dict[str, Any]], negatives: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows keyed weekday (0 = Sunday, SQLite's %w) -> per weekday (mon..sun, in week order)."""

    def key(row: dict[str, Any]) -> str:
        return WEEKDAYS[(row["weekday"] + 6) % 7]

    groups = {g["key"]: g for g in _grouped(reasons, negatives, key)}
    return [{"weekday": d, "negatives": groups[d]["negatives"], "reasons": groups[d]["reasons"]}
            for d in WEEKDAYS if d in groups]  # fmt: skip


def by_employee(reasons: list[dict[str, Any]], negatives: list[dict[str, Any]]) -> dict[str, Any]:
    """Employees with at least ``MIN_NEGATIVES_PER_EMPLOYEE`` negatives, and how many were held back."""
    rows = [r for r in by_field(reasons, negatives, "employee_id") if r["employee_id"]]
    shown = [r for r in rows if r["negatives"] >= MIN_NEGATIVES_PER_EMPLOYEE]
    return {"min_negatives": MIN_NEGATIVES_PER_EMPLOYEE, "rows": shown, "held_back": len(rows) - len(shown)}
