"""The visitor's own choices on the kiosk: language (from the desk's list) and large text.

``flow`` decides (``switch_language``, ``choose_language``, ``toggle_large``, all
reset by ``rest``); this module is the Kivy side: which languages this desk offers,
what the language button says, and drawing the language list and the large-text
mode over the screen the visitor is on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from device.kiosk import translations
from device.kiosk.texts import text
from device.kiosk.widgets import access
from device.kiosk.widgets.languages import LanguageList
from shared.contract import DeviceConfig

if TYPE_CHECKING:
    from device.kiosk.root import KioskRoot

VISITOR_SCREENS = ("idle", "rating", "followup", "survey", "thanks")


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


class VisitorLayer:
    """Draws the language list and large text over the root's current screen, from the flow's state."""

    def __init__(self, root: KioskRoot) -> None:
        self.root = root
        self.list = LanguageList(choose=root.choose_language)

    def show(self) -> None:
        root, state = self.root, self.root.state
        if state.screen in VISITOR_SCREENS:  # the staff's screens stay Arabic and English, normal size
            access.apply(root.manager.current_screen, state.large, state.lang)
        wanted = state.languages_open and state.screen in VISITOR_SCREENS
        if wanted:
            self.list.languages = list(offered(root.core.config))
            self.list.current = state.lang
            if self.list.parent is None:
                root.add_widget(self.list)
        elif self.list.parent is not None:
            root.remove_widget(self.list)
