"""Did the action work? (collector/reports/action_effect.py): the windows, Wilson's interval and the verdict."""

from __future__ import annotations

from datetime import date

import pytest

from collector.reports.action_effect import effect_row, rate, verdict, wilson, windows


def test_the_windows_are_the_28_days_before_and_after_the_closing_day() -> None:
    assert windows(date(2025, 3, 10)) == (
        (date(2025, 2, 10), date(2025, 3, 9)),
        (date(2025, 3, 11), date(2025, 4, 7)),
    )


def test_wilsons_interval_matches_the_textbook_and_stays_inside_0_and_1() -> None:
    assert wilson(10, 100) == pytest.approx((0.0552, 0.1744), abs=1e-4)
    assert wilson(0, 20) == (0.0, pytest.approx(0.1611, abs=1e-4))
    assert wilson(20, 20)[1] == 1.0
    assert wilson(0, 0) == (None, None)
    assert rate(0, 0) == {"x": 0, "n": 0, "rate": None, "ci_low": None, "ci_high": None}


def test_a_verdict_only_where_the_data_can_carry_one() -> None:
    assert verdict(rate(40, 100), rate(10, 100), True) == "fell"
    assert verdict(rate(10, 100), rate(40, 100), True) == "rose"
    assert verdict(rate(20, 100), rate(22, 100), True) == "no_clear_change"
    assert verdict(rate(5, 29), rate(0, 100), True) == "too_few"
    assert verdict(rate(1, 100), rate(0, 100), True) == "too_few"  # too few expected in a cell to test
    assert verdict(rate(40, 100), rate(10, 100), False) == "too_early"


def test_a_row_is_too_early_until_the_28_days_after_are_over() -> None:
    row = effect_row({"action": "coaching"}, date(2025, 3, 10), date(2025, 4, 7), (40, 100), (10, 100))
    assert (row["closed_on"], row["verdict"], row["before"]["n"], row["after"]["rate"]) == (
        "2025-03-10", "too_early", 100, 0.1,
    )  # fmt: skip
    assert effect_row({}, date(2025, 3, 10), date(2025, 4, 8), (40, 100), (10, 100))["verdict"] == "fell"
