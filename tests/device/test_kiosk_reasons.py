"""The reasons' icons on the follow-up screen, in a real Kivy window (see test_kiosk.py).

Screenshots of the follow-up in Urdu and Hindi are
written to docs/screenshots/ with TAQYEEM_SCREENSHOTS=1 (look at them: an icon beside
each shipped reason, on the side where reading starts):

    TAQYEEM_SCREENSHOTS=1 .venv/bin/python -m pytest tests/device/test_kiosk_reasons.py -k screenshot

The other kiosk-followup-* come from test_kiosk.py (ar, en) and test_kiosk_languages.py (large-hi);
kiosk-followup-large-ur from test_the_title_hint_and_reasons_never_overlap.
"""

from __future__ import annotations

import pytest

from shared.contract import DEFAULT_REASONS, ReasonLabel
from tests.device import test_kiosk
from tests.device.test_kiosk import DESK, send_reasons, shot, stored, tap_face, to_faces
from tests.device.test_kiosk_languages import EVERY

make_kiosk = test_kiosk.make_kiosk  # the same fixture: a kiosk window on a real DeviceCore, no broker

SHIPPED = [r.code for r in DEFAULT_REASONS]
CUSTOM = ReasonLabel(code="parking", ar="المواقف", en="Parking")


def to_reasons(kiosk, large: bool = False):
    to_faces(kiosk)
    if large:
        kiosk.tap(kiosk.current.ids.access_button)
    tap_face(kiosk, 1)
    assert kiosk.screen == "followup"
    return kiosk.current


def drawn(icon) -> int:
    """How many instructions the icon's canvas holds: more than its colour means it drew."""
    return len(icon.canvas.children)


@pytest.mark.parametrize("lang", ["ar", "en", "ur", "hi"])
def test_each_shipped_reason_has_its_icon_on_the_side_where_reading_starts(make_kiosk, lang):
    from device.kiosk.widgets.reason_icons import ReasonIcon

    kiosk = make_kiosk(config=EVERY.model_copy(update={"default_lang": lang}))
    screen = to_reasons(kiosk)
    for code in SHIPPED:
        chip = screen.chip(code)
        icon = chip.icon
        assert isinstance(icon, ReasonIcon) and icon.code == code and icon.parent is chip
        assert drawn(icon) > 2, f"{code}: nothing drawn"
        assert icon.width >= 40 and chip.collide_point(*icon.center)  # large enough to read, inside its chip
        text_left, _top, text_right, _bottom = chip.padding
        if lang in ("ar", "ur"):
            assert icon.center_x > chip.center_x and text_right > text_left  # right of the text
        else:
            assert icon.center_x < chip.center_x and text_left > text_right  # left of the text


def test_a_centres_own_reason_shows_as_text_without_an_icon(make_kiosk):
    kiosk = make_kiosk(config=DESK.model_copy(update={"reasons": [DEFAULT_REASONS[0], CUSTOM]}))
    screen = to_reasons(kiosk)
    own = screen.chip("parking")
    assert own.icon is None and own.children == [] and own.raw == "المواقف"
    left, _top, right, _bottom = own.padding
    assert left == right  # the text keeps the whole chip, centred
    assert screen.chip("waiting_time").icon is not None
    kiosk.tap(own)
    send_reasons(kiosk)
    assert [r.reasons for r in stored(kiosk)] == [["parking"]]


def test_tapping_an_icon_selects_its_reason_and_the_icon_turns_white_on_red(make_kiosk):
    kiosk = make_kiosk(config=DESK.model_copy(update={"default_lang": "en"}))
    screen = to_reasons(kiosk)
    chip = screen.chip("information")
    before = tuple(chip.icon.ink)
    kiosk.tap(chip.icon)  # on the drawing itself, not the text
    assert chip.selected and screen.ids.send.raw == "Send"
    assert tuple(chip.icon.ink) == tuple(chip.color) != before  # the icon follows the text's colour
    kiosk.tap(screen.chip("facilities").icon)
    kiosk.tap(chip.icon)  # again: unchosen
    assert not chip.selected and screen.chip("facilities").selected
    send_reasons(kiosk)
    assert [r.reasons for r in stored(kiosk)] == [["facilities"]]


@pytest.mark.parametrize("lang", ["hi", "en", "tl"])
def test_the_icons_stay_in_large_text_and_the_words_stay_inside_their_chip(make_kiosk, lang):
    from kivy.metrics import sp

    from device.kiosk.widgets.access import LARGE_SCALE
    from device.kiosk.widgets.reason_icons import ReasonChip

    kiosk = make_kiosk(config=EVERY.model_copy(update={"default_lang": lang}))
    screen = to_reasons(kiosk, large=True)
    assert screen.large
    sizes = []
    for code in SHIPPED:
        chip = screen.chip(code)
        assert drawn(chip.icon) > 2 and chip.collide_point(*chip.icon.center)
        assert chip.padding[0] + chip.padding[2] < chip.width * 0.45  # room left for the larger words
        assert chip.texture_size[1] <= chip.height, f"{code}: the words spill out of the chip"
        assert chip.font_size >= sp(ReasonChip.FIT_FLOOR)
        sizes.append(chip.font_size)
    if lang != "tl":  # Tagalog's words are long: all six are set a little smaller
        assert max(sizes) == pytest.approx(sp(22) * LARGE_SCALE)  # words that fit keep the full large size


@pytest.mark.parametrize("lang", ["ur", "hi"])
def test_screenshot_of_the_reasons_with_icons(make_kiosk, lang):
    kiosk = make_kiosk(config=EVERY.model_copy(update={"default_lang": lang}))
    screen = to_reasons(kiosk)
    kiosk.tap(screen.chip("waiting_time").icon)
    shot(kiosk, f"followup-{lang}")


@pytest.mark.parametrize("lang", ["en", "tl", "ur", "ar"])
@pytest.mark.parametrize("large", [False, True])
def test_the_title_hint_and_reasons_never_overlap(make_kiosk, lang, large):
    kiosk = make_kiosk(config=EVERY.model_copy(update={"default_lang": lang}))
    screen = to_reasons(kiosk, large=large)
    kiosk.frames(3)
    title, hint, chips = screen.ids.title, screen.ids.hint, screen.ids.chips
    assert title.texture_size[1] <= title.height + 1, f"the title ({title.raw!r}) spills out of its box"
    assert title.y >= hint.top - 1, "the title runs into the hint line"
    assert hint.texture_size[1] <= hint.height + 1 and hint.y >= chips.top, "the hint runs into the reasons"
    assert chips.y >= screen.ids.send.top and chips.height > screen.height * 0.4  # the reasons keep their room
    if large and lang == "ur":
        shot(kiosk, "followup-large-ur")  # Nastaliq, the tallest script: the title still on one line


def test_switching_language_on_the_reasons_keeps_large_text(make_kiosk):
    from kivy.metrics import sp

    from device.kiosk.widgets.access import LARGE_SCALE
    from device.kiosk.widgets.reason_icons import ReasonChip
    from tests.device.test_kiosk_languages import open_list

    kiosk = make_kiosk(config=EVERY.model_copy(update={"default_lang": "en"}))
    screen = to_reasons(kiosk, large=True)
    kiosk.tap(open_list(kiosk).button("hi"))
    kiosk.frames(3)
    assert kiosk.screen == "followup" and kiosk.root.state.large and screen.large
    assert screen.ids.title._wanted == pytest.approx(sp(30) * LARGE_SCALE)  # large, then fitted to its room
    assert screen.ids.title.font_size > sp(30) * 1.2
    for code in SHIPPED:
        chip = screen.chip(code)
        assert chip.lang == "hi" and sp(ReasonChip.FIT_FLOOR) <= chip.font_size
        assert chip.font_size > sp(22), f"{code}: back to the normal size after the switch"
