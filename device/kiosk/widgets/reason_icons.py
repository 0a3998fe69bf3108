"""Icons for the reasons after a negative score, so a visitor who cannot read can still say why.

Drawn here with Kivy canvas instructions (lines, circles, a few fills): no image files,
no third-party icon set, no licence to note. Each icon is drawn in a unit square
(0..1, y up) scaled to the icon's box, in one ink: the chip's text colour, so it is
dark on white, white on red when chosen, and stays clear in high contrast.

Only the six shipped reasons of ``shared/contract.py:DEFAULT_REASONS`` have an icon;
a centre's own reason (any other code) is a text-only chip, never a blank or broken image.
The icon sits at the start of the reading direction: left of the text in English, right
of it in Arabic and Urdu; the drawings themselves are never mirrored (a clock stays a clock).
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.graphics import Color, Ellipse, Line, Rectangle
from kivy.metrics import dp
from kivy.properties import ColorProperty, ObjectProperty, OptionProperty, StringProperty
from kivy.uix.widget import Widget

from device.kiosk.widgets.controls import Chip

Point = tuple[float, float]


class _Pen:
    """Maps the unit square to the widget's box and draws with one stroke width."""

    def __init__(self, x: float, y: float, size: float) -> None:
        self.x, self.y, self.s = x, y, size
        self.width = max(1.5, size * 0.065)

    def at(self, u: float, v: float) -> Point:
        return self.x + u * self.s, self.y + v * self.s

    def line(self, *points: Point, close: bool = False) -> None:
        flat = [c for u, v in points for c in self.at(u, v)]
        Line(points=flat, width=self.width, close=close, joint="round", cap="round")

    def circle(self, u: float, v: float, r: float, start: float = 0, end: float = 360) -> None:
        cx, cy = self.at(u, v)
        Line(circle=(cx, cy, r * self.s, start, end), width=self.width, cap="round")

    def dot(self, u: float, v: float, r: float) -> None:
        cx, cy = self.at(u, v)
        Ellipse(pos=(cx - r * self.s, cy - r * self.s), size=(2 * r * self.s, 2 * r * self.s))

    def box(self, u: float, v: float, w: float, h: float, fill: bool = False) -> None:
        if fill:
            Rectangle(pos=self.at(u, v), size=(w * self.s, h * self.s))
        else:
            self.line((u, v), (u + w, v), (u + w, v + h), (u, v + h), close=True)


def _waiting_time(p: _Pen) -> None:
    """A clock at four: the face, a long and a short hand, the hour marks at 12, 3, 6 and 9."""
    p.circle(0.5, 0.5, 0.44)
    p.line((0.5, 0.78), (0.5, 0.5), (0.69, 0.39))
    p.dot(0.5, 0.5, 0.07)
    for u, v in ((0.5, 0.82), (0.5, 0.18), (0.18, 0.5), (0.82, 0.5)):
        p.dot(u, v, 0.04)


def _staff_courtesy(p: _Pen) -> None:
    """An employee: head and shoulders, with a name badge on the chest."""
    p.circle(0.5, 0.76, 0.17)
    p.circle(0.5, 0.04, 0.42, -90, 90)
    p.line((0.08, 0.04), (0.92, 0.04))
    p.box(0.58, 0.20, 0.16, 0.09, fill=True)


def _not_resolved(p: _Pen) -> None:
    """A request paper with its corner folded, crossed out."""
    p.line((0.62, 0.96), (0.18, 0.96), (0.18, 0.04), (0.82, 0.04), (0.82, 0.76), (0.62, 0.96), close=False)
    p.line((0.62, 0.96), (0.62, 0.76), (0.82, 0.76))
    p.line((0.33, 0.22), (0.67, 0.56))
    p.line((0.33, 0.56), (0.67, 0.22))


def _procedure(p: _Pen) -> None:
    """Many steps: three boxes joined by a winding arrow."""
    p.box(0.04, 0.70, 0.30, 0.24)
    p.box(0.66, 0.38, 0.30, 0.24)
    p.box(0.04, 0.06, 0.30, 0.24)
    p.line((0.34, 0.82), (0.81, 0.82), (0.81, 0.62))
    p.line((0.81, 0.38), (0.81, 0.18), (0.36, 0.18))
    p.line((0.46, 0.27), (0.36, 0.18), (0.46, 0.09))  # the arrow's head, into the last step


def _information(p: _Pen) -> None:
    """A speech bubble holding a question mark: information that was not clear."""
    p.line((0.30, 0.26), (0.18, 0.04), (0.50, 0.26))
    p.line(
        (0.50, 0.26),
        (0.88, 0.26),
        (0.96, 0.34),
        (0.96, 0.88),
        (0.88, 0.96),
        (0.12, 0.96),
        (0.04, 0.88),
        (0.04, 0.34),
        (0.12, 0.26),
        (0.30, 0.26),
    )
    p.circle(0.5, 0.73, 0.12, -90, 180)
    p.line((0.5, 0.61), (0.5, 0.52))
    p.dot(0.5, 0.40, 0.05)


def _facilities(p: _Pen) -> None:
    """A public building: a pediment roof on columns, on steps."""
    p.line((0.06, 0.70), (0.5, 0.96), (0.94, 0.70), close=True)
    for u in (0.20, 0.40, 0.60, 0.80):
        p.line((u, 0.62), (u, 0.20))
    p.line((0.10, 0.13), (0.90, 0.13))
    p.line((0.04, 0.04), (0.96, 0.04))


ICONS: dict[str, Callable[[_Pen], None]] = {
    "waiting_time": _waiting_time,
    "staff_courtesy": _staff_courtesy,
    "not_resolved": _not_resolved,
    "procedure": _procedure,
    "information": _information,
    "facilities": _facilities,
}


def has_icon(code: str) -> bool:
    return code in ICONS


class ReasonIcon(Widget):
    """The drawing for one reason code, in ``ink``; draws nothing for a code without an icon."""

    code = StringProperty("")
    ink = ColorProperty((0.13, 0.16, 0.20, 1))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name in ("pos", "size", "code", "ink"):
            self.fbind(name, self._redraw)
        self._redraw()

    def _redraw(self, *_args) -> None:
        self.canvas.clear()
        draw = ICONS.get(self.code)
        if draw is None:
            return
        side = min(self.width, self.height)
        with self.canvas:
            Color(*self.ink)
            draw(_Pen(self.center_x - side / 2, self.center_y - side / 2, side))


class ReasonChip(Chip):
    """A reason chip with its icon (if the code has one) at the start of the reading direction.

    The icon is a child of the chip, so a tap on the icon is a tap on the chip (``on_tap``).
    Words that would spill out of the chip (large text in English, Tagalog, Indonesian: two
    or three lines beside the icon) are set smaller, only as far as they must and never
    below ``FIT_FLOOR``; ``widgets/access.py`` sets the size afresh at each switch.
    """

    FIT_FLOOR = 16  # sp

    icon_side = OptionProperty("left", options=["left", "right"])
    icon = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if has_icon(self.code):
            self.icon = ReasonIcon(code=self.code, ink=self.color)
            self.add_widget(self.icon)
            self.fbind("color", self._ink)
        for name in ("pos", "size", "icon_side"):
            self.fbind(name, self._place)
        self.fit_floor = self.FIT_FLOOR  # BidiLabel's fitting: smaller words, never below the floor
        self._place()

    def _ink(self, *_args) -> None:
        self.icon.ink = self.color

    def _place(self, *_args) -> None:
        if self.icon is None:
            return
        side = self.height * 0.68  # 51 px on the 800x480 tablet's 75 px chip
        inset = self.height * 0.36  # clear of the pill's rounded end
        x = self.x + inset if self.icon_side == "left" else self.right - inset - side
        self.icon.size = (side, side)
        self.icon.pos = (x, self.center_y - side / 2)
        room = inset + side + dp(8)  # the text is centred in what is left
        self.padding = [room, dp(6), dp(12), dp(6)] if self.icon_side == "left" else [dp(12), dp(6), room, dp(6)]
