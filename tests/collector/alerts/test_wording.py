"""The words of an alert and of the end-of-day digest (collector/alerts/wording.py), from plain rows:
Arabic first, the local time, the employee by name or as unknown, the desk's own reason labels.

Alerts reaching a webhook from a real desk are tested in tests/collector/alerts/test_dispatcher.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from collector.alerts.wording import alert_text, digest_text, employee_phrases
from collector.reports.maths import Calendar
from shared.contract import DeviceConfig, ReasonLabel

CALENDAR = Calendar.from_settings()  # Asia/Riyadh: UTC+3
NOURA = ("نورة العتيبي", "Noura Alotaibi")
ROW: dict[str, Any] = {
    "id": "0193a7e2-7a10-7000-8000-000000000001",
    "device_id": "dev-a1",
    "site_id": "site-a",
    "desk_id": "desk-01",
    "employee_id": "E1042",
    "score": 1,
    "reasons": ["waiting_time", "procedure"],
    "visit_id": "A-117",
    "created_at": "2026-11-28T09:15:02.123Z",
}


def test_an_employee_is_named_with_their_staff_number_in_each_language() -> None:
    assert employee_phrases("E1042", NOURA) == ("الموظف نورة العتيبي (E1042)", "employee Noura Alotaibi (E1042)")


def test_an_employee_not_in_the_registry_is_unknown_and_no_employee_is_a_dash() -> None:
    assert employee_phrases("E1004") == ("موظف غير معروف (E1004)", "unknown employee (E1004)")
    assert employee_phrases("E1004", (None, "Half named")) == ("موظف غير معروف (E1004)", "unknown employee (E1004)")
    assert employee_phrases(None) == ("الموظف -", "employee -")


def test_an_alert_s_title_gives_the_score_and_the_place_arabic_first() -> None:
    title, _ = alert_text(ROW, CALENDAR)
    assert title == "تقييم سلبي 1/5 · Negative rating 1/5 · site-a / desk-01"


def test_an_alert_s_body_says_when_where_who_why_and_which_rating_in_both_languages() -> None:
    _, body = alert_text(ROW, CALENDAR, names=NOURA)
    arabic, english = body.split("\n")
    assert arabic == (
        "تقييم سلبي 1 من 5 الساعة 12:15 في site-a / desk-01، الموظف نورة العتيبي (E1042). "
        "الأسباب: وقت الانتظار، الإجراءات معقدة."
    )
    assert english == (
        "Negative rating 1 out of 5 at 12:15 at site-a / desk-01, employee Noura Alotaibi (E1042). "
        "Reasons: Waiting time, Complicated procedure. Visit: A-117. Rating id: " + ROW["id"]
    )


def test_an_alert_uses_the_desk_s_own_reason_labels_and_the_contract_s_for_the_rest() -> None:
    own = [ReasonLabel(code="waiting_time", ar="الانتظار الطويل", en="Long wait")]
    _, body = alert_text({**ROW, "reasons": ["waiting_time"]}, CALENDAR, own)
    assert "الأسباب: الانتظار الطويل." in body and "Reasons: Long wait." in body


def test_an_alert_with_no_place_visit_or_reasons_shows_marks_not_blanks() -> None:
    bare = {**ROW, "site_id": None, "desk_id": None, "visit_id": None, "reasons": [], "employee_id": None}
    title, body = alert_text(bare, CALENDAR)
    assert title.endswith("· ? / ?")
    assert "الأسباب: -." in body and "Reasons: -. Visit: -." in body and "employee -." in body


def test_a_digest_counts_the_unreviewed_negatives_and_lists_each_at_its_local_time_with_its_desk_s_labels() -> None:
    second = {
        **ROW,
        "id": "r2",
        "employee_id": "E9",
        "score": 2,
        "reasons": [],
        "created_at": "2026-11-28T12:40:00.000Z",
    }
    config = DeviceConfig(
        site_id="site-a",
        desk_id="desk-01",
        desk_name_ar="مكتب",
        desk_name_en="Desk",
        reasons=[ReasonLabel(code="procedure", ar="إجراء", en="Paperwork")],
    )
    title, body = digest_text(
        "site-a", date(2026, 11, 28), [ROW, second], CALENDAR, {"dev-a1": config}, {"E1042": NOURA}
    )
    assert title == "ملخص نهاية اليوم · End-of-day digest · site-a · 2026-11-28: 2"
    assert body.split("\n") == [
        "تقييمات سلبية لم تُراجع بعد: 2 · Negative ratings not yet reviewed: 2",
        f"- 12:15 desk-01 Noura Alotaibi (E1042) 1/5 Waiting time, Paperwork ({ROW['id']})",
        "- 15:40 desk-01 unknown employee (E9) 2/5  (r2)",
    ]


def test_a_digest_of_a_rating_without_an_employee_or_desk_shows_marks() -> None:
    row = {**ROW, "employee_id": None, "desk_id": None, "device_id": None, "reasons": ["waiting_time"]}
    _, body = digest_text("site-a", date(2026, 11, 28), [row], CALENDAR)
    assert body.split("\n")[1] == f"- 12:15 ? - 1/5 Waiting time ({ROW['id']})"
