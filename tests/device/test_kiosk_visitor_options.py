"""The visitor's own choices on the kiosk (device/kiosk/visitor_options.py): which languages a desk offers,
which one it starts in, and what the language button says; no Kivy window needed."""

from __future__ import annotations

from typing import Any

from device.kiosk.visitor_options import button_text, default_language, next_default, offered
from shared.contract import DeviceConfig


def desk(**changes: Any) -> DeviceConfig:
    return DeviceConfig(site_id="site-a", desk_id="desk-01", desk_name_ar="مكتب", desk_name_en="Desk", **changes)


def test_a_desk_offers_its_languages_in_its_order_leaving_out_those_the_kiosk_cannot_show() -> None:
    assert offered(desk(languages=["en", "ur", "ar"])) == ("en", "ur", "ar")
    assert offered(desk(languages=["en", "sw"], default_lang="en")) == ("en",)
    assert offered(desk(languages=["sw"], default_lang="sw")) == ("ar",)  # none it can show: Arabic


def test_the_kiosk_starts_in_the_staff_s_choice_then_the_desk_s_default_then_the_first_offered() -> None:
    config = desk(languages=["ar", "en", "ur"], default_lang="en")
    assert default_language(config, "ur") == "ur"
    assert default_language(config, None) == "en"
    assert default_language(config, "hi") == "en"  # a choice the desk no longer offers
    assert default_language(desk(languages=["sw", "ur", "en"], default_lang="sw"), None) == "ur"  # sw: not shown


def test_the_settings_language_button_steps_through_the_offered_languages_and_wraps() -> None:
    config = desk(languages=["ar", "en", "ur"])
    assert [next_default(config, lang) for lang in ("ar", "en", "ur")] == ["en", "ur", "ar"]
    assert next_default(config, "hi") == "ar"


def test_with_two_languages_the_button_names_the_other_one_in_its_own_name() -> None:
    config = desk(languages=["ar", "en"])
    assert button_text(config, "ar") == "English"
    assert button_text(config, "en") == "العربية"


def test_with_more_languages_the_button_says_language_in_the_visitor_s_language() -> None:
    config = desk(languages=["ar", "en", "ur"])
    assert button_text(config, "ar") == "اللغة"
    assert button_text(config, "en") == "Language"
