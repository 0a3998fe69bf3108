"""The period report as tidy tables and their file names (collector/reports/period_exports.py), from a report
written by hand: every cell in the chosen language, the span on every row, "not recorded" never an empty cell.

The same tables written as CSV and .xlsx from a generated year are checked over real HTTP in
tests/collector/web/test_period_pages.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from collector.reports.daily_exports import Table
from collector.reports.period_exports import (
    NOT_RECORDED,
    PERIOD_COLUMNS,
    PERIOD_HEADERS,
    PERIOD_TABLES,
    option_label,
    period_filename,
    period_tables,
    question_label,
)
from shared.survey import SurveyOption, SurveyQuestion

OBSTACLE = SurveyQuestion(
    id="obstacle",
    kind="choice",
    text_ar="هل واجهت عائقا؟",
    text_en="Did you meet an obstacle?",
    options=[
        SurveyOption(code="none", label_ar="لا شيء", label_en="None"),
        SurveyOption(code="parking", label_ar="المواقف", label_en="Parking"),
    ],
)
STATS = {"count": 10, "mean": 4.2, "negatives": 1, "share_negative": 0.1}


def report(**changes: Any) -> dict[str, Any]:
    """A period report of site-a for 2026 with one channel, one section, one employee and one question."""
    base: dict[str, Any] = {
        "from": "2026-01-01",
        "to": "2026-12-31",
        "site_id": "site-a",
        "hijri": None,
        **STATS,
        "ci_low": 3.9,
        "ci_high": 4.5,
        "visits": 40,
        "calls": None,
        "response_rate": 0.25,
        "by_channel": {
            "desk": {**STATS, "recorded": 40, "rated": 10, "response_rate": 0.25},
            "call": {**STATS, "recorded": None, "rated": None, "response_rate": None},
        },
        "by_section": [{"section": "men-hall", "name_ar": "قاعة الرجال", "name_en": "Men's hall", **STATS}],
        "by_employee": [
            {"employee_id": "E1", "name_ar": "نورة", "name_en": "Noura", **STATS, "ci_low": 3.9, "ci_high": 4.5}
            | {"rank": 1, "excluded": 2, "excluded_causes": {"system_outage": 2}},
            {"employee_id": "E9", "name_ar": None, "name_en": None, **STATS, "ci_low": None, "ci_high": None}
            | {"rank": None, "excluded": 0, "excluded_causes": {}},
        ],
        "questions": {"obstacle": {"none": {"count": 9, "share": 0.9}, "parking": {"count": 1, "share": 0.1}}},
    }
    return base | changes


def tables(lang: str, **changes: Any) -> dict[str, Table]:
    return {t.key: t for t in period_tables(report(**changes), lang, {"obstacle": OBSTACLE})}


def test_every_table_is_made_in_order_with_its_columns_and_their_headers_in_the_language() -> None:
    for lang, i in (("ar", 0), ("en", 1)):
        made = period_tables(report(), lang, {"obstacle": OBSTACLE})
        assert [t.key for t in made] == list(PERIOD_TABLES)
        for table in made:
            assert table.columns == PERIOD_COLUMNS[table.key]
            assert table.headers == tuple(PERIOD_HEADERS[c][i] for c in table.columns)
            assert all(len(row) == len(table.columns) for row in table.rows)


def test_only_the_tables_asked_for_are_made() -> None:
    made = period_tables(report(), "en", {}, tables=("by_channel",))
    assert [t.key for t in made] == ["by_channel"]
    assert made[0].title == "By channel"


def test_the_span_is_the_first_columns_of_every_row_as_days_and_the_hijri_period_in_the_language() -> None:
    hijri = {"ar": "رمضان 1447", "en": "Ramadan 1447", "month": "1447-09"}
    for lang in ("ar", "en"):
        for table in tables(lang, hijri=hijri).values():
            if table.rows:  # a table with nothing to show (no reviewers in this report) has no row to check
                assert {tuple(row[:3]) for row in table.rows} == {(date(2026, 1, 1), date(2026, 12, 31), hijri[lang])}
    assert {row[2] for row in tables("en")["summary"].rows} == {None}  # no Hijri period asked for


def test_the_summary_keeps_numbers_as_numbers_and_says_not_recorded_where_no_call_was_recorded() -> None:
    [row] = tables("en")["summary"].rows
    assert row[3:] == [10, 4.2, 3.9, 4.5, 1, 0.1, 40, NOT_RECORDED[1], 0.25]
    assert tables("ar")["summary"].rows[0][-2] == NOT_RECORDED[0]


def test_a_channel_is_named_in_the_language_and_its_unrecorded_figures_say_so() -> None:
    rows = tables("en")["by_channel"].rows
    assert [r[3:] for r in rows] == [
        ["Desk", 10, 4.2, 1, 0.1, 40, 10, 0.25],
        ["Call", 10, 4.2, 1, 0.1, *[NOT_RECORDED[1]] * 3],
    ]
    assert [r[3] for r in tables("ar")["by_channel"].rows] == ["المكتب", "مكالمة"]


def test_a_section_shows_its_id_and_its_name_in_the_language() -> None:
    assert tables("ar")["by_section"].rows[0][3:5] == ["men-hall", "قاعة الرجال"]
    assert tables("en")["by_section"].rows[0][3:5] == ["men-hall", "Men's hall"]


def test_a_section_with_no_name_in_the_registry_shows_its_id() -> None:
    unnamed = [{"section": "annex", "name_ar": None, "name_en": None, **STATS}]
    assert tables("en", by_section=unnamed)["by_section"].rows[0][3:5] == ["annex", "annex"]


def test_an_employee_row_carries_the_rank_and_the_excluded_ratings_causes_in_the_language() -> None:
    noura, unknown = tables("en")["by_employee"].rows
    assert noura[3:] == ["E1", "Noura", 10, 4.2, 3.9, 4.5, 1, 0.1, 1, 2, "System outage"]
    assert unknown[3:] == ["E9", None, 10, 4.2, None, None, 1, 0.1, None, 0, None]  # no causes: an empty cell
    assert tables("ar")["by_employee"].rows[0][4] == "نورة"
    assert tables("ar")["by_employee"].rows[0][-1] == "تعطل الأنظمة"


def test_each_survey_answer_is_a_row_with_the_question_and_option_in_the_language() -> None:
    assert [r[3:] for r in tables("en")["questions"].rows] == [
        ["obstacle", "Did you meet an obstacle?", "none", "None", 9, 0.9],
        ["obstacle", "Did you meet an obstacle?", "parking", "Parking", 1, 0.1],
    ]
    assert tables("ar")["questions"].rows[1][4:7] == ["هل واجهت عائقا؟", "parking", "المواقف"]


def test_a_question_or_option_no_survey_names_shows_as_its_code() -> None:
    assert question_label(None, "retired", "ar") == "retired"
    assert option_label(None, "3", "en") == "3"
    assert option_label(OBSTACLE, "not-an-option", "en") == "not-an-option"  # a scale answer, say


@pytest.mark.parametrize(
    ("hijri", "table", "lang", "name"),
    [
        (None, "by_channel", "ar", "taqyeem-period-2026-01-01-2026-12-31-site-a-by-channel-ar.csv"),
        ({"month": "1447-09"}, "summary", "en", "taqyeem-period-hijri-1447-09-site-a-summary-en.csv"),
        ({"year": "1447"}, None, "en", "taqyeem-period-hijri-1447-site-a-en.csv"),
    ],
)
def test_the_file_name_carries_the_span_the_site_the_table_and_the_language(
    hijri: dict[str, str] | None, table: str | None, lang: str, name: str
) -> None:
    assert period_filename(report(hijri=hijri), lang, table, "csv") == name


def test_a_report_of_every_site_leaves_the_site_out_of_the_file_name() -> None:
    assert period_filename(report(site_id=None), "en", None, "xlsx") == "taqyeem-period-2026-01-01-2026-12-31-en.xlsx"
