"""The visitor's own choices on the kiosk: language (from the desk's list) and large text.

``flow`` decides (``switch_language``, ``choose_language``, ``toggle_large``, all
reset by ``rest``); this module says which languages this desk offers and what the language
button says (no Kivy); ``widgets/visitor_layer.py`` draws the language list and
the large-text mode over the screen the visitor is on.
"""

from __future__ import annotations

from device.kiosk import translations
from device.kiosk.texts import text
from shared.contract import DeviceConfig


def offered(config: DeviceConfig) -> tuple[str, ...]:
    return translations.offered(config.languages)


def default_language(config: DeviceConfig, chosen_by_staff: str | None) -> str:
    """The staff's choice on this tablet if the desk still offers it, else the config's, else the first offered."""
    languages = offered(config)
    for candidate in (chosen_by_staff, config.default_lang):
        if candidate in languages:
            return candidate
    return languages[0]


def next_default(config: DeviceConfig, current: str) -> str:
    """The desk settings' language button steps through the offered languages."""
    languages = offered(config)
    return languages[(languages.index(current) + 1) % len(languages)] if current in languages else languages[0]


def button_text(config: DeviceConfig, lang: str) -> str:
    """Two languages: the other one's own name (a swap). More: "Language" in the visitor's language."""
    languages = offered(config)
    if len(languages) == 2:
        other = languages[1] if lang == languages[0] else languages[0]
        return translations.own_name(other)
    return text("language", lang)
