"""Arabic for Kivy's label: wrap in logical order, then shape and order each line.

Kivy's label neither joins Arabic letters nor lays them right to left, and its
own wrapping of an already reshaped paragraph puts the lines in the wrong order.
So a line is chosen from the logical (typed) text first, and only then each
line is reshaped (joined letter forms) and reordered for display.
Pure functions; the measuring function is passed in.

One more trap, seen on this project's screenshots: Kivy's SDL2 text provider
runs HarfBuzz over the already-reordered string, so a lam that *ends* one word
next to an alef that *ends* the word drawn left of it ("حاليا", "الحالة") is
fused into a bogus lam-alef ligature. A zero-width non-joiner between adjacent
presentation-form letters stops any lookup from reaching across two glyphs.
"""

from __future__ import annotations

from collections.abc import Callable

from arabic_reshaper import reshape
from bidi import get_display

Measure = Callable[[str], float]  # width in pixels of a display-ready line


ZWNJ = "\u200c"


def _is_presentation_form(ch: str) -> bool:
    return "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff"


def shape_line(text: str) -> str:
    """One line, logical order -> the glyph order Kivy should draw left to right."""
    if not text:
        return text
    shaped = get_display(reshape(text))
    out = []
    for before, ch in zip(" " + shaped[:-1], shaped, strict=True):
        if _is_presentation_form(before) and _is_presentation_form(ch):
            out.append(ZWNJ)
        out.append(ch)
    return "".join(out)


def wrap_logical(
    text: str, max_width: float, measure: Measure, shape: Callable[[str], str] = shape_line
) -> list[str]:
    """Greedy word wrap in logical order, measuring each candidate as it will be drawn.

    Explicit newlines are kept; a single word wider than the line stays whole. ``shape``
    turns a logical line into what the text provider is given (nothing to do for one
    that shapes itself, such as Kivy's ``pil`` provider with libraqm).
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if current and measure(shape(candidate)) > max_width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


def shape_block(text: str, max_width: float | None, measure: Measure | None) -> str:
    """Wrap (if a width is given) then shape each line; lines joined with newlines."""
    if max_width is None or measure is None or max_width <= 0:
        lines = text.split("\n")
    else:
        lines = wrap_logical(text, max_width, measure)
    return "\n".join(shape_line(line) for line in lines)
