"""PROTOCOL 1.2's rule for a new PIN (shared/pins.py:pin_weakness), the one both sides apply."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.pins import WEAKNESS_TEXTS, hash_pin, pin_weakness, verify_pin


@pytest.mark.parametrize("pin", ["2468", "1357", "90210", "48291305", "1243", "1123", "0918"])
def test_a_pin_of_4_to_8_digits_in_no_order_may_be_set(pin: str) -> None:
    assert pin_weakness(pin) is None


@pytest.mark.parametrize(
    ("pin", "weakness"),
    [
        *[("123", "length"), ("123456790", "length"), ("", "not_digits"), ("12a4", "not_digits")],
        *[("١٢٣٥", "not_digits"), ("0000", "repeated"), ("99999999", "repeated"), ("1234", "run"), ("9876", "run")],
        *[("3456789", "run"), ("7890", "run"), ("2109", "run"), ("01234567", "run")],
    ],
)
def test_a_weak_pin_is_named_by_its_weakness(pin: str, weakness: str) -> None:
    assert pin_weakness(pin) == weakness
    assert WEAKNESS_TEXTS[pin_weakness(pin)]  # type: ignore[index]  # every weakness has its words


# Every weak PIN of 4 to 8 digits, spelled out: one digit repeated, or a run up or down from any digit.
LENGTHS = range(4, 9)
WEAK = {str(d) * n for d in range(10) for n in LENGTHS} | {
    "".join(str((start + step * i) % 10) for i in range(n)) for start in range(10) for step in (1, -1) for n in LENGTHS
}


def test_every_repeated_digit_and_every_run_is_refused() -> None:
    assert len(WEAK) == 10 * 5 * 3 and all(pin_weakness(pin) in ("repeated", "run") for pin in WEAK)


@given(st.text(alphabet="0123456789", min_size=4, max_size=8))
def test_any_other_pin_of_4_to_8_digits_is_accepted(pin: str) -> None:
    assert (pin_weakness(pin) is None) == (pin not in WEAK)


def test_a_pin_set_before_the_rule_still_verifies() -> None:
    assert verify_pin("1234", hash_pin("1234", iterations=1000))  # checking is not setting
