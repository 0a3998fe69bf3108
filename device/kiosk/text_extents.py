"""Kivy's ``pil`` text provider, with each text's size measured once (``remember_extents``).

Kivy lays a label out by measuring its words one by one (``LabelBase.get_extents``),
and so do the kiosk's own labels when they fit a word to a box (``BidiLabel._measure``).
The ``sdl2`` provider's measure is cheap; ``pil``'s asks Pillow to lay the text out
with libraqm each time (about 0.1 ms a call here), and the same words are measured
again by every label and every screen that shows them: 470 calls drew the kiosk's
first frame (60 ms of its 140 ms CPU; docs/performance.md, the kiosk's start).

The size of a text depends only on the font file, its size in pixels and the text
(Kivy's pil provider passes no direction or features to Pillow), so it is kept by
those, for the process's life, in a bounded cache. Pillow's font objects are kept
by Kivy's provider for the process's life too (``LabelPIL._cache``), so the cache
holds nothing that would otherwise be freed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MEASURED_TEXTS = 8192  # distinct (font, size, text) sizes kept: a few hundred are shown in a day


def remember_extents(label_class: type) -> None:
    """Make the ``pil`` provider's ``get_extents`` measure each text once; other providers are left as they are."""
    if label_class.__name__ != "LabelPIL" or getattr(label_class, "_extents_remembered", False):
        return

    def get_extents(self: Any, text: str) -> tuple[int, int]:
        font = self._select_font()
        if not font:
            return 0, 0
        return _extents(font, bool(self.options["limit_render_to_text_bbox"]), text)

    label_class.get_extents = get_extents  # type: ignore[attr-defined]
    label_class._extents_remembered = True  # type: ignore[attr-defined]


@lru_cache(maxsize=MEASURED_TEXTS)
def _extents(font: Any, tight: bool, text: str) -> tuple[int, int]:
    """What Kivy's ``LabelPIL.get_extents`` returns (kivy/core/text/text_pil.py), for one Pillow font."""
    left, top, right, bottom = font.getbbox(text)
    if tight:
        return right - left, bottom - top
    ascent, descent = font.getmetrics()
    return right - left, ascent + descent
