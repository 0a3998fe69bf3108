"""The trend rules, pure (collector/alerts/trends.py): plain counts in, a finding or none out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from collector.alerts.trends import (
    TrendThresholds,
    desk_mean_drop,
    employee_negatives,
    site_share_negative,
    trend_alert,
    trend_text,
)
from shared.contract import Alert, parse_message

DEFAULTS = TrendThresholds()


def test_the_defaults_are_the_issues_three_negatives_in_two_hours() -> None:
    assert (DEFAULTS.employee_negatives, DEFAULTS.employee_window_min, DEFAULTS.employee_window) == (3, 120, "PT2H")
    assert TrendThresholds(employee_window_min=90).employee_window == "PT1H30M"
    assert TrendThresholds(employee_window_min=45).employee_window == "PT45M"


def test_an_employees_third_negative_in_the_window_is_a_trend_and_the_second_is_not() -> None:
    assert employee_negatives("s1", "E1", 2, DEFAULTS) is None
    found = employee_negatives("s1", "E1", 3, DEFAULTS)
    assert found is not None and (found.rule, found.subject, found.value, found.threshold) == (
        "employee_negatives", "E1", 3, 3,
    )  # fmt: skip


def test_a_desk_is_compared_with_its_sites_own_30_days_only_with_enough_ratings() -> None:
    base = (300, 300 * 4)  # the site's mean 4.0
    assert desk_mean_drop("s1", "d1", (9, 9 * 2), base, DEFAULTS) is None  # 9 ratings: too few to say
    found = desk_mean_drop("s1", "d1", (10, 30), base, DEFAULTS)  # 3.0 = 4.0 - 1.0: at the margin
    assert found is not None and (found.value, found.threshold, found.n) == (3.0, 3.0, 10)
    assert desk_mean_drop("s1", "d1", (10, 31), base, DEFAULTS) is None
    assert desk_mean_drop("s1", "d1", (10, 10), (5, 20), DEFAULTS) is None  # a new site: no baseline yet


def test_a_sites_share_of_negatives_needs_its_n() -> None:
    assert site_share_negative("s1", 19, 19, DEFAULTS) is None
    found = site_share_negative("s1", 20, 5, DEFAULTS)
    assert found is not None and (found.value, found.threshold) == (0.25, 0.25)
    assert site_share_negative("s1", 20, 4, DEFAULTS) is None


def test_a_site_may_switch_its_trends_off() -> None:
    off = TrendThresholds(enabled=False)
    assert employee_negatives("s1", "E1", 50, off) is None
    assert site_share_negative("s1", 100, 100, off) is None
    assert desk_mean_drop("s1", "d1", (50, 50), (300, 1500), off) is None


@pytest.mark.parametrize(
    "values", [{"employee_negatives": 1}, {"site_share_negative": 1.5}, {"desk_margin": 1}, {"enabled": "yes"}]
)
def test_thresholds_out_of_range_or_unknown_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        TrendThresholds.model_validate(values)


@given(n=st.integers(1, 500), negatives=st.integers(0, 500))
def test_the_share_rule_fires_exactly_when_both_the_n_and_the_share_are_reached(n: int, negatives: int) -> None:
    negatives = min(negatives, n)
    found = site_share_negative("s1", n, negatives, DEFAULTS)
    assert (found is not None) == (n >= 20 and negatives / n >= 0.25)


def test_a_finding_travels_as_a_contract_alert_of_kind_trend() -> None:
    found = employee_negatives("s1", "E1", 4, DEFAULTS)
    assert found is not None
    alert = trend_alert(found, "2026-12-08T09:00:00.000Z")
    again = parse_message(Alert, alert.to_json())
    assert (again.kind, again.rule, again.window, again.value, again.rating_id) == (
        "trend", "employee_negatives", "PT2H", 4, None,
    )  # fmt: skip


def test_the_words_are_arabic_first_then_english_and_name_the_employee() -> None:
    found = employee_negatives("s1", "E1", 3, DEFAULTS)
    assert found is not None
    title, body = trend_text(found, ("الموظف نورة (E1)", "employee Noura (E1)"))
    ar, en = body.splitlines()
    assert "الموظف نورة (E1)" in ar and "120 دقيقة" in ar
    assert en.startswith("employee Noura (E1): 3 negative ratings within 120 minutes")
    assert "Trend alert" in title and "s1" in title
