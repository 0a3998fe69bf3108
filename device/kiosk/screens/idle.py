from __future__ import annotations

from device.kiosk.screens.base import KioskScreen
from device.kiosk.texts import text


class IdleScreen(KioskScreen):
    """An invited-mode desk at rest: "your rating opens when you are served" (an open desk rests on the faces)."""

    def show(self, root) -> None:
        lang = root.state.lang
        ids = self.ids
        ids.desk.raw = root.desk_name(lang)
        ids.title.raw = text("attract_title", lang)
        invited = root.core.config.mode == "invited"
        ids.hint.raw = text("attract_invited" if invited else "attract_touch", lang)
        ids.lang_button.raw = root.language_button_text(lang)

    def on_touch_down(self, touch):
        if super().on_touch_down(touch):  # the language button took it
            return True
        if self.collide_point(*touch.pos):
            self.manager.kiosk.attract_tap()
            return True
        return False
