"""Where the kiosk's texts land on the window: each visible label's drawn text as a box, and what is wrong
with a screen's boxes (a text larger than its own label or out of the window: cut; two texts crossing).

Kivy draws a label's texture centred on the label (``kivy/data/style.kv``), whatever its size; with
``text_size`` set the texture is the label's width, so the ink's width is taken from the laid-out
lines (``_cached_lines``) and placed by ``halign`` inside the padding.
"""

from __future__ import annotations

from dataclasses import dataclass

from kivy.core.window import Window
from kivy.uix.label import Label
from kivy.uix.widget import Widget

SLACK = 1.0  # pixels: rounding in Kivy's own placement (int() of a centre)


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float

    def crosses(self, other: Box) -> bool:
        wide = min(self.right, other.right) - max(self.left, other.left)
        tall = min(self.top, other.top) - max(self.bottom, other.bottom)
        return wide > SLACK and tall > SLACK

    def __str__(self) -> str:
        return f"[{self.left:.0f}..{self.right:.0f} x {self.bottom:.0f}..{self.top:.0f}]"


def shown(widget: Widget) -> bool:
    """Drawn: no transparent widget on the way up to the window."""
    while widget is not None and widget is not Window:
        if widget.opacity <= 0:
            return False
        widget = widget.parent
    return True


def texts(root: Widget) -> list[Label]:
    """Every label (buttons included) under ``root`` that draws some text now."""
    return [w for w in root.walk() if isinstance(w, Label) and w.text.strip() and shown(w)]


INK = bytes(0 if value < 48 else 255 for value in range(256))  # a pixel is ink from about a fifth of full cover


@dataclass(frozen=True)
class Ink:
    """A label's drawn text: its box on the window, and whether the ink reaches an edge of its texture (cut)."""

    box: Box | None  # None: nothing drawn (a space, a colour with no alpha)
    clipped: bool


def ink(label: Label) -> Ink:
    """Where the label's glyphs are, read back from its texture's pixels (bottom row first)."""
    label.texture_update()
    texture = label.texture
    if texture is None:
        return Ink(None, False)
    width, height = texture.size
    alpha = texture.pixels[3::4].translate(INK)
    rows = [alpha[r * width : (r + 1) * width] for r in range(height)]
    inked = [r for r, row in enumerate(rows) if row.strip(b"\0")]
    if not inked:
        return Ink(None, False)
    first = min(len(rows[r]) - len(rows[r].lstrip(b"\0")) for r in inked)
    last = max(len(rows[r].rstrip(b"\0")) for r in inked)
    cx, cy = label.to_window(*label.center)
    left, bottom = int(cx - width / 2), int(cy - height / 2)  # as Kivy's Label rule places the texture
    box = Box(left + first, bottom + inked[0], left + last, bottom + inked[-1] + 1)
    # Vertically the texture always has the font's line height: ink on its first or last row was cut off.
    # Across, only a wrapped label (text_size) has room to spare, on the sides its alignment leaves free.
    clipped = inked[0] == 0 or inked[-1] == height - 1
    if label.text_size[0] is not None:
        clipped = clipped or (first == 0 and label.halign != "left") or (last == width and label.halign != "right")
    return Ink(box, clipped)


def name_of(label: Label) -> str:
    """The label's id in its .kv rule (if any) and the start of its text, for a readable failure."""
    keys = [key for parent in _parents(label) for key, w in parent.ids.items() if w.uid == label.uid]
    return f"{type(label).__name__}{'#' + keys[0] if keys else ''} {getattr(label, 'raw', label.text)[:30]!r}"


def _parents(widget: Widget) -> list[Widget]:
    found = []
    while widget is not None and widget is not Window:
        found.append(widget)
        widget = widget.parent
    return found


def problems(root: Widget, overlay: Widget | None = None) -> list[str]:
    """What is wrong with the texts now drawn under ``root`` (an empty list: nothing).

    ``overlay``: a widget drawn over the screen with its own opaque panel (the language list);
    a text of the screen under it is hidden there, so the two are not compared.
    """
    labels = texts(root)
    found: list[str] = []
    boxes: dict[Label, Box] = {}
    for label in labels:
        drawn = ink(label)
        if drawn.box is None:
            continue
        box = boxes[label] = drawn.box
        x, y = label.to_window(*label.pos)
        own = Box(x, y, x + label.width, y + label.height)
        if drawn.clipped:
            found.append(f"{name_of(label)}: its glyphs reach the edge of its texture (cut)")
        if not _inside(box, own):
            found.append(f"{name_of(label)}: text {box} spills out of its box {own}")
        if not _inside(box, Box(0, 0, Window.width, Window.height)):
            found.append(f"{name_of(label)}: text {box} out of the window {Window.width}x{Window.height}")
    drawn_labels = list(boxes)
    for i, first in enumerate(drawn_labels):
        for second in drawn_labels[i + 1 :]:
            if first in _parents(second) or second in _parents(first):
                continue
            if overlay is not None and (overlay in _parents(first)) != (overlay in _parents(second)):
                continue
            if boxes[first].crosses(boxes[second]):
                found.append(f"{name_of(first)} {boxes[first]} crosses {name_of(second)} {boxes[second]}")
    return found


def _inside(inner: Box, outer: Box) -> bool:
    return (
        inner.left >= outer.left - SLACK
        and inner.bottom >= outer.bottom - SLACK
        and inner.right <= outer.right + SLACK
        and inner.top <= outer.top + SLACK
    )
