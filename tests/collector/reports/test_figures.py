"""The "centre in figures" sheet's own arithmetic (collector/reports/figures.py), and the words of its heading
(collector/web/sheet_heading.py): what "per day" divides by, which satisfaction the headline is,
and where ratings from no hall go."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from collector.reports.figures import centre_figures, hijri_day, per_day_basis, unplaced_by_channel
from collector.settings import SettingsError, load_collector_settings
from collector.web.sheet_heading import weekday_span

SUN_TO_THU = frozenset({6, 0, 1, 2, 3})  # Monday = 0
GROUP = {"count": 0, "mean": None, "negatives": 0, "share_negative": None}


def report(first: str = "2026-11-01", last: str = "2026-11-30", **extra: Any) -> dict[str, Any]:
    """A November of 120 ratings: 60 in the men's hall, 30 in no hall (phone calls and links), 30 in the women's."""
    return {
        "from": first, "to": last, "count": 120, "distribution": [6, 6, 12, 36, 60],
        "mean": 4.15, "ci_low": 3.9, "ci_high": 4.4, "questions": {},
        "by_section": [{"section": None, **GROUP, "count": 30}, {"section": "men-hall", **GROUP, "count": 60},
                       {"section": "women-hall", **GROUP, "count": 30}],
        "by_channel": {"desk": {**GROUP, "count": 90}, "call": {**GROUP, "count": 20}, "link": {**GROUP, "count": 10}},
        "visits": 200, "calls": 40, "response_rate": None,
    } | extra  # fmt: skip


def test_a_span_holding_today_divides_by_the_working_days_begun_and_says_so() -> None:
    today = date(2026, 11, 10)  # a Tuesday: Nov 1 (Sun) to Nov 10 holds 8 working days, Sunday to Thursday
    figures = centre_figures(report(), today=today, working_weekdays=SUN_TO_THU)
    assert figures["per_day"] == {"basis": "working_days", "days": 8, "first": "2026-11-01", "last": "2026-11-10",
                                  "to_today": True, "weekdays": [6, 0, 1, 2, 3]}  # fmt: skip
    assert (figures["ratings_per_day"], figures["visits_per_day"], figures["calls_per_day"]) == (15.0, 25.0, 5.0)
    assert figures["days"] == 30  # the span itself, as the heading gives it


def test_a_past_span_divides_by_all_its_working_days_and_without_any_by_its_days() -> None:
    over = per_day_basis(report(), date(2027, 1, 5), SUN_TO_THU)
    assert (over["days"], over["last"], over["to_today"]) == (22, "2026-11-30", False)  # November 2026: 22 of 30
    assert per_day_basis(report(), date(2026, 11, 10), frozenset())["basis"] == "days"
    assert per_day_basis(report(), date(2026, 11, 10), frozenset())["days"] == 10
    future = centre_figures(report(), today=date(2026, 10, 20), working_weekdays=SUN_TO_THU)
    assert future["per_day"]["days"] == 0 and future["ratings_per_day"] is None  # nothing begun: no per-day figure


def test_the_headline_is_the_overall_satisfaction_question_when_it_has_answers() -> None:
    answered = {"satisfaction": {"5": {"count": 30}, "4": {"count": 15}, "3": {"count": 5}}}
    survey = centre_figures(report(questions=answered), overall="satisfaction")["satisfaction"]
    assert (survey["measure"], survey["question"], survey["n"], survey["mean"]) == ("survey", "satisfaction", 50, 4.5)
    assert survey["ci_low"] < 4.5 < survey["ci_high"]
    unanswered = centre_figures(report(), overall="satisfaction")["satisfaction"]
    assert (unanswered["measure"], unanswered["question"], unanswered["mean"], unanswered["n"]) == (
        "ratings", "satisfaction", 4.15, 120
    )  # fmt: skip
    assert centre_figures(report(questions=answered))["satisfaction"]["measure"] == "ratings"  # no question marked


def test_ratings_in_no_hall_are_phone_calls_links_and_desks_in_no_hall_each_on_its_own_row() -> None:
    cells = [
        {"device_id": "dev-1", "channel": "desk", "n1": 1, "n2": 0, "n3": 0, "n4": 2, "n5": 57},
        {"device_id": "taqyeem-api-ivr", "channel": "call", "n1": 0, "n2": 1, "n3": 0, "n4": 4, "n5": 15},
        {"device_id": "taqyeem-link", "channel": "link", "n1": 0, "n2": 0, "n3": 0, "n4": 0, "n5": 8},
        {"device_id": "dev-9", "channel": "desk", "n1": 0, "n2": 0, "n3": 0, "n4": 0, "n5": 2},  # a desk in no hall
    ]
    unplaced = unplaced_by_channel(cells, {"dev-1": "men-hall", "dev-9": None})
    assert unplaced == {"desk": 2, "call": 20, "link": 8}
    halls = centre_figures(report(), unplaced=unplaced)["halls"]
    assert [(h["section"], h["channel"], h["count"]) for h in halls] == [
        ("men-hall", None, 60), ("women-hall", None, 30), (None, "call", 20), (None, "link", 8), (None, "desk", 2)
    ]  # fmt: skip
    assert sum(h["share"] for h in halls) == pytest.approx(1.0, abs=0.001)
    assert [h["channel"] for h in centre_figures(report())["halls"]] == [None, None, None]  # without cells: one row


def test_the_working_week_and_hijri_days_in_words() -> None:
    assert weekday_span([6, 0, 1, 2, 3], "en") == "Sunday to Thursday"
    assert weekday_span([6, 0, 1, 2, 3], "ar") == "الأحد إلى الخميس"
    assert weekday_span([6, 1], "en") == "Sunday, Tuesday"
    assert hijri_day(date(2025, 3, 1), "ar") == "1 رمضان 1446 هـ"
    assert hijri_day(date(2025, 3, 1), "en") == "1 Ramadan 1446 AH"
    assert hijri_day(date(1900, 1, 1), "en") is None  # before the Umm al-Qura table


def test_the_sheets_ministry_title_has_a_default_and_comes_from_the_toml(tmp_path: Path) -> None:
    base = {"broker": "mqtt://127.0.0.1:1883", "db": str(tmp_path / "t.db")}
    assert load_collector_settings(**base).sheet.ministry_en == "Kingdom of Saudi Arabia"
    toml = tmp_path / "collector.toml"
    head = 'broker = "mqtt://127.0.0.1:1883"\ndb = "x.db"\n[sheet]\n'
    toml.write_text(head + 'ministry_ar = "وزارة"\nministry_en = "Ministry"\n')
    assert load_collector_settings(toml).sheet.ministry_ar == "وزارة"
    toml.write_text(head + 'ministry = "x"\n')
    with pytest.raises(SettingsError, match="ministry"):
        load_collector_settings(toml)
