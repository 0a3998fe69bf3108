"""The five faces. Each face carries its own ``score``; a tap reports that, never a position.

Order on screen is fixed for both languages: 1 (very dissatisfied, red) at the
left to 5 (very satisfied, green) at the right. The row is a plain left-to-right
BoxLayout that nothing mirrors for Arabic, so a right-to-left bug cannot flip the scale.
"""

from __future__ import annotations

import math

from kivy.properties import BooleanProperty, ColorProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from device.kiosk.widgets.controls import TapArea

FACE_COLOURS = {
    1: (0.83, 0.18, 0.18, 1),  # red
    2: (0.96, 0.45, 0.09, 1),  # orange
    3: (0.98, 0.75, 0.18, 1),  # amber
    4: (0.49, 0.70, 0.26, 1),  # light green
    5: (0.18, 0.56, 0.24, 1),  # green
}
SCORES = (1, 2, 3, 4, 5)


def mouth_points(cx: float, cy: float, r: float, score: int, steps: int = 16) -> list[float]:
    """A mouth from a deep frown (1) through flat (3) to a broad smile (5)."""
    curve = (score - 3) / 2  # -1 .. 1
    half = r * 0.45
    base = cy - r * 0.35 - curve * r * 0.08
    points: list[float] = []
    for i in range(steps + 1):
        t = -1 + 2 * i / steps
        points += [cx + t * half, base - curve * r * 0.28 * math.cos(t * math.pi / 2)]
    return points


class Face(TapArea, Widget):
    score = NumericProperty(3)
    colour = ColorProperty((0.5, 0.5, 0.5, 1))
    word = StringProperty("")
    locked = BooleanProperty(False)  # cool-down or no window: drawn faded
    mouth = ListProperty([])
    radius = NumericProperty(10)
    ink = ColorProperty((0.13, 0.16, 0.20, 1))  # the word's colour; white in high contrast

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fbind("pos", self._redraw)
        self.fbind("size", self._redraw)
        self.fbind("score", self._redraw)

    def _redraw(self, *_args) -> None:
        self.colour = FACE_COLOURS.get(int(self.score), (0.5, 0.5, 0.5, 1))
        self.radius = max(10.0, min(self.width * 0.42, (self.height - 60) * 0.5))
        cx, cy = self.center_x, self.top - self.radius - 8
        self.mouth = mouth_points(cx, cy, self.radius, int(self.score))


class FaceRow(BoxLayout):
    """Holds the five faces, 1..5 left to right; ``on_choose(score)`` when one is tapped."""

    __events__ = ("on_choose",)
    locked = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for score in SCORES:
            face = Face(score=score)
            face.bind(on_tap=self._tapped)
            self.add_widget(face)

    @property
    def faces(self) -> list[Face]:
        # BoxLayout keeps children newest first; sort by x so callers see screen order.
        return sorted(self.children, key=lambda w: w.x)

    def face(self, score: int) -> Face:
        return next(f for f in self.children if f.score == score)

    def set_words(self, words: tuple[str, ...]) -> None:
        for face in self.children:
            face.word = words[int(face.score) - 1]

    def on_locked(self, _row, value) -> None:
        for face in self.children:
            face.locked = value

    def _tapped(self, face: Face) -> None:
        self.dispatch("on_choose", int(face.score))

    def on_choose(self, score: int) -> None:
        pass
