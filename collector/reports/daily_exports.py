"""The daily report as tidy tables for a spreadsheet: CSV (one table per file) and .xlsx (one sheet per table).

Pure: a named report (``collector.people.employee_names.name_report`` with ``labels``) in, tables out.
Each table has fixed columns and one row per group; headers, names and labels are in
the chosen language, times are the centres' local times (the pages' calendar), and
the date (Gregorian and Hijri, in that language) is a column of every row, so there
is no metadata line above the header. The file name carries the day, the site, the
table and the language (``export_filename``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from collector.reports.channels import place_label
from collector.reports.languages import language_name
from collector.reports.maths import Calendar, hijri
from collector.reviews.rules import CAUSES, label
from shared.reasons import reason_labels

TABLES = (
    "by_employee", "by_desk", "by_section", "by_site", "by_channel", "by_language", "by_hour", "negatives", "reviewers",
)  # fmt: skip
DEFAULT_TABLE = "by_employee"

# Column key: (Arabic header, English header).
HEADERS: dict[str, tuple[str, str]] = {
    "date": ("التاريخ", "Date"),
    "hijri_date": ("التاريخ الهجري", "Hijri date"),
    "site_id": ("رمز المركز", "Site id"),
    "employee_id": ("الرقم الوظيفي", "Employee id"),
    "employee": ("الموظف", "Employee"),
    "desk_id": ("رمز المكتب", "Desk id"),
    "desk": ("المكتب", "Desk"),
    "section_id": ("رمز القسم", "Section id"),
    "section": ("القسم", "Section"),
    "hour": ("الساعة", "Hour"),
    "channel": ("القناة", "Channel"),
    "count": ("العدد", "Count"),
    "mean": ("المتوسط من ٥", "Mean out of 5"),
    "ci_low": ("الحد الأدنى لفترة الثقة ٩٥٪", "95% interval, low"),
    "ci_high": ("الحد الأعلى لفترة الثقة ٩٥٪", "95% interval, high"),
    "negatives": ("السلبية", "Negatives"),
    "share_negative": ("نسبة السلبية", "Share negative"),
    "open_reviews": ("مراجعات مفتوحة", "Open reviews"),
    "excluded": ("مستبعدة من متوسطه", "Excluded from their mean"),
    "excluded_causes": ("أسباب الاستبعاد", "Why excluded"),
    "rating_id": ("رقم التقييم", "Rating id"),
    "local_time": ("الوقت", "Time"),
    "score": ("التقييم", "Score"),
    "reasons": ("الأسباب", "Reasons"),
    "reason_codes": ("رموز الأسباب", "Reason codes"),
    "visit_id": ("رقم الزيارة", "Visit"),
    "lang": ("رمز اللغة", "Language code"),
    "language": ("اللغة", "Language"),
    "share": ("النسبة", "Share"),
    # 1.2: the reviewers held to account (collector/reports/reviewers.py)
    "owner": ("المسؤول عن المراجعة", "Review owner"),
    "owned": ("المراجعات المسندة", "Reviews owned"),
    "closed": ("المغلقة", "Closed"),
    "closed_on_time": ("المغلقة في موعدها", "Closed on time"),
    "on_time_share": ("نسبة المغلقة في موعدها", "Share closed on time"),
    "median_close_h": ("وسيط مدة الإغلاق بالساعات", "Median hours to close"),
    "overdue_now": ("المتأخرة الآن", "Overdue now"),
}
REVIEWER_COLUMNS = ("owner", "site_id", "owned", "closed", "closed_on_time", "on_time_share", "median_close_h",
                    "overdue_now")  # fmt: skip
NO_OWNER = ("بلا مسؤول", "no owner")
TITLES: dict[str, tuple[str, str]] = {
    "by_employee": ("حسب الموظف", "By employee"),
    "by_desk": ("حسب المكتب", "By desk"),
    "by_section": ("حسب القسم", "By section"),
    "by_site": ("حسب المركز", "By site"),
    "by_channel": ("حسب القناة", "By channel"),
    "by_language": ("حسب اللغة", "By language"),
    "by_hour": ("حسب الساعة", "By hour"),
    "negatives": ("سلبية لم تُراجع", "Unreviewed negatives"),
    "reviewers": ("المراجعون", "Reviewers"),
}
CHANNEL_NAMES: dict[str, tuple[str, str]] = {
    "desk": ("المكتب", "Desk"),
    "call": ("مكالمة", "Call"),
    "link": ("رابط", "Link"),
}
_STATS = ("count", "mean", "negatives", "share_negative", "open_reviews")
COLUMNS: dict[str, tuple[str, ...]] = {
    "by_employee": ("date", "hijri_date", "employee_id", "employee", "count", "mean", "ci_low", "ci_high",
                    "negatives", "share_negative", "open_reviews", "excluded", "excluded_causes"),
    "by_desk": ("date", "hijri_date", "site_id", "desk_id", "desk", *_STATS),
    "by_section": ("date", "hijri_date", "section_id", "section", *_STATS),
    "by_site": ("date", "hijri_date", "site_id", *_STATS),
    "by_channel": ("date", "hijri_date", "channel", *_STATS),
    "by_language": ("date", "hijri_date", "lang", "language", "count", "share"),
    "by_hour": ("date", "hijri_date", "hour", *_STATS),
    "negatives": ("date", "hijri_date", "local_time", "rating_id", "site_id", "desk_id", "desk", "employee_id",
                  "employee", "score", "reasons", "reason_codes", "visit_id"),
    "reviewers": ("date", "hijri_date", *REVIEWER_COLUMNS),
}  # fmt: skip


@dataclass(frozen=True)
class Table:
    """One tidy table: its key (``by_employee``), title and headers in the language, and rows of values."""

    key: str
    title: str
    headers: tuple[str, ...]
    columns: tuple[str, ...]
    rows: list[list[Any]]


def export_tables(
    report: dict[str, Any],
    lang: str,
    calendar: Calendar,
    reasons: Mapping[str, Any] | None = None,
    tables: Sequence[str] = TABLES,
) -> list[Table]:
    """The report's tables in ``lang``: numbers stay numbers, a time is a local ``datetime``, None an empty cell.

    ``reasons`` maps a rating id to its desk's reason labels, where known (else the contract's defaults).
    """
    i = 0 if lang == "ar" else 1
    day = date.fromisoformat(report["date"])
    day_cells = [day, hijri(day, lang)]
    desks = {(d["site_id"], d["desk_id"]): d.get("name_ar" if lang == "ar" else "name_en") for d in report["by_desk"]}
    name = "name_ar" if lang == "ar" else "name_en"

    def rows_of(key: str) -> list[list[Any]]:
        if key == "by_employee":
            return [
                [r["employee_id"], r.get(name), *(r[k] for k in ("count", "mean", "ci_low", "ci_high")),
                 *(r[k] for k in _STATS[2:]), r["excluded"], causes_text(r["excluded_causes"], lang) or None]
                for r in report["by_employee"]
            ]  # fmt: skip
        if key == "by_desk":
            return [
                [r["site_id"] or None, r["desk_id"] or None, place_of(r, r.get(name), "desk_id", lang), *_stats(r)]
                for r in report["by_desk"]
            ]
        if key == "by_section":
            return [[r["section"], place_of(r, r.get(name), "section", lang), *_stats(r)] for r in report["by_section"]]
        if key == "by_site":
            return [[r["site_id"], *_stats(r)] for r in report["by_site"]]
        if key == "by_channel":
            return [[CHANNEL_NAMES[c][i], *_stats(r)] for c, r in report["by_channel"].items()]
        if key == "by_language":  # each language by its own name (collector/reports/languages.py), in any page language
            return [[c, language_name(c, lang), r["count"], r["share"]] for c, r in report["by_language"].items()]
        if key == "by_hour":
            return [[f"{r['hour']:02d}:00", *_stats(r)] for r in report["by_hour"]]
        if key == "reviewers":
            return reviewer_rows(report.get("reviewers", []), lang)
        return [
            _negative(r, lang, calendar, desks, (reasons or {}).get(r["id"])) for r in report["unreviewed_negatives"]
        ]

    return [
        Table(key, TITLES[key][i], tuple(HEADERS[c][i] for c in COLUMNS[key]), COLUMNS[key],
              [[*day_cells, *row] for row in rows_of(key)])
        for key in tables
    ]  # fmt: skip


def reviewer_rows(reviewers: list[dict[str, Any]], lang: str) -> list[list[Any]]:
    """The reviewers' table (collector/reports/reviewers.py); reviews nobody owned under "no owner"."""
    no_owner = NO_OWNER[0 if lang == "ar" else 1]
    return [[r["owner"] or no_owner, *(r[k] for k in REVIEWER_COLUMNS[1:])] for r in reviewers]


def place_of(row: Mapping[str, Any], name: str | None, id_key: str, lang: str) -> str | None:
    """A desk's or section's name cell: a call's or a link's names its channel (and its desk when known)."""
    channel = row.get("channel")
    if channel in (None, "desk"):
        return name
    return place_label(name or row.get(id_key) or None, channel, lang)


def causes_text(causes: Mapping[str, int], lang: str) -> str:
    """Excluded ratings' causes in ``lang``: 'System outage' (one cause), or 'System outage 2, Other 1'."""
    comma = "، " if lang == "ar" else ", "
    if len(causes) == 1:
        return label(CAUSES, next(iter(causes)), lang)
    return comma.join(f"{label(CAUSES, code, lang)} {n}" for code, n in causes.items())


def _stats(row: dict[str, Any]) -> list[Any]:
    return [row[k] for k in _STATS]


def _negative(
    row: dict[str, Any], lang: str, calendar: Calendar, desks: Mapping[Any, str | None], labels: Any
) -> list[Any]:
    comma = "، " if lang == "ar" else ", "
    return [
        calendar.local(row["created_at"]).replace(tzinfo=None, microsecond=0),
        row["id"],
        row["site_id"],
        row["desk_id"],
        place_label(desks.get((row["site_id"] or "", row["desk_id"] or "")), row.get("channel"), lang),
        row["employee_id"],
        row.get("employee_name_ar" if lang == "ar" else "employee_name_en"),  # collector/people/employee_names.py
        row["score"],
        comma.join(reason_labels(row["reasons"], lang, labels)) or None,
        " ".join(row["reasons"]) or None,
        row["visit_id"],
    ]


def table_csv(table: Table) -> str:
    """One table as CSV: UTF-8 with a byte-order mark (Excel reads Arabic right), CRLF lines, header first."""
    out = io.StringIO()
    writer = csv.writer(out)  # lineterminator \r\n
    writer.writerow(table.headers)
    writer.writerows([csv_cell(v) for v in row] for row in table.rows)
    return "\ufeff" + out.getvalue()


def csv_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula; a local time as ``2026-11-30 14:05``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


_FORMATS = {
    "share_negative": "0.0%",
    "share": "0.0%",
    "mean": "0.00",
    "ci_low": "0.00",
    "ci_high": "0.00",
    "date": "yyyy-mm-dd",
    "first_day": "yyyy-mm-dd",
    "last_day": "yyyy-mm-dd",
    "response_rate": "0.0%",
    "local_time": "yyyy-mm-dd hh:mm",
}


def tables_xlsx(tables: list[Table], lang: str) -> bytes:
    """One workbook, one sheet per table named in ``lang``; Arabic sheets read right to left.

    Written row by row (openpyxl's write-only mode), so a busy day's negatives are not held twice.
    """
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.sheet_view.rightToLeft = lang == "ar"
        sheet.freeze_panes = "A2"
        for index, header in enumerate(table.headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(header) + 4))
        formats = [_FORMATS.get(column) for column in table.columns]
        sheet.append(list(table.headers))
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, value, fmt) for value, fmt in zip(row, formats, strict=True)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(sheet: Any, value: Any, number_format: str | None) -> Any:
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, never a formula
        return cell
    if number_format and value is not None:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    return value


def export_filename(report: dict[str, Any], lang: str, table: str | None, extension: str) -> str:
    """``taqyeem-daily-2026-11-30-by-employee-ar.csv``; a site's id after the date when one site was asked for."""
    parts = ["taqyeem-daily", report["date"], report.get("site_id"), table.replace("_", "-") if table else None, lang]
    return "-".join(p for p in parts if p) + "." + extension
