"""Arabic and English folded before matching (collector/themes/normalise.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from collector.themes.normalise import fold, short_safe_stem, stem, tokens


def test_alef_forms_yaa_and_taa_marbuta_fold_to_one_letter() -> None:
    assert fold("أ إ آ ٱ") == "ا ا ا ا"
    assert fold("مستشفى") == "مستشفي"
    assert fold("زحمة") == fold("زحمه") == "زحمه"


def test_diacritics_and_tatweel_are_dropped_and_long_repeats_kept_twice() -> None:
    assert fold("الانْتِظَارُ") == "الانتظار"
    assert fold("الانتـــظار") == "الانتظار"
    assert fold("وايييييد") == "واييد"


def test_arabic_indic_digits_become_ascii_and_english_lowercase() -> None:
    assert fold("٤٥٦٧ ۱۲") == "4567 12"
    assert fold("The QUEUE") == "the queue"


def test_words_are_split_on_punctuation_and_emoji_and_a_contraction_reads_as_not() -> None:
    assert tokens("شكراً جزيلاً!! 👍 Didn't wait") == ["شكرا", "جزيلا", "did", "not", "wait"]


def test_stems_use_snowball_arabic_for_arabic_and_porter2_for_latin_words() -> None:
    assert stem("الموظفين") == stem("الموظف") == "موظف"
    assert stem("waiting") == stem("waited") == "wait"
    assert short_safe_stem("ماي") == "ماي"  # its stem "ما" would meet every negation


@given(st.text(max_size=60))
def test_folding_twice_changes_nothing(text: str) -> None:
    assert fold(fold(text)) == fold(text)
