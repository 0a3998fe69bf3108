from __future__ import annotations

from device.kiosk.screens.base import KioskScreen
from device.kiosk.texts import text


class ClosedScreen(KioskScreen):
    """No employee signed in: both languages at once, nothing for a visitor to press."""

    def show(self, root) -> None:
        ids = self.ids
        ids.title_ar.raw = text("closed_title", "ar")
        ids.body_ar.raw = text("closed_body", "ar")
        ids.title_en.raw = text("closed_title", "en")
        ids.body_en.raw = text("closed_body", "en")
        ids.desk.raw = f"{root.desk_name('ar')}  ·  {root.desk_name('en')}"
