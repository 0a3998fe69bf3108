"""The causes report as tables (collector/reports/causes_exports.py): labels in the language, one row per item."""

from __future__ import annotations

from typing import Any

from collector.reports.causes_exports import CAUSES_TABLES, causes_filename, causes_tables

REPORT: dict[str, Any] = {
    "from": "2025-03-01", "to": "2025-03-28", "hijri": None, "site_id": "site-a",
    "reasons": [{"code": "waiting_time", "count": 5, "share": 0.5, "previous_count": 1, "previous_share": 0.1,
                 "change": 0.4, "p_value": 0.01, "rising": True}],
    "causes": [{"code": "system_outage", "count": 2, "share": 1.0, "attributable_share": 0.0, "previous_count": 0,
                "previous_share": None}],
    "actions": [{"action": "coaching", "count": 1, "effects": [
        {"action": "coaching", "closed_on": "2025-03-10", "site_id": "site-a", "employee_id": "E1",
         "measure": "employee_negatives", "before": {"x": 4, "n": 40, "rate": 0.1, "ci_low": 0.04, "ci_high": 0.23},
         "after": {"x": 1, "n": 10, "rate": 0.1, "ci_low": 0.02, "ci_high": 0.4}, "verdict": "too_few"}]}],
    "by_section": [{"section": "hall", "channel": None, "negatives": 10,
                    "reasons": [{"code": "waiting_time", "count": 5, "share": 0.5}]}],
    "by_hour": [{"hour": 9, "negatives": 10, "reasons": [{"code": "waiting_time", "count": 5, "share": 0.5}]}],
    "by_weekday": [{"weekday": "sun", "negatives": 10, "reasons": []}],
    "by_channel": [{"channel": "desk", "negatives": 10, "reasons": []}],
    "by_employee": {"min_negatives": 5, "held_back": 0, "rows": [
        {"employee_id": "E1", "negatives": 6, "reasons": [{"code": "other", "count": 1, "share": 0.1667}]}]},
}  # fmt: skip


def test_every_table_has_the_span_on_each_row_and_labels_beside_codes() -> None:
    tables = {t.key: t for t in causes_tables(REPORT, "en")}
    assert list(tables) == list(CAUSES_TABLES)
    reasons = tables["reasons"]
    assert reasons.headers[:4] == ("From", "To", "Code", "Reason")
    assert reasons.rows[0][:5] == ["2025-03-01", "2025-03-28", "waiting_time", "Waiting time", 5]
    assert tables["causes"].rows[0][3] == "System outage"
    assert tables["effects"].rows[0][-1] == "too few ratings to tell"
    assert tables["by_section"].rows == [
        ["2025-03-01", "2025-03-28", "hall", 10, "waiting_time", "Waiting time", 5, 0.5]
    ]
    assert tables["by_weekday"].rows == []
    assert tables["by_employee"].rows[0][2:4] == ["E1", 6]
    arabic = causes_tables(REPORT, "ar", ["actions"])[0]
    assert arabic.title == "الإجراءات" and arabic.rows[0][3] == "توجيه وتدريب"


def test_the_file_name_holds_the_span_site_table_and_language() -> None:
    assert (
        causes_filename(REPORT, "en", "by_hour", "csv") == "taqyeem-causes-2025-03-01-2025-03-28-site-a-by-hour-en.csv"
    )
    hijri = {**REPORT, "hijri": {"month": "1446-09"}, "site_id": None}
    assert causes_filename(hijri, "ar", None, "xlsx") == "taqyeem-causes-hijri-1446-09-ar.xlsx"
