"""The list of the desk's languages, each by its own name (never a flag), over the visitor's screen.

It is drawn over whatever visitor screen opened it and taken off the window when
closed: a hidden widget would still swallow touches. A touch outside the list
closes it with the language unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.metrics import dp
from kivy.properties import ListProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout

from device.kiosk.translations import own_name
from device.kiosk.widgets.controls import TapButton

ROW_DP = 54


class LanguageList(FloatLayout):
    """Set ``languages`` and ``current``; ``choose(code)`` is called with the code tapped (or the current one)."""

    languages = ListProperty([])
    current = StringProperty("ar")

    def __init__(self, choose: Callable[[str], None], **kwargs):
        super().__init__(**kwargs)
        self.choose = choose
        self.fbind("languages", self._build)
        self.fbind("current", self._build)

    def _build(self, *_args) -> None:
        box = self.ids.rows
        box.clear_widgets()
        box.height = dp(ROW_DP + 8) * len(self.languages)
        for code in self.languages:
            button = TapButton(raw=own_name(code), lang=code, size_hint_y=None, height=dp(ROW_DP))
            button.code = code
            if code == self.current:
                button.background = (0.10, 0.33, 0.27, 1)
            button.bind(on_tap=lambda b: self.choose(b.code))
            box.add_widget(button)

    def button(self, code: str) -> TapButton:
        return next(b for b in self.ids.rows.children if b.code == code)

    def on_touch_down(self, touch):
        if self.ids.rows.collide_point(*touch.pos):
            return super().on_touch_down(touch)
        self.choose(self.current)  # outside the list: close it, nothing changed
        return True

    def on_touch_up(self, touch):
        return True  # nothing under the list reacts while it shows

    def on_touch_move(self, touch):
        return True
