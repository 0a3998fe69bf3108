from __future__ import annotations

from device.kiosk.screens.pin_entry import PinEntryScreen
from device.kiosk.texts import STAFF


class PinScreen(PinEntryScreen):
    """The desk's own PIN (IT's settings), not an employee's."""

    def show(self, root) -> None:
        ids = self.ids
        configured = root.pin_configured
        ids.title.raw = STAFF["pin_title"] if configured else STAFF["pin_unset"]
        ids.title.size_hint_x = 0.46 if configured else 0.96  # no keypad: the how-to gets the whole width
        ids.keypad.disabled = not configured
        ids.keypad.opacity = 1 if configured else 0
        ids.dots.text = self.dots() if configured else ""
        notice = root.state.notice
        ids.notice.raw = STAFF[notice] if notice in ("pin_wrong", "pin_locked") else ""
        ids.back.raw = STAFF["back"]

    def submit(self, pin: str) -> None:
        self.manager.kiosk.submit_pin(pin)
