"""The enrolment screen's words (device/kiosk/enrol_texts.py): Arabic first then English, a line per error
that says what to do, the desk's names once enrolled, and the code as it is typed; no Kivy."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from device.kiosk.enrol_texts import ERRORS, FAILED, STARTING, TYPE_ALL, enrolled_text, error_text, shown_code

ARABIC = range(0x0600, 0x06FF + 1)


@pytest.mark.parametrize("kind", sorted(ERRORS))
def test_each_known_error_says_it_in_arabic_first_then_in_english(kind: str) -> None:
    line = error_text(kind, "the detail stays in the log")
    first_letter = next(ch for ch in line if ch.isalpha())
    assert ord(first_letter) in ARABIC
    assert any(ch.isascii() and ch.isalpha() for ch in line) and "the detail" not in line


def test_a_code_of_the_wrong_shape_asks_for_all_twelve_letters_and_digits() -> None:
    assert error_text("bad_code", "") == TYPE_ALL


def test_an_error_without_a_line_of_its_own_shows_the_general_line_and_its_detail() -> None:
    assert (
        error_text("many_bundles", "two bundles on the stick: keep one")
        == f"{FAILED}\ntwo bundles on the stick: keep one"
    )


def test_an_enrolled_tablet_shows_its_id_its_desk_in_both_languages_and_that_the_kiosk_starts() -> None:
    assert enrolled_text("riyadh-hq-d12", "مكتب ١٢", "Desk 12").split("\n") == [
        "رقم الجهاز  ·  Device id",
        "riyadh-hq-d12",
        "مكتب ١٢  ·  Desk 12",
        STARTING,
    ]


def test_without_both_desk_names_the_desk_line_is_left_out() -> None:
    assert enrolled_text("riyadh-hq-d12", None, "Desk 12").split("\n")[2] == STARTING


def test_the_code_shows_what_is_typed_and_what_is_left_in_groups_of_four() -> None:
    assert shown_code("") == "____-____-____"
    assert shown_code("7KQ2M9") == "7KQ2-M9__-____"
    assert shown_code("7KQ2M9XD4HPA") == "7KQ2-M9XD-4HPA"


@given(st.text(alphabet="23456789ABCDEFGHJKMNPQRSTVWXYZ", max_size=12))
def test_the_shown_code_always_has_the_code_s_shape_and_keeps_what_was_typed(typed: str) -> None:
    shown = shown_code(typed)
    assert [len(group) for group in shown.split("-")] == [4, 4, 4]
    assert shown.replace("-", "").rstrip("_") == typed
