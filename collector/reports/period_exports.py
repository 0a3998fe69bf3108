"""The period report as tidy tables for a spreadsheet: CSV (one table per file) and .xlsx (one sheet per table).

Pure, as ``collector.reports.daily_exports`` is for the day (whose ``table_csv`` and ``tables_xlsx`` write
these too): a period report (``collector.reports.period.period_report``, employees named) in, tables
out. Each table has fixed columns and one row per group; headers, names and labels are in the
chosen language (a channel, a survey question and its options, an exclusion's cause: never a
code alone); the span (first and last local day, and the Hijri month or year when one was
asked for) is a column of every row, so there is no metadata line above the header. The file
name carries the span, the site, the table and the language (``period_filename``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from collector.reports.daily_exports import (
    CHANNEL_NAMES,
    HEADERS,
    REVIEWER_COLUMNS,
    Table,
    causes_text,
    place_of,
    reviewer_rows,
)
from shared.survey import SurveyQuestion

PERIOD_TABLES = ("summary", "by_channel", "by_section", "by_employee", "questions", "reviewers")

PERIOD_HEADERS: dict[str, tuple[str, str]] = {
    **HEADERS,
    "first_day": ("من يوم", "From"),
    "last_day": ("إلى يوم", "To"),
    "hijri_period": ("الفترة الهجرية", "Hijri period"),
    "visits": ("الزيارات المسجلة", "Visits recorded"),
    "calls": ("المكالمات المسجلة", "Calls recorded"),
    "response_rate": ("نسبة الاستجابة", "Response rate"),
    "recorded": ("المسجّلة (زيارات أو مكالمات)", "Recorded (visits or calls)"),
    "rated": ("منها ما قُيّم", "Of which rated"),
    "rank": ("الترتيب", "Rank"),
    "question_id": ("رمز السؤال", "Question id"),
    "question": ("السؤال", "Question"),
    "option_code": ("رمز الخيار", "Option code"),
    "option": ("الخيار", "Option"),
    "share": ("النسبة", "Share"),
}
PERIOD_TITLES: dict[str, tuple[str, str]] = {
    "summary": ("الملخص", "Summary"),
    "by_channel": ("حسب القناة", "By channel"),
    "by_section": ("حسب القسم", "By section"),
    "by_employee": ("حسب الموظف", "By employee"),
    "questions": ("أسئلة الاستبيان", "Survey questions"),
    "reviewers": ("المراجعون", "Reviewers"),
}
_SPAN = ("first_day", "last_day", "hijri_period")
_RESPONSES = ("recorded", "rated", "response_rate")
NOT_RECORDED = ("غير مسجّل", "not recorded")  # a visit or call figure where none was recorded (never an empty cell)
_STATS = ("count", "mean", "negatives", "share_negative")
PERIOD_COLUMNS: dict[str, tuple[str, ...]] = {
    "summary": (*_SPAN, "count", "mean", "ci_low", "ci_high", "negatives", "share_negative",
                "visits", "calls", "response_rate"),
    "by_channel": (*_SPAN, "channel", *_STATS, "recorded", "rated", "response_rate"),
    "by_section": (*_SPAN, "section_id", "section", *_STATS),
    "by_employee": (*_SPAN, "employee_id", "employee", "count", "mean", "ci_low", "ci_high", "negatives",
                    "share_negative", "rank", "excluded", "excluded_causes"),
    "questions": (*_SPAN, "question_id", "question", "option_code", "option", "count", "share"),
    "reviewers": (*_SPAN, *REVIEWER_COLUMNS),
}  # fmt: skip


def period_tables(
    report: dict[str, Any],
    lang: str,
    questions: Mapping[str, SurveyQuestion],
    tables: Sequence[str] = PERIOD_TABLES,
) -> list[Table]:
    """The report's tables in ``lang``: numbers stay numbers, a day is a ``date``, None an empty cell
    (but "not recorded", in ``lang``, for visits, calls and response rates where none was recorded)."""
    i = 0 if lang == "ar" else 1
    name = "name_ar" if lang == "ar" else "name_en"
    hijri = (report.get("hijri") or {}).get(lang)
    span = [date.fromisoformat(report["from"]), date.fromisoformat(report["to"]), hijri]

    def rows_of(key: str) -> list[list[Any]]:
        if key == "summary":
            return [[_recorded(report, k, i) for k in PERIOD_COLUMNS["summary"][3:]]]
        if key == "by_channel":
            return [
                [CHANNEL_NAMES[c][i], *(r[k] for k in _STATS), *(_recorded(r, k, i) for k in _RESPONSES)]
                for c, r in report["by_channel"].items()
            ]
        if key == "by_section":
            return [
                [r["section"], place_of(r, r.get(name) or r["section"], "section", lang), *(r[k] for k in _STATS)]
                for r in report["by_section"]
            ]
        if key == "by_employee":
            return [
                [r["employee_id"], r.get(name), *(r[k] for k in PERIOD_COLUMNS["by_employee"][5:-2]),
                 r["excluded"], causes_text(r["excluded_causes"], lang) or None]
                for r in report["by_employee"]
            ]  # fmt: skip
        if key == "reviewers":
            return reviewer_rows(report.get("reviewers", []), lang)
        return _question_rows(report["questions"], questions, lang)

    return [
        Table(key, PERIOD_TITLES[key][i], tuple(PERIOD_HEADERS[c][i] for c in PERIOD_COLUMNS[key]),
              PERIOD_COLUMNS[key], [[*span, *row] for row in rows_of(key)])
        for key in tables
    ]  # fmt: skip


def _recorded(row: Mapping[str, Any], key: str, i: int) -> Any:
    """A figure of the row; "not recorded" for a visit or call figure of which nothing was recorded."""
    value = row.get(key)
    if value is None and key in ("visits", "calls", *_RESPONSES):
        return NOT_RECORDED[i]
    return value


def question_label(question: SurveyQuestion | None, qid: str, lang: str) -> str:
    """A survey question's text in ``lang``, else its id."""
    if question is None:
        return qid
    return question.text_ar if lang == "ar" else question.text_en


def option_label(question: SurveyQuestion | None, code: str, lang: str) -> str:
    """An option's label in ``lang`` (a scale answer, or an option no survey names, as given)."""
    for option in question.options if question else []:
        if option.code == code:
            return option.label_ar if lang == "ar" else option.label_en
    return code


def _question_rows(
    shares: dict[str, dict[str, dict[str, Any]]], questions: Mapping[str, SurveyQuestion], lang: str
) -> list[list[Any]]:
    rows = []
    for qid, options in shares.items():
        question = questions.get(qid)
        for code, figures in options.items():
            rows.append(
                [qid, question_label(question, qid, lang), code, option_label(question, code, lang),
                 figures["count"], figures["share"]]
            )  # fmt: skip
    return rows


def period_filename(report: dict[str, Any], lang: str, table: str | None, extension: str) -> str:
    """``taqyeem-period-2026-01-01-2026-12-31-by-channel-ar.csv``; a Hijri month as ``hijri-1447-09``."""
    hijri = report.get("hijri") or {}
    if "month" in hijri:
        span = f"hijri-{hijri['month']}"
    elif "year" in hijri:
        span = f"hijri-{hijri['year']}"
    else:
        span = f"{report['from']}-{report['to']}"
    parts = ["taqyeem-period", span, report.get("site_id"), table.replace("_", "-") if table else None, lang]
    return "-".join(p for p in parts if p) + "." + extension
