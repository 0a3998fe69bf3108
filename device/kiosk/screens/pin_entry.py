from __future__ import annotations

from device.kiosk.screens.base import KioskScreen
from device.kiosk.widgets.keypad import DELETE, ENTER

MAX_PIN = 12


class PinEntryScreen(KioskScreen):
    """A keypad whose digits are shown as dots and kept only until OK; ``submit(pin)`` is the screen's own."""

    entered = ""

    def on_pre_enter(self, *_args) -> None:
        self.entered = ""

    def key(self, key: str) -> None:
        if self.ids.keypad.disabled:  # a hardware keyboard too: not while locked or checking
            return
        root = self.manager.kiosk
        if key == ENTER:
            pin, self.entered = self.entered, ""
            self.submit(pin)
            return
        if key == DELETE:
            self.entered = self.entered[:-1]
        elif len(self.entered) < MAX_PIN:
            self.entered += key
        root.staff_activity()

    def type_text(self, chars: str) -> None:
        """Digits from a hardware keyboard; Enter is ``key(ENTER)``."""
        for ch in chars:
            if ch.isdigit() and ch.isascii():
                self.key(ch)

    def dots(self) -> str:
        return " * " * len(self.entered)  # the font has no bullet glyph

    def submit(self, pin: str) -> None:
        raise NotImplementedError
