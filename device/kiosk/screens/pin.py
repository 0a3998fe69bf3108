from __future__ import annotations

from device.kiosk.screens.base import KioskScreen
from device.kiosk.texts import STAFF
from device.kiosk.widgets.keypad import DELETE, ENTER


class PinScreen(KioskScreen):
    """Staff PIN entry; the digits are shown as dots and kept only until OK."""

    entered = ""

    def show(self, root) -> None:
        ids = self.ids
        configured = root.pin_configured
        ids.title.raw = STAFF["pin_title"] if configured else STAFF["pin_unset"]
        ids.keypad.disabled = not configured
        ids.keypad.opacity = 1 if configured else 0
        ids.dots.text = " * " * len(self.entered) if configured else ""  # the font has no bullet glyph
        notice = root.state.notice
        ids.notice.raw = STAFF[notice] if notice in ("pin_wrong", "pin_locked") else ""
        ids.back.raw = STAFF["back"]

    def on_pre_enter(self, *_args) -> None:
        self.entered = ""

    def key(self, key: str) -> None:
        root = self.manager.kiosk
        if key == ENTER:
            pin, self.entered = self.entered, ""
            root.submit_pin(pin)
            return
        if key == DELETE:
            self.entered = self.entered[:-1]
        elif len(self.entered) < 12:
            self.entered += key
        root.staff_activity()
