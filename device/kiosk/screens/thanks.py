from __future__ import annotations

from device.kiosk.screens.base import KioskScreen
from device.kiosk.texts import text


class ThanksScreen(KioskScreen):
    """Shown only after the rating is in the outbox; returns to idle by itself."""

    def show(self, root) -> None:
        lang = root.state.lang
        self.ids.title.raw = text("thanks_title", lang)
        self.ids.body.raw = text("thanks_body", lang)
