"""The sign-in roster (device/kiosk/roster.py): names sorted as the desk's language files them, pages, a badge's id."""

from __future__ import annotations

from device.kiosk.roster import badge_id, page_count, page_of, sorted_roster
from shared.contract import StaffMember


def test_roster_sorted_by_the_desks_language_and_paged():
    staff = [
        StaffMember(employee_id="3", name_ar="إبراهيم", name_en="Ibrahim"),
        StaffMember(employee_id="1", name_ar="سارة", name_en="Sara"),
        StaffMember(employee_id="2", name_ar="أحمد", name_en="Ahmed"),
        StaffMember(employee_id="4", name_ar="ابتسام", name_en="ebtisam"),
    ]
    assert [m.employee_id for m in sorted_roster(staff, "ar")] == ["4", "3", "2", "1"]  # أ إ ا filed as one letter
    assert [m.employee_id for m in sorted_roster(staff, "en")] == ["2", "4", "3", "1"]
    many = [StaffMember(employee_id=f"E{i:02}", name_ar=f"موظف {i}", name_en=f"Staff {i}") for i in range(60)]
    assert page_count(60) == 5 and page_count(0) == 1
    assert [m.employee_id for m in page_of(many, 4)][-1] == "E59" and page_of(many, 9) == page_of(many, 4)
    assert badge_id(" E1042\r") == "E1042"
