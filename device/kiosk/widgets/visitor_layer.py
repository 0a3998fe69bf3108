"""Draws the visitor's choices (``device/kiosk/visitor_options.py``) over the kiosk's current screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from device.kiosk.visitor_options import offered
from device.kiosk.widgets import access
from device.kiosk.widgets.languages import LanguageList

if TYPE_CHECKING:
    from device.kiosk.root import KioskRoot

VISITOR_SCREENS = ("idle", "rating", "followup", "survey", "thanks")


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
