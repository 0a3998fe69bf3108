"""Large text and high contrast for one visitor: applied to a screen's widgets, undone at rest.

Each label's own size and colour (from its .kv rule) are remembered the first
time, so switching back restores them exactly; the mode is applied to a screen
only when it differs from what that screen shows (no walk over the tree per frame).
"""

from __future__ import annotations

from kivy.uix.widget import Widget

from device.kiosk.widgets.controls import AccessButton, BidiLabel, Chip, LanguageButton, TapButton
from device.kiosk.widgets.faces import Face

LARGE_SCALE = 1.35
CONTRAST_TEXT = (1.0, 1.0, 1.0, 1.0)  # white on black
CONTRAST_BUTTON = (1.0, 0.84, 0.0, 1.0)  # black on yellow
CONTRAST_INK = (0.0, 0.0, 0.0, 1.0)


def apply(screen: Widget, large: bool, lang: str) -> None:
    """Large text and high contrast on (``large``) or off for every label and button of ``screen``,
    and the visitor's language told to each label (it picks the font: Nastaliq for Urdu)."""
    if getattr(screen, "large", None) == large and getattr(screen, "_lang", None) == lang:
        return
    changed, screen.large, screen._lang = screen.large != large, large, lang
    for widget in screen.walk(restrict=True):
        if isinstance(widget, BidiLabel):
            widget.lang = lang
        # A widget made since the last switch (the reasons' chips, rebuilt in the new language) has no
        # remembered size yet: in large text it is enlarged too, though large itself did not change.
        if not changed and not (large and isinstance(widget, BidiLabel) and not hasattr(widget, "_own")):
            continue
        if isinstance(widget, Face):
            widget.ink = CONTRAST_TEXT if large else (0.13, 0.16, 0.20, 1)
        elif isinstance(widget, BidiLabel) and not isinstance(widget.parent, Face):
            _label(widget, large)
        elif isinstance(widget, BidiLabel):
            _size(widget, large)


def _size(label: BidiLabel, large: bool) -> None:
    if not hasattr(label, "_own"):
        # The size its rule asked for (BidiLabel._wanted), not what fitting made of it in a narrow box.
        label._own = (label._wanted, tuple(label.color), getattr(label, "background", None))
    label.font_size = label._own[0] * LARGE_SCALE if large else label._own[0]


def _label(label: BidiLabel, large: bool) -> None:
    if not isinstance(label, (AccessButton, LanguageButton)):  # those two keep their size: they are the way back
        _size(label, large)
    elif not hasattr(label, "_own"):
        label._own = (label._wanted, tuple(label.color), label.background)
    _size_unused, colour, background = label._own
    if isinstance(label, Chip):
        return  # a chip's colours follow its selection (its .kv rule): white or red, both clear
    if isinstance(label, TapButton):
        label.color = CONTRAST_INK if large else colour
        label.background = CONTRAST_BUTTON if large else background
        return
    label.color = (*CONTRAST_TEXT[:3], colour[3]) if large else colour
