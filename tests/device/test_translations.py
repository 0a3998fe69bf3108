"""The kiosk's translations and font choice: pure, no window."""

from __future__ import annotations

import pytest

from device.kiosk import translations
from device.kiosk.fonts import ARABIC_FONT, FONT_NAME, LATIN_FONT, URDU_FONT, font_for, font_runs, needs_runs
from shared.contract import DEFAULT_REASONS, SHIPPED_LANGUAGES, ReasonLabel

ENGLISH = translations.MODULES["en"]


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_every_shipped_language_has_every_text_five_faces_and_the_shipped_reasons(lang):
    module = translations.MODULES[lang]
    assert set(module.TEXTS) == set(ENGLISH.TEXTS)
    assert len(module.FACES) == 5 and all(module.FACES)
    assert all(module.TEXTS.values())
    assert module.TEXTS["serving"].count("{name}") == 1
    assert module.TEXTS["survey_progress"].count("{n}") == module.TEXTS["survey_progress"].count("{total}") == 1
    if lang not in ("ar", "en"):  # those two come from the config
        assert set(module.REASONS) == {r.code for r in DEFAULT_REASONS}
    assert set(module.CHECK) <= {*module.TEXTS, "FACES", "REASONS"}


def test_each_language_is_named_in_itself():
    names = [translations.own_name(code) for code in SHIPPED_LANGUAGES]
    assert names == ["العربية", "English", "اردو", "हिन्दी", "বাংলা", "Tagalog", "Bahasa Indonesia"]


def test_offered_keeps_the_configs_order_and_drops_what_has_no_translation():
    assert translations.offered(["hi", "fr", "ar"]) == ("hi", "ar")
    assert translations.offered(["fr"]) == ("ar",)


def test_a_relabelled_reason_is_shown_as_the_site_wrote_it_not_as_the_shipped_translation():
    own = [ReasonLabel(code="waiting_time", ar="طول الانتظار", en="Long wait")]
    assert translations.reason_label("waiting_time", "hi", list(DEFAULT_REASONS)) == "प्रतीक्षा का समय"
    assert translations.reason_label("waiting_time", "hi", own) == "Long wait"
    assert translations.reason_label("waiting_time", "ur", own) == "طول الانتظار"  # one script for Urdu readers


@pytest.mark.parametrize(
    ("text", "lang", "font"),
    [
        ("आपकी राय", "hi", "TaqyeemDevanagari"),
        ("আপনার মতামত", "bn", "TaqyeemBengali"),
        ("آپ کی رائے اہم ہے", "", URDU_FONT),  # Urdu's own letters
        ("مطمئن", "ur", URDU_FONT),  # no Urdu-only letter, but an Urdu screen
        ("مطمئن", "ar", ARABIC_FONT),
        ("تقيّم خدمة: Noura", "ar", FONT_NAME),  # Arabic and Latin on one line
        ("Very satisfied", "en", LATIN_FONT),
    ],
)
def test_the_font_follows_the_script(text, lang, font):
    assert font_for(text, lang) == font


def test_latin_inside_devanagari_is_drawn_in_the_latin_font():
    line = "आप Noura Alotaibi की सेवा [x]"
    assert needs_runs(line, font_for(line))
    assert font_runs(line) == f"आप [font={FONT_NAME}]Noura Alotaibi[/font] की सेवा &bl;[font={FONT_NAME}]x[/font]&br;"
    assert not needs_runs("आपकी राय", font_for("आपकी राय"))


def test_a_missing_noto_font_names_the_package_to_install(monkeypatch, tmp_path):
    from device.kiosk import fonts

    fonts.check_fonts()  # installed here (dev.sh installs fonts-noto-core)
    monkeypatch.setattr(fonts, "NOTO_DIRS", ())
    monkeypatch.setenv(fonts.NOTO_ENV, str(tmp_path))
    with pytest.raises(fonts.FontMissing) as caught:
        fonts.check_fonts()
    assert str(caught.value) == (
        f"font NotoSansArabic-Bold.ttf not found in {tmp_path}; install it: sudo apt-get install fonts-noto-core"
    )


def test_the_translators_check_list_and_the_right_to_left_languages_are_kept_beside_the_catalogs():
    assert [code for code in SHIPPED_LANGUAGES if translations.is_rtl(code)] == ["ar", "ur"]
    assert translations.MODULES["hi"].CHECK == (
        "question",
        "privacy",
        "serving",
        "thanks_body",
        "followup_title",
        "FACES",
        "REASONS",
        "callback_title",
        "callback_yes",
        "callback_no",
        "callback_number_title",
        "callback_use",
        "callback_wrong",
    )
    faces = translations.face_words("en")
    assert faces == ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied")


def test_a_kiosk_catalog_not_compiled_is_an_error_that_says_how_to_compile_it(tmp_path):
    with pytest.raises(translations.CatalogMissing) as caught:
        translations.language("ur", tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}/ur/LC_MESSAGES/kiosk.mo is missing: compile the catalogs")
