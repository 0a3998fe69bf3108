"""Arabic lines for Kivy's label (device/kiosk/shaping.py): wrapped in typed order, then joined and reversed."""

from __future__ import annotations

from device.kiosk.shaping import shape_line, wrap_logical


def test_wrap_happens_before_shaping_and_keeps_logical_order():
    words = "ما مدى رضاك عن خدمة الموظف الذي خدمك"
    lines = wrap_logical(words, 100, lambda s: 10 * len(s))
    assert " ".join(lines) == words  # lines hold the typed (logical) text, first words first
    assert all(10 * len(line) <= 100 for line in lines if " " in line)
    assert lines[0].startswith("ما")


def test_shape_line_joins_and_reverses_arabic_but_not_latin_or_digits():
    # joined forms (final ب, medial ت and ك, initial م), drawn right to left, digits kept left to right;
    # a zero-width non-joiner between glyphs so the renderer's HarfBuzz cannot fuse neighbours
    assert shape_line("مكتب 12") == "12 \ufe90\u200c\ufe98\u200c\ufedc\u200c\ufee3"
    assert shape_line("حاليا").replace("\u200c", "") == "\ufe8e\ufef4\ufedf\ufe8e\ufea3"
    assert shape_line("Desk 12") == "Desk 12"
