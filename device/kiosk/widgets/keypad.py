"""A digit keypad for the staff PIN and staff numbers (a hardware keyboard or badge scanner also works)."""

from __future__ import annotations

from kivy.properties import NumericProperty
from kivy.uix.gridlayout import GridLayout

from device.kiosk.widgets.controls import TapButton

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK")
DELETE, ENTER = "⌫", "OK"


class Keypad(GridLayout):
    """``on_key(key)`` with a digit, ``DELETE`` or ``ENTER``. Laid out like a phone in both languages."""

    __events__ = ("on_key",)
    key_font_size = NumericProperty(26)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for key in KEYS:
            button = TapButton(raw=key, font_size=self.key_font_size)
            button.key = key
            if key == ENTER:
                button.background = (0.18, 0.56, 0.24, 1)
            elif key == DELETE:
                button.background = (0.45, 0.47, 0.50, 1)
                button.raw = "<"  # the font has no ⌫ glyph
            button.bind(on_tap=lambda b: self.dispatch("on_key", b.key))
            self.add_widget(button)
        self.fbind("key_font_size", self._resize_keys)

    def _resize_keys(self, *_args) -> None:
        for button in self.children:
            button.font_size = self.key_font_size

    def button(self, key: str) -> TapButton:
        return next(b for b in self.children if b.key == key)

    def on_key(self, key: str) -> None:
        pass
