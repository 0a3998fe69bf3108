"""The desk kiosk in a real Kivy window (SDL offscreen), driven by real touches.

Every test taps widgets at their centre and then checks what the real
DeviceCore stored in its SQLite outbox. Time is a ManualClock the test moves;
nothing sleeps. Screenshots of every screen are written to docs/screenshots/
only when TAQYEEM_SCREENSHOTS=1:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/python -m pytest tests/device/test_kiosk.py -k screenshots
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from device.kiosk.app import prepare_kivy

# Before the first kivy import: a throwaway KIVY_HOME, no argv parsing, the offscreen
# driver, no frame-rate cap, and Python logging left alone (see prepare_kivy).
prepare_kivy(Path(tempfile.mkdtemp(prefix="taqyeem-kivy-")), fullscreen=False, headless=True)

import pytest  # noqa: E402

from device.core import DeviceCore  # noqa: E402
from device.kiosk import flow  # noqa: E402
from device.kiosk.headless import HeadlessKiosk  # noqa: E402
from device.kiosk.texts import FACE_WORDS, STAFF, text  # noqa: E402
from device.settings import DeviceSettings  # noqa: E402
from shared.contract import DeviceConfig, Invite, Rating, ReasonLabel  # noqa: E402
from shared.pins import hash_pin  # noqa: E402

DEVICE = "riyadh-hq-d12"
PIN = "2468"
PIN_HASH = hash_pin(PIN, iterations=1000)  # few iterations: the tests check the flow, not the hash cost
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
T = flow.Timings()

DESK = DeviceConfig(
    site_id="riyadh-hq",
    desk_id="desk-12",
    desk_name_ar="مكتب ١٢ - خدمات الأفراد",
    desk_name_en="Desk 12 - Individual services",
    cooldown_s=10,
)


@pytest.fixture
def make_kiosk(tmp_path):
    """A kiosk window on a real DeviceCore with a fresh outbox (no broker: ratings queue)."""
    made: list[tuple[HeadlessKiosk, DeviceCore]] = []

    def make(
        *,
        employee: str | None = "E1042",
        config: DeviceConfig = DESK,
        pin_hash: str | None = PIN_HASH,
        broker: str | None = None,
        data_dir: Path | None = None,
        **settings,
    ) -> HeadlessKiosk:
        core = DeviceCore(
            DeviceSettings(
                device_id=settings.pop("device_id", DEVICE),
                data_dir=data_dir or tmp_path / f"device{len(made)}",
                broker=broker,
                **settings,
            )
        )
        core.apply_config(config)  # as if the retained config had arrived before the kiosk started
        if employee:
            core.sign_in(employee)
        core.start()
        kiosk = HeadlessKiosk(core, pin_hash=pin_hash)
        made.append((kiosk, core))
        return kiosk

    yield make
    for kiosk, core in made:
        kiosk.close()
        core.stop()


def stored(kiosk: HeadlessKiosk) -> list[Rating]:
    return kiosk.core.outbox.pending(limit=1000)


def shot(kiosk: HeadlessKiosk, name: str) -> None:
    if os.environ.get("TAQYEEM_SCREENSHOTS") == "1":
        kiosk.screenshot(SHOTS / f"kiosk-{name}.png")


def to_faces(kiosk: HeadlessKiosk) -> None:
    """The faces: where an open desk rests, so nothing to tap (no attract screen in between)."""
    assert kiosk.screen == "rating"


def tap_face(kiosk: HeadlessKiosk, score: int) -> None:
    kiosk.tap(kiosk.current.ids.faces.face(score))


def send_reasons(kiosk: HeadlessKiosk) -> None:
    """The reasons' Send (or Skip), then "No thanks" to the call back (test_kiosk_callback.py says yes)."""
    kiosk.tap(kiosk.current.ids.send)
    assert kiosk.screen == "callback"
    kiosk.tap(kiosk.current.ids.no)


def open_roster(kiosk: HeadlessKiosk) -> None:
    kiosk.tap(kiosk.root.ids.staff_key)  # the small "Staff sign in" key at the top left
    assert kiosk.screen == "signin"


def enter_staff(kiosk: HeadlessKiosk, pin: str = PIN) -> None:
    """IT's way in: the staff key, the roster's "Desk settings", the desk's PIN."""
    open_roster(kiosk)
    kiosk.tap(kiosk.current.ids.desk_settings)
    assert kiosk.screen == "pin"
    keypad = kiosk.current.ids.keypad
    for digit in [*pin, "OK"]:
        kiosk.tap(keypad.button(digit))


# ----- visitor paths --------------------------------------------------------------------------


def test_the_kiosk_opens_on_the_faces_while_the_desk_is_open(make_kiosk):
    kiosk = make_kiosk()
    assert kiosk.screen == "rating" and not kiosk.current.ids.faces.locked  # no "touch the screen" first
    tap_face(kiosk, 4)
    assert kiosk.screen == "thanks" and [r.score for r in stored(kiosk)] == [4]


def test_positive_rating_is_stored_before_thanks_then_back_to_the_faces(make_kiosk):
    kiosk = make_kiosk()
    to_faces(kiosk)
    tap_face(kiosk, 5)
    assert kiosk.screen == "thanks"
    [rating] = stored(kiosk)  # already durable while the thank-you is on screen
    assert (rating.score, rating.employee_id, rating.reasons, rating.visit_id, rating.lang) == (
        5,
        "E1042",
        [],
        None,
        "ar",
    )
    assert rating.created_at == "2026-11-28T09:16:40.000Z"  # the ManualClock's wall time at the tap
    kiosk.advance(T.thanks_s)
    assert kiosk.screen == "rating" and kiosk.current.ids.faces.locked  # the faces again, in their cool-down


def test_a_rating_that_cannot_be_stored_is_never_thanked(make_kiosk, monkeypatch, caplog):
    kiosk = make_kiosk()
    to_faces(kiosk)

    def disk_full(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(kiosk.core, "rate", disk_full)
    tap_face(kiosk, 4)
    assert kiosk.screen == "rating"  # back at rest, never thanked
    assert "could not store a rating" in caplog.text


def test_negative_rating_with_reasons(make_kiosk):
    kiosk = make_kiosk()
    to_faces(kiosk)
    tap_face(kiosk, 1)
    assert kiosk.screen == "followup"
    assert stored(kiosk) == []  # not yet: the reasons belong in the same rating
    screen = kiosk.current
    assert screen.ids.send.raw == text("skip", "ar")
    kiosk.tap(screen.chip("staff_courtesy"))
    kiosk.tap(screen.chip("waiting_time"))
    assert screen.chip("staff_courtesy").selected
    assert screen.ids.send.raw == text("send", "ar")
    send_reasons(kiosk)
    assert kiosk.screen == "thanks"
    [rating] = stored(kiosk)
    assert (rating.score, rating.employee_id, rating.reasons) == (1, "E1042", ["staff_courtesy", "waiting_time"])


def test_negative_followup_times_out_and_is_submitted_as_is(make_kiosk):
    kiosk = make_kiosk()
    to_faces(kiosk)
    tap_face(kiosk, 2)
    tapped_at = kiosk.clock.wall()
    kiosk.tap(kiosk.current.chip("not_resolved"))
    kiosk.advance(T.followup_s - 1)
    assert kiosk.screen == "followup" and stored(kiosk) == []
    kiosk.advance(1)
    assert kiosk.screen == "thanks"
    [rating] = stored(kiosk)
    assert (rating.score, rating.reasons, rating.visit_id) == (2, ["not_resolved"], None)
    assert rating.created_at.startswith(tapped_at.strftime("%Y-%m-%dT%H:%M:%S"))  # the tap, not the timeout


def test_a_power_cut_during_the_followup_still_stores_the_tap(make_kiosk, tmp_path):
    kiosk = make_kiosk(data_dir=tmp_path / "cut")
    to_faces(kiosk)
    tap_face(kiosk, 1)
    assert kiosk.screen == "followup" and stored(kiosk) == []
    kiosk.core.outbox.close()  # the power goes: no submit, no clean stop
    after = DeviceCore(DeviceSettings(device_id=DEVICE, data_dir=tmp_path / "cut"))
    try:
        [rating] = after.outbox.pending()
        assert (rating.score, rating.employee_id, rating.reasons, rating.seq) == (1, "E1042", [], 1)
        assert after.outbox.take_held() is None  # stored once, not again at the next start
    finally:
        after.stop()


def test_cooldown_locks_faces_and_bursts_are_stored_once(make_kiosk):
    kiosk = make_kiosk()
    to_faces(kiosk)
    faces = kiosk.current.ids.faces
    for _ in range(8):  # a burst of taps on the same spot
        kiosk.tap(faces.face(4))
    assert len(stored(kiosk)) == 1
    kiosk.advance(T.thanks_s)
    to_faces(kiosk)
    assert faces.locked  # 4 s into a 10 s cool-down: faded, and taps do nothing
    tap_face(kiosk, 5)
    assert kiosk.screen == "rating"
    assert kiosk.current.ids.notice.raw == text("cooldown", "ar") == "لحظة من فضلك"  # not a thank-you: no rating
    assert len(stored(kiosk)) == 1
    kiosk.advance(DESK.cooldown_s - T.thanks_s)
    assert not faces.locked
    tap_face(kiosk, 5)
    assert [r.score for r in stored(kiosk)] == [4, 5]


def test_faces_keep_their_order_in_both_languages_and_carry_their_own_score(make_kiosk):
    kiosk = make_kiosk()
    to_faces(kiosk)
    faces = kiosk.current.ids.faces
    for lang in ("ar", "en"):
        ordered = faces.faces  # sorted by x: screen order
        assert [f.score for f in ordered] == [1, 2, 3, 4, 5]
        assert [f.word for f in ordered] == list(FACE_WORDS[lang])
        if lang == "ar":
            kiosk.tap(kiosk.current.ids.lang_button)
    kiosk.tap(faces.faces[0])  # the leftmost face is "very dissatisfied" in English too
    assert kiosk.screen == "followup"
    send_reasons(kiosk)
    assert [(r.score, r.lang) for r in stored(kiosk)] == [(1, "en")]


def test_language_switch_is_one_tap_and_resets_for_the_next_visitor(make_kiosk):
    kiosk = make_kiosk()
    faces = kiosk.current
    assert faces.ids.question.raw == text("question", "ar")
    kiosk.tap(faces.ids.lang_button)
    assert kiosk.screen == "rating" and faces.ids.question.raw == text("question", "en")
    tap_face(kiosk, 3)
    assert kiosk.current.ids.title.raw == text("thanks_title", "en")
    kiosk.advance(T.thanks_s)
    assert kiosk.screen == "rating" and kiosk.current.ids.question.raw == text("question", "ar")
    assert [(r.score, r.lang) for r in stored(kiosk)] == [(3, "en")]


def test_invited_mode_accepts_only_inside_the_window_and_stamps_the_visit(make_kiosk):
    kiosk = make_kiosk(config=DESK.model_copy(update={"mode": "invited"}))
    assert kiosk.screen == "idle"  # an invited-mode desk rests on "your rating opens when you are served"
    assert kiosk.current.ids.hint.raw == text("attract_invited", "ar")
    kiosk.tap(kiosk.current)
    assert kiosk.screen == "idle"  # no window: the attract screen does not open the faces
    kiosk.core.deliver_invite(Invite(visit_id="A-117", employee_id="E2001", window_s=60))  # as the MQTT thread does
    kiosk.frames(1)
    assert kiosk.screen == "rating" and not kiosk.current.ids.faces.locked
    kiosk.advance(30)
    tap_face(kiosk, 4)
    [rating] = stored(kiosk)
    assert (rating.score, rating.visit_id, rating.employee_id) == (4, "A-117", "E2001")
    kiosk.advance(T.thanks_s)
    assert kiosk.screen == "idle"  # the window was good for one rating


def test_invited_mode_outside_the_window_stores_nothing(make_kiosk):
    kiosk = make_kiosk(config=DESK.model_copy(update={"mode": "invited"}))
    kiosk.core.deliver_invite(Invite(visit_id="A-118", window_s=20))
    kiosk.frames(1)
    assert kiosk.screen == "rating"
    face = kiosk.current.ids.faces.face(5)
    kiosk.advance(20)
    assert kiosk.screen == "idle"
    kiosk.tap(face)  # where the face was
    kiosk.tap(kiosk.current)
    assert kiosk.screen == "idle"
    assert stored(kiosk) == []


def test_desk_closed_takes_no_ratings(make_kiosk):
    kiosk = make_kiosk(employee=None)
    assert kiosk.screen == "closed"
    kiosk.tap(kiosk.current)
    kiosk.touch_at(400, 200)  # where the faces would be
    assert kiosk.screen == "closed" and stored(kiosk) == []


def test_config_change_arrives_live(make_kiosk):
    kiosk = make_kiosk()
    new = DESK.model_copy(
        update={
            "desk_name_ar": "مكتب ٧",
            "desk_name_en": "Desk 7",
            "default_lang": "en",
            "cooldown_s": 0,
            "negative_max_score": 3,
            "reasons": [ReasonLabel(code="parking", ar="المواقف", en="Parking")],
        }
    )
    kiosk.core.apply_config(new)  # the same entry point the MQTT thread uses
    kiosk.frames(1)
    assert kiosk.current.ids.desk.raw == "مكتب ٧"  # the visitor's language is untouched until the next visitor
    to_faces(kiosk)
    tap_face(kiosk, 3)  # now negative
    assert kiosk.screen == "followup"
    assert [c.code for c in kiosk.current.ids.chips.children] == ["parking"]
    kiosk.tap(kiosk.current.chip("parking"))
    send_reasons(kiosk)
    kiosk.advance(T.thanks_s)
    assert kiosk.current.ids.desk.raw == "Desk 7"  # the new default language, for the next visitor
    to_faces(kiosk)
    tap_face(kiosk, 5)  # cool-down now 0
    assert [(r.score, r.reasons, r.lang) for r in stored(kiosk)] == [(3, ["parking"], "ar"), (5, [], "en")]


# ----- staff paths ----------------------------------------------------------------------------


def test_desk_settings_sign_the_employee_out_but_take_no_typed_sign_in(make_kiosk):
    kiosk = make_kiosk()
    enter_staff(kiosk)
    assert kiosk.screen == "staff"
    staff = kiosk.current
    assert "keypad" not in staff.ids and "sign_in" not in staff.ids  # employees use their own PIN now
    assert "E1042" in staff.ids.status.raw
    kiosk.tap(staff.ids.sign_out)
    assert kiosk.core.employee_id is None
    assert staff.ids.sign_out.disabled and staff.ids.service_done.disabled
    kiosk.tap(staff.ids.close)
    assert kiosk.screen == "closed"
    kiosk.touch_at(400, 200)
    assert kiosk.screen == "closed" and stored(kiosk) == []


def test_staff_pin_wrong_then_locked_out(make_kiosk):
    kiosk = make_kiosk()
    enter_staff(kiosk, pin="1111")
    assert kiosk.screen == "pin"
    assert kiosk.current.ids.notice.raw == STAFF["pin_wrong"]
    keypad = kiosk.current.ids.keypad
    for _ in range(T.pin_max_attempts - 1):
        for key in [*"9999", "OK"]:
            kiosk.tap(keypad.button(key))
    assert kiosk.current.ids.notice.raw == STAFF["pin_locked"]
    for key in [*PIN, "OK"]:  # even the right PIN waits out the lockout
        kiosk.tap(keypad.button(key))
    assert kiosk.screen == "pin"
    kiosk.advance(T.pin_lockout_s)
    assert kiosk.screen == "rating"  # the PIN screen gave up waiting
    assert kiosk.core.employee_id == "E1042"  # the desk's PIN has nothing to do with the employee's
    enter_staff(kiosk)
    assert kiosk.screen == "staff"
    assert stored(kiosk) == []


def test_the_staff_key_shows_on_the_open_desks_screens_and_opens_the_roster(make_kiosk):
    kiosk = make_kiosk()
    key = kiosk.root.ids.staff_key
    assert kiosk.screen == "rating" and not key.disabled and key.opacity == 1
    assert key.raw.splitlines() == ["دخول الموظف", "Staff sign in"]
    kiosk.tap(key)
    assert kiosk.screen == "signin" and key.disabled and key.opacity == 0  # not over the staff's own screens
    kiosk.tap(kiosk.current.ids.back)  # (a name, then that employee's PIN: test_kiosk_signin.py)
    assert kiosk.screen == "rating" and not key.disabled
    tap_face(kiosk, 1)
    assert kiosk.screen == "followup" and key.disabled  # never in the middle of a visitor's rating
    kiosk.touch_at(*key.center)
    assert kiosk.screen == "followup"


def test_without_a_pin_hash_the_staff_screen_says_how_to_set_one(make_kiosk):
    kiosk = make_kiosk(pin_hash=None)
    open_roster(kiosk)
    kiosk.tap(kiosk.current.ids.desk_settings)
    assert kiosk.screen == "pin"
    assert "taqyeem-device set-pin" in kiosk.current.ids.title.raw
    assert "لم يُضبط رمز للمكتب" in kiosk.current.ids.title.raw  # Arabic too, for every staff text
    assert kiosk.current.ids.keypad.disabled
    kiosk.tap(kiosk.current.ids.keypad.button("OK"))
    assert kiosk.screen == "pin"
    shot(kiosk, "pin-unset-bilingual")


def test_service_done_opens_one_rating_for_the_signed_in_employee(make_kiosk):
    kiosk = make_kiosk(config=DESK.model_copy(update={"mode": "invited"}))
    enter_staff(kiosk)
    kiosk.tap(kiosk.current.ids.service_done)
    assert kiosk.screen == "rating"
    tap_face(kiosk, 5)
    kiosk.advance(T.thanks_s)
    assert kiosk.screen == "idle"  # invited mode: back to waiting for the next invite
    [rating] = stored(kiosk)
    assert (rating.score, rating.employee_id, rating.visit_id) == (5, "E1042", None)


def test_staff_default_language_is_kept_across_restarts(make_kiosk, tmp_path):
    kiosk = make_kiosk(data_dir=tmp_path / "desk")
    enter_staff(kiosk)
    kiosk.tap(kiosk.current.ids.default_lang)
    kiosk.tap(kiosk.current.ids.close)
    assert kiosk.current.ids.question.raw == text("question", "en")
    kiosk.close()
    kiosk.core.stop()
    again = make_kiosk(data_dir=tmp_path / "desk")
    assert again.current.ids.question.raw == text("question", "en")


def test_status_indicator_shows_queued_ratings_offline(make_kiosk):
    kiosk = make_kiosk()
    dot = kiosk.root.ids.dot
    assert (dot.state, dot.depth) == ("offline", 0)
    to_faces(kiosk)
    tap_face(kiosk, 5)
    kiosk.frames(1)
    assert (dot.state, dot.depth) == ("offline", 1)
    enter_staff(kiosk)
    status = kiosk.current.ids.status.raw.splitlines()
    assert any(line.startswith("Outbox: 1 ") for line in status)
    assert any(line.startswith("Link") and "offline" in line for line in status)


def test_escape_does_not_end_the_kiosk(make_kiosk, monkeypatch):
    from kivy.config import Config
    from kivy.core.window import Window, WindowBase

    kiosk = make_kiosk()
    closed = []
    monkeypatch.setattr(Window, "close", lambda *a: closed.append(a))
    assert Config.get("kivy", "exit_on_escape") == "0"
    assert Config.get("graphics", "allow_screensaver") == "0"  # the display never blanks
    Window.dispatch("on_keyboard", 27, 9, None, [])
    monkeypatch.setattr(WindowBase.on_keyboard, "exit_on_escape", True)  # even if a config.ini says otherwise
    Window.dispatch("on_keyboard", 27, 9, None, [])
    kiosk.frames(1)
    assert closed == [] and kiosk.screen == "rating"


# ----- screenshots (and one more walk through every screen) -----------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_screenshots_of_every_screen(make_kiosk, lang):
    kiosk = make_kiosk(config=DESK.model_copy(update={"default_lang": lang}))
    to_faces(kiosk)
    shot(kiosk, f"rating-{lang}")
    tap_face(kiosk, 2)
    kiosk.tap(kiosk.current.chip("waiting_time"))
    shot(kiosk, f"followup-{lang}")
    send_reasons(kiosk)
    shot(kiosk, f"thanks-{lang}")
    kiosk.advance(T.thanks_s)
    to_faces(kiosk)
    tap_face(kiosk, 5)  # refused: cooling down, the faces fade
    shot(kiosk, f"cooldown-{lang}")
    enter_staff(kiosk)
    kiosk.tap(kiosk.current.ids.sign_out)
    if lang == "ar":
        shot(kiosk, "staff-bilingual")
    kiosk.tap(kiosk.current.ids.close)
    assert kiosk.screen == "closed"
    shot(kiosk, f"closed-{lang}")
    kiosk.tap(kiosk.current.ids.sign_in)  # the closed screen's "Staff sign in"
    kiosk.tap(kiosk.current.ids.desk_settings)
    if lang == "ar":
        kiosk.tap(kiosk.current.ids.keypad.button("1"))
        shot(kiosk, "pin-bilingual")
    assert [(r.score, r.reasons, r.lang) for r in stored(kiosk)] == [(2, ["waiting_time"], lang)]


# ----- with a real broker: offline, then back, and the outbox drains ---------------------------


def pump_until(kiosk: HeadlessKiosk, condition, what: str, timeout: float = 20.0) -> None:
    """Keep drawing frames (the core's callbacks arrive through Kivy's Clock) until condition holds.

    The kiosk's clock moves too, since the indicator re-reads the outbox every 2 s of it.
    """
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        kiosk.advance(0.1, frames=1)
        time.sleep(0.02)
    kiosk.frames(2)


def test_offline_then_reconnect_drains_the_outbox(make_kiosk, tmp_path, unique_id):
    from collector.ingest.subscriber import Ingest
    from collector.settings import CollectorSettings
    from collector.store import Store
    from tests.conftest import start_broker

    private = start_broker(tmp_path / "mosquitto", tls=False)  # ours alone, so the test may stop it
    store = None
    ingest = None
    try:
        device_id = unique_id("kiosk")
        password = private.add_device(device_id)
        settings = CollectorSettings.model_validate(
            {
                "broker": private.collector_url(),
                "db": tmp_path / "collector.db",
                "client_id": unique_id("collector"),
                "batch_wait_ms": 20,
            }
        )
        store = Store(settings.db)
        ingest = Ingest(settings, store)
        ingest.start()
        kiosk = make_kiosk(device_id=device_id, broker=f"mqtt://127.0.0.1:{private.port}", password=password)
        dot = kiosk.root.ids.dot
        pump_until(kiosk, lambda: kiosk.core.connected and dot.state == "online", "the kiosk to connect")

        private.local.stop()  # the network or broker goes away
        pump_until(kiosk, lambda: dot.state == "offline", "the indicator to show offline")
        to_faces(kiosk)
        tap_face(kiosk, 5)
        kiosk.advance(DESK.cooldown_s)
        to_faces(kiosk)
        tap_face(kiosk, 1)
        kiosk.tap(kiosk.current.chip("procedure"))
        send_reasons(kiosk)
        assert kiosk.screen == "thanks"  # ratings keep being taken while offline
        kiosk.frames(1)
        assert dot.depth == 2 and kiosk.core.outbox_depth() == 2

        private.local.start()  # back: the link reconnects, resends, and the collector's Acks empty the outbox
        pump_until(kiosk, lambda: kiosk.core.outbox_depth() == 0, "the outbox to drain", timeout=30)
        pump_until(kiosk, lambda: dot.state == "online" and dot.depth == 0, "the indicator to settle")
        rows, _ = store.ratings.page(device_id=device_id)
        assert sorted((r["score"], r["employee_id"], r["reasons"], r["visit_id"]) for r in rows) == [
            (1, "E1042", ["procedure"], None),
            (5, "E1042", [], None),
        ]
    finally:
        if ingest is not None:
            ingest.stop()
        if store is not None:
            store.close()
        private.local.stop()
