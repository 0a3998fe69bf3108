"""The causes report's maths (collector/reports/causes.py): ranking, the span before, the tested rise, groups."""

from __future__ import annotations

from datetime import date

import pytest

from collector.reports.causes import (
    by_employee,
    by_section,
    by_weekday,
    checked_span,
    previous_span,
    ranked_causes,
    ranked_reasons,
    two_proportion_p,
)
from collector.reports.period import Span, SpanError


def test_the_span_before_has_the_same_length_and_ends_the_day_before() -> None:
    assert previous_span(date(2025, 3, 1), date(2025, 3, 28)) == (date(2025, 2, 1), date(2025, 2, 28))
    assert previous_span(date(2025, 3, 1), date(2025, 3, 1)) == (date(2025, 2, 28), date(2025, 2, 28))


def test_a_span_over_ten_years_is_refused_with_the_reason() -> None:
    assert checked_span(Span(date(2015, 1, 1), date(2024, 12, 31))).first == date(2015, 1, 1)
    with pytest.raises(SpanError, match="ten years"):
        checked_span(Span(date(2013, 1, 1), date(2024, 12, 31)))


def test_the_z_test_gives_the_textbook_p_and_refuses_too_few() -> None:
    assert two_proportion_p(40, 100, 10, 100) == pytest.approx(1.0e-6, rel=0.5)  # z = 4.9
    assert two_proportion_p(50, 100, 50, 100) == pytest.approx(1.0)
    assert two_proportion_p(3, 100, 0, 100) is None  # fewer than 5 expected in a cell
    assert two_proportion_p(5, 9, 1, 100) is None  # fewer than 10 negatives in a span


def test_reasons_are_ranked_with_share_change_and_a_rise_marked_only_when_tested() -> None:
    rows = ranked_reasons({"rude": 40, "wait": 50, "docs": 3}, 100, {"rude": 10, "wait": 50, "gone": 2}, 100)
    assert [r["code"] for r in rows] == ["wait", "rude", "docs", "gone"]
    rude = rows[1]
    assert (rude["share"], rude["previous_share"], rude["change"], rude["rising"]) == (0.4, 0.1, 0.3, True)
    assert rows[0]["rising"] is False and rows[2]["p_value"] is None and rows[2]["rising"] is False
    assert rows[3] == {"code": "gone", "count": 0, "share": 0.0, "previous_count": 2, "previous_share": 0.02,
                       "change": -0.02, "p_value": None, "rising": False}  # fmt: skip
    fall = ranked_reasons({"rude": 10}, 100, {"rude": 40}, 100)[0]
    assert fall["p_value"] < 0.05 and fall["rising"] is False  # a significant fall is not a rise
    empty = ranked_reasons({}, 0, {"rude": 4}, 20)[0]
    assert (empty["share"], empty["change"], empty["rising"]) == (None, None, False)


def test_causes_carry_their_share_and_the_share_held_against_the_employee_ties_by_the_span_before() -> None:
    rows = ranked_causes(
        [{"cause": "staff_conduct", "attributable": True, "n": 3}, {"cause": "staff_conduct", "attributable": False,
          "n": 1}, {"cause": "system_outage", "attributable": False, "n": 4}],
        [{"cause": "system_outage", "attributable": False, "n": 2}],
    )  # fmt: skip
    assert rows == [
        {"code": "system_outage", "count": 4, "share": 0.5, "attributable_share": 0.0, "previous_count": 2,
         "previous_share": 1.0},
        {"code": "staff_conduct", "count": 4, "share": 0.5, "attributable_share": 0.75, "previous_count": 0,
         "previous_share": 0.0},
    ]  # fmt: skip


def test_groups_give_their_negatives_and_reasons_and_employees_below_five_are_held_back() -> None:
    reasons = [{"device_id": "d1", "channel": "desk", "code": "rude", "n": 2},
               {"device_id": "d9", "channel": "call", "code": "wait", "n": 1}]  # fmt: skip
    negatives = [{"device_id": "d1", "channel": "desk", "negatives": 4},
                 {"device_id": "d9", "channel": "call", "negatives": 1}]  # fmt: skip
    sections = by_section(reasons, negatives, {"d1": "hall"})
    assert sections == [
        {"section": "hall", "channel": None, "negatives": 4, "reasons": [{"code": "rude", "count": 2, "share": 0.5}]},
        {"section": None, "channel": "call", "negatives": 1, "reasons": [{"code": "wait", "count": 1, "share": 1.0}]},
    ]
    days = by_weekday([{"weekday": 0, "code": "rude", "n": 1}], [{"weekday": 0, "negatives": 2}])
    assert days == [{"weekday": "sun", "negatives": 2, "reasons": [{"code": "rude", "count": 1, "share": 0.5}]}]
    employees = by_employee(
        [{"employee_id": "E1", "code": "rude", "n": 5}],
        [
            {"employee_id": "E1", "negatives": 5},
            {"employee_id": "E2", "negatives": 4},
            {"employee_id": "", "negatives": 9},
        ],
    )
    assert (employees["held_back"], [r["employee_id"] for r in employees["rows"]]) == (1, ["E1"])
