"""The kiosk's texts with numbers in them (device/kiosk/texts.py)."""

from __future__ import annotations

from device.kiosk.texts import minutes_phrase


def test_arabic_minutes_agree_with_the_count():
    assert [minutes_phrase(n)[0] for n in (1, 2, 5, 11)] == ["دقيقة", "دقيقتين", "5 دقائق", "11 دقيقة"]
