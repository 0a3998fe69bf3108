"""The call back after a negative, in a real Kivy window (SDL offscreen) on a real DeviceCore: the visitor taps a
face, a reason, "Yes, call me", types the number on the keypad and sends; the rating in the outbox carries it, and
through a real mosquitto a real collector keeps it apart (collector/store/callbacks.py). "No thanks" and a screen
left untouched store no number; a wrong number is told on the screen and not accepted.

Screenshots of the number screen with a number typed (docs/screenshots/kiosk-callback-{ar,en}.png):

    TAQYEEM_SCREENSHOTS=1 .venv/bin/python -m pytest tests/device/test_kiosk_callback.py -k screenshot
"""

from __future__ import annotations

import pytest

from device.kiosk.texts import text  # test_kiosk's prepare_kivy has run: the import below is first
from device.kiosk.widgets.controls import BidiLabel
from device.kiosk.widgets.keypad import DELETE, ENTER
from tests.device import test_kiosk
from tests.device.test_kiosk import DESK, T, pump_until, shot, stored, tap_face

make_kiosk = test_kiosk.make_kiosk  # the same fixture: a kiosk window on a real DeviceCore, no broker

NUMBER = "0501234567"


def to_offer(kiosk, lang: str = "ar") -> None:
    """Face 1, the reason "waiting time", Send: the call back is offered."""
    assert kiosk.screen == "rating"
    tap_face(kiosk, 1)
    kiosk.tap(kiosk.current.chip("waiting_time"))
    kiosk.tap(kiosk.current.ids.send)
    assert kiosk.screen == "callback"
    assert kiosk.current.ids.title.raw == text("callback_title", lang)


def type_number(kiosk, digits: str) -> None:
    keypad = kiosk.current.ids.keypad
    for digit in digits:
        kiosk.tap(keypad.button(digit))


def test_a_visitor_who_says_yes_types_the_number_and_the_rating_carries_it(make_kiosk):
    kiosk = make_kiosk()
    to_offer(kiosk)
    assert stored(kiosk) == []  # the tap is held, not yet a rating
    kiosk.tap(kiosk.current.ids.yes)
    assert kiosk.screen == "callback_number"
    screen = kiosk.current
    assert screen.ids.use.raw == text("callback_use", "ar")  # what it is for and for how long, before typing
    assert "30" in text("callback_use", "en") and "٣٠" in screen.ids.use.raw
    type_number(kiosk, "05012345678")  # one digit too many: corrected with the delete key
    kiosk.tap(screen.ids.keypad.button(DELETE))
    assert screen.ids.number.text == "050 123 4567"
    assert screen.ids.keypad.button(ENTER).raw == text("send", "ar")
    kiosk.tap(screen.ids.keypad.button(ENTER))
    assert kiosk.screen == "thanks"
    [rating] = stored(kiosk)
    assert (rating.score, rating.reasons, rating.callback_phone) == (1, ["waiting_time"], "+966501234567")
    kiosk.advance(T.thanks_s)
    assert kiosk.screen == "rating"


def test_no_thanks_on_the_question_or_on_the_keypad_stores_the_rating_without_a_number(make_kiosk):
    kiosk = make_kiosk(config=DESK.model_copy(update={"cooldown_s": 0}))
    to_offer(kiosk)
    kiosk.tap(kiosk.current.ids.no)
    assert kiosk.screen == "thanks"
    kiosk.advance(T.thanks_s)
    to_offer(kiosk)
    kiosk.tap(kiosk.current.ids.yes)
    type_number(kiosk, "050")
    kiosk.tap(kiosk.current.ids.no)  # changed their mind: the digits go, the rating stays
    assert kiosk.screen == "thanks"
    assert [(r.score, r.callback_phone) for r in stored(kiosk)] == [(1, None), (1, None)]


def test_a_wrong_number_is_told_on_the_screen_and_not_accepted(make_kiosk):
    kiosk = make_kiosk()
    to_offer(kiosk)
    kiosk.tap(kiosk.current.ids.yes)
    screen = kiosk.current
    type_number(kiosk, "0412345")  # not a mobile number, and too short
    kiosk.tap(screen.ids.keypad.button(ENTER))
    assert kiosk.screen == "callback_number" and stored(kiosk) == []
    assert screen.ids.notice.raw == text("callback_wrong", "ar")
    assert screen.ids.number.text == "041 234 5"  # kept, to correct
    for _ in range(7):
        kiosk.tap(screen.ids.keypad.button(DELETE))
    assert screen.ids.notice.raw == "" and screen.ids.number.text == ""
    type_number(kiosk, "0559876543")
    kiosk.tap(screen.ids.keypad.button(ENTER))
    assert [r.callback_phone for r in stored(kiosk)] == ["+966559876543"]


def test_a_hardware_keyboard_types_the_number_and_its_enter_sends_it(make_kiosk):
    from kivy.core.window import Window

    kiosk = make_kiosk()
    to_offer(kiosk)
    kiosk.tap(kiosk.current.ids.yes)
    for char in "05x5 9876543":  # what is not a digit is left out
        Window.dispatch("on_textinput", char)
    kiosk.frames(1)
    assert kiosk.current.ids.number.text == "055 987 6543"
    Window.dispatch("on_key_down", 13, 40, None, [])
    kiosk.frames(1)
    assert kiosk.screen == "thanks" and [r.callback_phone for r in stored(kiosk)] == ["+966559876543"]


def test_left_untouched_the_rating_is_stored_without_a_number_and_the_desk_rests(make_kiosk):
    kiosk = make_kiosk()
    to_offer(kiosk)
    kiosk.tap(kiosk.current.ids.yes)
    type_number(kiosk, "05012")
    kiosk.advance(T.callback_s - 1)
    type_number(kiosk, "3")  # each key keeps the screen waiting
    kiosk.advance(T.callback_s - 1)
    assert kiosk.screen == "callback_number" and stored(kiosk) == []
    kiosk.advance(1.5)
    assert kiosk.screen == "rating"
    assert [(r.score, r.reasons, r.callback_phone) for r in stored(kiosk)] == [(1, ["waiting_time"], None)]


def test_a_power_cut_before_send_keeps_the_rating_never_the_digits(make_kiosk, tmp_path):
    kiosk = make_kiosk(data_dir=tmp_path / "desk")
    to_offer(kiosk)
    kiosk.tap(kiosk.current.ids.yes)
    type_number(kiosk, "05012345")
    kiosk.close()
    kiosk.core.stop()  # the power goes: the next start finds the held tap
    again = make_kiosk(data_dir=tmp_path / "desk")
    assert [(r.score, r.reasons, r.callback_phone) for r in stored(again)] == [(1, ["waiting_time"], None)]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_yes_starts_where_reading_starts_and_no_is_as_large(make_kiosk, lang):
    kiosk = make_kiosk(config=DESK.model_copy(update={"default_lang": lang}))
    to_offer(kiosk, lang)
    yes, no = kiosk.current.ids.yes, kiosk.current.ids.no
    assert yes.size == no.size and yes.y == no.y
    assert (yes.x > no.x) == (lang == "ar")  # Arabic reads from the right
    kiosk.tap(yes)
    screen = kiosk.current
    keypad = screen.ids.keypad
    assert keypad.button("1").x < keypad.button("2").x < keypad.button("3").x  # a phone's keypad, never mirrored
    assert (keypad.x < screen.ids.use.x) == (lang == "ar")  # the words where reading starts, the keypad beside
    assert not isinstance(screen.ids.number, BidiLabel)  # a plain label: its digit groups are never reordered
    type_number(kiosk, NUMBER)
    assert screen.ids.number.text == "050 123 4567"


def test_the_number_reaches_the_collector_through_mosquitto_and_is_kept_apart(make_kiosk, broker, tmp_path, unique_id):
    from collector.ingest.subscriber import Ingest
    from collector.settings import CollectorSettings
    from collector.store import Store

    settings = CollectorSettings.model_validate(
        {
            "broker": broker.collector_url(),
            "db": tmp_path / "collector.db",
            "client_id": unique_id("collector"),
            "batch_wait_ms": 20,
        }
    )
    store = Store(settings.db)
    ingest = Ingest(settings, store)
    ingest.start()
    try:
        device_id = unique_id("kiosk")
        password = broker.add_device(device_id)
        kiosk = make_kiosk(device_id=device_id, broker=f"mqtt://127.0.0.1:{broker.port}", password=password)
        pump_until(kiosk, lambda: kiosk.core.connected, "the kiosk to connect")
        to_offer(kiosk)
        kiosk.tap(kiosk.current.ids.yes)
        type_number(kiosk, NUMBER)
        kiosk.tap(kiosk.current.ids.keypad.button(ENTER))
        assert kiosk.screen == "thanks"
        pump_until(kiosk, lambda: kiosk.core.outbox_depth() == 0, "the collector's Ack", timeout=30)
        [row], _ = store.ratings.page(device_id=device_id)
        assert (row["score"], row["reasons"]) == (1, ["waiting_time"])
        assert "callback_phone" not in row  # apart from the rating
        assert store.callbacks.of([row["id"]])[row["id"]]["phone"] == "+966501234567"
    finally:
        ingest.stop()
        store.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_screenshot_of_the_number_screen(make_kiosk, lang):
    kiosk = make_kiosk(config=DESK.model_copy(update={"default_lang": lang}))
    to_offer(kiosk, lang)
    kiosk.tap(kiosk.current.ids.yes)
    type_number(kiosk, NUMBER)
    kiosk.frames(2)
    shot(kiosk, f"callback-{lang}")
    assert kiosk.current.ids.number.text == "050 123 4567"
