from __future__ import annotations

from device.kiosk.screens.base import KioskScreen
from device.kiosk.texts import STAFF, text


class ClosedScreen(KioskScreen):
    """No employee signed in: both languages at once (the default first); one button, for the staff's sign-in."""

    def show(self, root) -> None:
        ids = self.ids
        first = root.state.default_lang
        second = "en" if first == "ar" else "ar"  # Arabic, or English beside Arabic
        ids.title_first.raw = text("closed_title", first)
        ids.body_first.raw = text("closed_body", first)
        ids.title_second.raw = text("closed_title", second)
        ids.body_second.raw = text("closed_body", second)
        ids.desk.raw = f"{root.desk_name(first)}  ·  {root.desk_name(second)}"
        ids.sign_in.raw = STAFF["staff_sign_in"]
