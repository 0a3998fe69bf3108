"""The enrolment code's keypad: the code's 30 letters and digits, delete and OK (no physical keyboard needed)."""

from __future__ import annotations

from kivy.properties import NumericProperty
from kivy.uix.gridlayout import GridLayout

from device.enrolment import ALPHABET
from device.kiosk.widgets.controls import TapButton

DELETE, ENTER = "<", "OK"
KEYS = (*ALPHABET, DELETE, ENTER)


class CodeKeypad(GridLayout):
    """``on_key(key)`` with a letter or digit, ``DELETE`` or ``ENTER``; 8 columns, 4 rows."""

    __events__ = ("on_key",)
    key_font_size = NumericProperty(22)

    def __init__(self, **kwargs):
        kwargs.setdefault("cols", 8)
        kwargs.setdefault("spacing", 6)
        super().__init__(**kwargs)
        for key in KEYS:
            button = TapButton(raw=key, font_size=self.key_font_size, radius=10)
            button.key = key
            if key == ENTER:
                button.background = (0.18, 0.56, 0.24, 1)
            elif key == DELETE:
                button.background = (0.45, 0.47, 0.50, 1)
            button.bind(on_tap=lambda b: self.dispatch("on_key", b.key))
            self.add_widget(button)

    def button(self, key: str) -> TapButton:
        return next(b for b in self.children if b.key == key)

    def on_key(self, key: str) -> None:
        pass
