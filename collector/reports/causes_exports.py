"""The causes report as tidy tables for a spreadsheet: CSV (one table per file) and .xlsx (one sheet per table).

Pure, as ``collector.reports.period_exports`` is for the period report: the report
(``collector.reports.causes_build.build_causes``) in, tables out, headers and labels in the
chosen language (a reason, a cause, an action: its label beside its code); the span is a column
of every row. The breakdowns are one row per group and reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from collector.reports.daily_exports import Table
from collector.reviews.rules import ACTIONS, CAUSES, label
from shared.reasons import reason_label

CAUSES_TABLES = ("reasons", "causes", "actions", "effects", "by_section", "by_hour", "by_weekday", "by_channel",
                 "by_employee")  # fmt: skip
HEADERS: dict[str, tuple[str, str]] = {
    "first_day": ("من يوم", "From"),
    "last_day": ("إلى يوم", "To"),
    "code": ("الرمز", "Code"),
    "reason": ("السبب", "Reason"),
    "cause": ("السبب عند المراجعة", "Cause found"),
    "action": ("الإجراء", "Action"),
    "count": ("العدد", "Count"),
    "share": ("النسبة", "Share"),
    "previous_count": ("العدد في الفترة السابقة", "Count in the span before"),
    "previous_share": ("النسبة في الفترة السابقة", "Share in the span before"),
    "change": ("التغير في النسبة", "Change in share"),
    "p_value": ("قيمة p", "p value"),
    "rising": ("ارتفاع دال", "Significant rise"),
    "negatives": ("التقييمات السلبية", "Negative ratings"),
    "attributable_share": ("نسبة المنسوب إلى الموظف", "Share attributable to the employee"),
    "group": ("المجموعة", "Group"),
    "closed_on": ("أُغلقت في", "Closed on"),
    "measure": ("المقيس", "Measured"),
    "before_x": ("قبل: العدد", "Before: count"),
    "before_n": ("قبل: n", "Before: n"),
    "before_rate": ("قبل: المعدل", "Before: rate"),
    "after_x": ("بعد: العدد", "After: count"),
    "after_n": ("بعد: n", "After: n"),
    "after_rate": ("بعد: المعدل", "After: rate"),
    "verdict": ("الحكم", "Verdict"),
    "site_id": ("الموقع", "Site"),
    "employee_id": ("الرقم الوظيفي", "Employee id"),
}
TITLES: dict[str, tuple[str, str]] = {
    "reasons": ("أسباب المراجعين", "Visitors' reasons"),
    "causes": ("أسباب المراجعة", "Causes found"),
    "actions": ("الإجراءات", "Actions"),
    "effects": ("أثر الإجراءات", "Effect of actions"),
    "by_section": ("حسب القسم", "By section"),
    "by_hour": ("حسب الساعة", "By hour"),
    "by_weekday": ("حسب اليوم", "By weekday"),
    "by_channel": ("حسب القناة", "By channel"),
    "by_employee": ("حسب الموظف", "By employee"),
}
VERDICTS: dict[str, tuple[str, str]] = {
    "fell": ("انخفض بعد الإجراء", "fell after the action"),
    "rose": ("ارتفع بعد الإجراء", "rose after the action"),
    "no_clear_change": ("لا تغير واضح", "no clear change"),
    "too_few": ("التقييمات أقل من أن يُحكم", "too few ratings to tell"),
    "too_early": ("لم تمضِ الأسابيع الأربعة بعد", "the 4 weeks after are not over"),
}
_SPAN = ("first_day", "last_day")
COLUMNS: dict[str, tuple[str, ...]] = {
    "reasons": (*_SPAN, "code", "reason", "count", "share", "previous_count", "previous_share", "change", "p_value",
                "rising"),
    "causes": (*_SPAN, "code", "cause", "count", "share", "attributable_share", "previous_count", "previous_share"),
    "actions": (*_SPAN, "code", "action", "count"),
    "effects": (*_SPAN, "action", "closed_on", "site_id", "employee_id", "measure", "before_x", "before_n",
                "before_rate", "after_x", "after_n", "after_rate", "verdict"),
    **{t: (*_SPAN, "group", "negatives", "code", "reason", "count", "share")
       for t in ("by_section", "by_hour", "by_weekday", "by_channel", "by_employee")},
}  # fmt: skip
_GROUP = {"by_hour": "hour", "by_weekday": "weekday", "by_channel": "channel", "by_employee": "employee_id"}


def _rows(report: dict[str, Any], key: str, lang: str) -> list[dict[str, Any]]:
    i = 0 if lang == "ar" else 1
    if key == "reasons":
        return [{**r, "reason": reason_label(r["code"], lang)} for r in report["reasons"]]
    if key == "causes":
        return [{**r, "cause": label(CAUSES, r["code"], lang)} for r in report["causes"]]
    if key == "actions":
        return [{"code": a["action"], "action": label(ACTIONS, a["action"], lang), "count": a["count"]}
                for a in report["actions"]]  # fmt: skip
    if key == "effects":
        return [_effect(e, lang, i) for a in report["actions"] for e in a.get("effects", [])]
    groups = report[key]["rows"] if key == "by_employee" else report[key]
    rows = []
    for g in groups:
        name = g.get("section") or g.get("channel") if key == "by_section" else g[_GROUP[key]]
        for r in g["reasons"]:
            reason = reason_label(r["code"], lang)
            rows.append({"group": name, "negatives": g["negatives"], "reason": reason, **r})
    return rows


def _effect(e: dict[str, Any], lang: str, i: int) -> dict[str, Any]:
    measure = reason_label(e["code"], lang) if e.get("code") else e["measure"]
    return {"action": label(ACTIONS, e["action"], lang), "closed_on": e["closed_on"], "site_id": e["site_id"],
            "employee_id": e["employee_id"], "measure": measure,
            **{f"{w}_{k}": e[w][k] for w in ("before", "after") for k in ("x", "n", "rate")},
            "verdict": VERDICTS[e["verdict"]][i]}  # fmt: skip


def causes_tables(report: dict[str, Any], lang: str, tables: Sequence[str] = CAUSES_TABLES) -> list[Table]:
    """The report's tables in ``lang``, one row per item; the span's first and last day on every row."""
    i = 0 if lang == "ar" else 1
    span = {"first_day": report["from"], "last_day": report["to"]}
    result = []
    for key in tables:
        columns = COLUMNS[key]
        rows = [[{**span, **row}.get(c) for c in columns] for row in _rows(report, key, lang)]
        result.append(Table(key, TITLES[key][i], tuple(HEADERS[c][i] for c in columns), columns, rows))
    return result


def causes_filename(report: dict[str, Any], lang: str, table: str | None, extension: str) -> str:
    """``taqyeem-causes-2026-01-01-2026-12-31-reasons-ar.csv``; a Hijri month as ``hijri-1447-09``."""
    hijri = report.get("hijri") or {}
    span = f"hijri-{hijri.get('month') or hijri.get('year')}" if hijri else f"{report['from']}-{report['to']}"
    parts = ["taqyeem-causes", span, report.get("site_id"), table.replace("_", "-") if table else None, lang]
    return "-".join(p for p in parts if p) + "." + extension
