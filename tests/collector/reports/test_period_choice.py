"""The period pages' picker (collector/reports/period_choice.py) and the figures sheet's arithmetic.

The arithmetic: collector/reports/figures.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from collector.reports.figures import centre_figures
from collector.reports.period import SpanError
from collector.reports.period_choice import FIELDS, KINDS, Choice, ChoiceError, chosen_span, read_choice, span_query
from collector.web.i18n import TEXTS

TODAY = date(2026, 11, 30)  # a Monday


@pytest.mark.parametrize(
    ("choice", "first", "last"),
    [
        (Choice("week"), date(2026, 11, 29), date(2026, 12, 5)),  # Sunday to Saturday
        (Choice("week", day=date(2026, 11, 29)), date(2026, 11, 29), date(2026, 12, 5)),
        (Choice("month", day=date(2024, 2, 10)), date(2024, 2, 1), date(2024, 2, 29)),
        (Choice("quarter", day=date(2026, 5, 17)), date(2026, 4, 1), date(2026, 6, 30)),
        (Choice("quarter", day=date(2026, 12, 31)), date(2026, 10, 1), date(2026, 12, 31)),
        (Choice("year"), date(2026, 1, 1), date(2026, 12, 31)),
        (Choice("launch"), date(2025, 3, 4), TODAY),
        (Choice("hijri_month", hijri_year=1446, hijri_month=9), date(2025, 3, 1), date(2025, 3, 29)),
        (Choice("hijri_month", day=date(2025, 3, 15)), date(2025, 3, 1), date(2025, 3, 29)),
        (Choice("hijri_year", hijri_year=1446), date(2024, 7, 7), date(2025, 6, 25)),
        (Choice("custom", first=date(2026, 1, 5), last=date(2026, 1, 9)), date(2026, 1, 5), date(2026, 1, 9)),
    ],
)
def test_each_kind_of_period(choice: Choice, first: date, last: date) -> None:
    span = chosen_span(choice, TODAY, date(2025, 3, 4))
    assert (span.first, span.last) == (first, last)
    again = dict(pair.split("=") for pair in span_query(choice, span).split("&"))
    assert again["kind"] == choice.kind


def test_since_launch_before_any_rating_is_today_and_bad_picks_say_why() -> None:
    assert chosen_span(Choice("launch"), TODAY, None).first == TODAY
    with pytest.raises(SpanError, match="both days"):
        chosen_span(Choice("custom", first=TODAY), TODAY, None)
    with pytest.raises(SpanError, match="kind"):
        chosen_span(Choice("fortnight"), TODAY, None)
    with pytest.raises(SpanError, match="Umm al-Qura"):
        chosen_span(Choice("hijri_year", hijri_year=1600), TODAY, None)


EVERY_FIELD = {"day": "2025-06-17", "hijri_year": "1446", "hijri_month": "9", "from": "2025-02-01", "to": "2025-02-10"}


@pytest.mark.parametrize("kind", KINDS)
def test_the_form_is_read_for_the_fields_of_its_kind_alone(kind: str) -> None:
    stale = {name: "not a value" for name in EVERY_FIELD}  # what hidden fields may still hold
    choice = read_choice(kind, {**stale, **{name: EVERY_FIELD[name] for name in FIELDS[kind]}})
    assert choice.kind == kind
    read = (choice.day, choice.hijri_year, choice.hijri_month, choice.first, choice.last)
    given = {name for name, value in zip(EVERY_FIELD, read, strict=True) if value is not None}
    assert given == set(FIELDS[kind])
    assert read_choice(kind, dict.fromkeys(EVERY_FIELD, " ")) == Choice(kind)  # empty boxes: nothing given


@pytest.mark.parametrize(
    ("kind", "fields", "key"),
    [
        ("fortnight", {}, "pick_kind"),
        ("week", {"day": "2025-02-30"}, "pick_day"),
        ("custom", {"from": "1899-12-31", "to": "2025-01-01"}, "pick_day"),
        ("hijri_year", {"hijri_year": "1600"}, "pick_hijri_year"),
        ("hijri_year", {"hijri_year": "١٤٤٦"}, "pick_hijri_year"),  # Arabic digits: typed, not picked
        ("hijri_month", {"hijri_month": "13"}, "pick_hijri_month"),
    ],
)
def test_a_wrong_field_names_its_page_text_in_both_languages(kind: str, fields: dict[str, str], key: str) -> None:
    with pytest.raises(ChoiceError) as caught:
        read_choice(kind, fields)
    assert caught.value.key == key and all(TEXTS[key])


def test_a_span_that_cannot_be_made_names_its_page_text() -> None:
    picks = {
        "pick_both_days": Choice("custom", first=TODAY),
        "pick_to_before_from": Choice("custom", first=TODAY, last=date(2026, 1, 1)),
        "pick_too_long": Choice("custom", first=date(1950, 1, 1), last=TODAY),
        "pick_outside_hijri": Choice("hijri_month", day=date(1910, 5, 1)),
        "pick_hijri_year": Choice("hijri_year", hijri_year=1600),
    }
    for key, choice in picks.items():
        with pytest.raises(ChoiceError) as caught:
            chosen_span(choice, TODAY, None)
        assert caught.value.key == key and all(TEXTS[key]), key


def test_the_figures_shares_are_of_their_own_question_and_nothing_recorded_stays_none() -> None:
    group = {"count": 0, "mean": None, "negatives": 0, "share_negative": None}
    report = {
        "from": "2026-11-01", "to": "2026-11-30", "count": 200, "distribution": [10, 0, 10, 30, 150],
        "mean": 4.6, "ci_low": 4.5, "ci_high": 4.7,
        "questions": {"obstacles": {"no": {"count": 47}, "yes": {"count": 3}},
                      "applicant": {"citizen": {"count": 40}, "company": {"count": 10}}},
        "by_section": [{"section": "men-hall", **group, "count": 130}, {"section": "women-hall", **group, "count": 70}],
        "by_channel": {"desk": {**group, "count": 150}, "call": {**group, "count": 50}, "link": group},
        "visits": None, "calls": 300, "response_rate": None,
    }  # fmt: skip
    figures = centre_figures(report)
    assert figures["no_obstacle"] == {"share": 0.94, "n": 50}
    assert [(a["code"], a["share"]) for a in figures["applicants"]["types"]] == [
        ("citizen", 0.8), ("resident", 0.0), ("company", 0.2)
    ]  # fmt: skip
    assert [h["share"] for h in figures["halls"]] == [0.65, 0.35]
    assert [d["share"] for d in figures["distribution"]] == [0.05, 0.0, 0.05, 0.15, 0.75]
    assert [c["share"] for c in figures["channels"]] == [0.75, 0.25, 0.0]
    assert (figures["visits_per_day"], figures["calls_per_day"], figures["ratings_per_day"]) == (None, 10.0, 6.7)
    assert centre_figures({**report, "questions": {}})["no_obstacle"] == {"share": None, "n": 0}
