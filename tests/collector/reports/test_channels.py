"""The channels' names and where a rating was given, as reports and pages show them (collector/reports/channels.py)."""

from __future__ import annotations

import pytest

from collector.reports.channels import CHANNEL_LABELS, channel_label, place_label


@pytest.mark.parametrize(
    ("channel", "ar", "en"),
    [
        ("desk", "جهاز المكتب", "At the desk"),
        ("call", "مكالمة هاتفية", "Phone call"),
        ("link", "رابط التقييم", "Rating link"),
    ],
)
def test_each_channel_is_named_in_arabic_and_in_english(channel: str, ar: str, en: str) -> None:
    assert (channel_label(channel, "ar"), channel_label(channel, "en")) == (ar, en)


def test_every_channel_of_the_contract_has_a_name() -> None:
    assert set(CHANNEL_LABELS) == {"desk", "call", "link"}


def test_a_channel_no_contract_names_is_shown_as_given() -> None:
    assert channel_label("fax", "ar") == "fax"


def test_a_desk_rating_shows_its_place_alone_and_none_when_the_place_is_unknown() -> None:
    assert place_label("Desk 12", "desk", "en") == "Desk 12"
    assert place_label("Desk 12", None, "en") == "Desk 12"
    assert place_label("", "desk", "en") is None
    assert place_label(None, None, "ar") is None


def test_a_call_or_a_link_shows_its_channel_then_its_place_when_one_is_known() -> None:
    assert place_label("Desk 12", "call", "en") == "Phone call · Desk 12"
    assert place_label("مكتب ١٢", "link", "ar") == "رابط التقييم · مكتب ١٢"
    assert place_label(None, "call", "en") == "Phone call"
