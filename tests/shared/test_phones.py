"""A Saudi mobile number as typed, read into E.164 (shared/phones.py)."""

from __future__ import annotations

import pytest

from shared.phones import saudi_mobile


@pytest.mark.parametrize(
    "typed",
    ["0512345678", "05 1234 5678", "512345678", "+966512345678", "00966512345678", "966-51-234-5678", "٠٥١٢٣٤٥٦٧٨"],
)
def test_the_ways_people_write_their_number_all_read_as_e164(typed: str) -> None:
    assert saudi_mobile(typed) == "+966512345678"


@pytest.mark.parametrize("typed", ["", "0112345678", "05123456", "051234567890", "+971512345678", "05l2345678", "+"])
def test_a_landline_a_short_or_long_number_or_another_country_is_not_a_saudi_mobile(typed: str) -> None:
    assert saudi_mobile(typed) is None
