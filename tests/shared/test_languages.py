"""The contract's language codes (shared/languages.py): a rating's ``lang`` and a desk's ``languages``."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from shared.languages import DEFAULT_LANGUAGES, MAX_LANGUAGES, OWN_NAMES, SHIPPED_LANGUAGES, Language, Languages


class Desk(BaseModel):
    lang: Language = "ar"
    languages: Languages = list(DEFAULT_LANGUAGES)


@pytest.mark.parametrize("code", ["ar", "en", "ur", "fil", "zz"])
def test_any_two_or_three_lowercase_letters_are_a_language_kept_as_given(code: str) -> None:
    assert Desk(lang=code).lang == code


@pytest.mark.parametrize("code", ["AR", "a", "arab", "ar-SA", "", "ع"])
def test_anything_else_is_refused_with_examples(code: str) -> None:
    with pytest.raises(ValidationError, match="a language code of 2 or 3 lowercase letters, such as ar, en"):
        Desk(lang=code)


def test_a_language_is_a_string_never_a_number() -> None:
    with pytest.raises(ValidationError):
        Desk.model_validate({"lang": 12})


def test_a_desk_lists_each_language_once_and_at_least_one() -> None:
    with pytest.raises(ValidationError, match="each language may be listed once"):
        Desk(languages=["ar", "en", "ar"])
    with pytest.raises(ValidationError):
        Desk(languages=[])
    with pytest.raises(ValidationError):
        Desk(languages=[f"a{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(MAX_LANGUAGES + 1)])  # aaa, aab...


def test_arabic_and_english_come_first_and_each_shipped_language_has_its_own_name() -> None:
    assert DEFAULT_LANGUAGES == ("ar", "en") and SHIPPED_LANGUAGES[:2] == DEFAULT_LANGUAGES
    assert OWN_NAMES["ar"] == "العربية" and OWN_NAMES["ur"] == "اردو"
    assert all(OWN_NAMES[code] for code in SHIPPED_LANGUAGES)
