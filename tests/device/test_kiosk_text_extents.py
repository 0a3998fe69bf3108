"""The pil provider's measure, remembered (device/kiosk/text_extents.py): the same sizes as Pillow's, asked once.

Real Kivy (pil provider, set by test_kiosk's prepare_kivy) and real Noto fonts; no window is needed.
"""

from __future__ import annotations

import pytest

from tests.device import test_kiosk  # noqa: F401  (prepare_kivy before the first kivy import)

TEXTS = [
    "كيف كانت خدمتنا اليوم؟",
    "How was our service today?",
    "آپ کی خدمت کیسی رہی؟",
    "आज हमारी सेवा कैसी रही?",
    "E1042",
]


def core_label(text: str, font: str, **options):
    from kivy.core.text import Label as CoreLabel

    from device.kiosk.root import load_kv

    load_kv()  # registers the fonts and remembers the measures, as the kiosk's start does
    return CoreLabel(text=text, font_name=font, font_size=28, **options)


def pillow_extents(label, text: str) -> tuple[int, int]:
    """What Kivy's own LabelPIL.get_extents computes (kivy/core/text/text_pil.py)."""
    font = label._select_font()
    left, top, right, bottom = font.getbbox(text)
    ascent, descent = font.getmetrics()
    tight = label.options["limit_render_to_text_bbox"]
    return right - left, (bottom - top) if tight else (ascent + descent)


@pytest.mark.parametrize("tight", [False, True])
def test_a_remembered_measure_is_the_one_pillow_gives_for_each_script_and_font(tight):
    from device.kiosk.fonts import font_for

    for text in TEXTS:
        label = core_label(text, font_for(text), limit_render_to_text_bbox=tight)
        assert label.get_extents(text) == pillow_extents(label, text), text


def test_the_same_text_in_the_same_font_and_size_is_measured_by_pillow_once():
    from device.kiosk import text_extents

    label = core_label("", "TaqyeemSans")
    text = "شكراً لكم Thank you 7319"
    label.get_extents(text)
    before = text_extents._extents.cache_info()
    for _ in range(5):
        assert label.get_extents(text) == pillow_extents(label, text)
    after = text_extents._extents.cache_info()
    assert (after.misses, after.hits) == (before.misses, before.hits + 5)


def test_another_size_of_the_same_font_is_measured_anew():
    small, large = core_label("", "TaqyeemLatin"), core_label("", "TaqyeemLatin")
    large.options["font_size"] = 56
    assert large.get_extents("Desk 1")[0] > small.get_extents("Desk 1")[0]
