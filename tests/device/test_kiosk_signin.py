"""Who served the visitor, at the desk: an employee signs in from the roster with their own PIN.

A real Kivy window (SDL offscreen) on a real DeviceCore, driven by real touches
and, for the badge reader, real keyboard events; the PIN is checked on its worker
thread and the test draws frames until it answers (``HeadlessKiosk.settle``).
Screenshots (the roster, the rating screen naming the employee) are written only
when TAQYEEM_SCREENSHOTS=1:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/python -m pytest tests/device/test_kiosk_signin.py -k screenshots
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from device.kiosk.app import prepare_kivy

prepare_kivy(Path(tempfile.mkdtemp(prefix="taqyeem-kivy-")), fullscreen=False, headless=True)

import pytest  # noqa: E402

from device.core import DeviceCore  # noqa: E402
from device.kiosk.headless import HeadlessKiosk  # noqa: E402
from device.kiosk.lockout import setting_key  # noqa: E402
from device.kiosk.texts import STAFF, locked_for, stacked, text  # noqa: E402
from device.settings import DeviceSettings  # noqa: E402
from shared.contract import DeviceConfig, Invite, StaffMember  # noqa: E402
from shared.pins import hash_pin  # noqa: E402
from tests.device.test_kiosk import (  # noqa: E402
    DESK,
    DEVICE,
    PIN,
    PIN_HASH,
    T,
    send_reasons,
    shot,
    stored,
    tap_face,
    to_faces,
)

SARA_PIN, MOHAMMED_PIN = "1357", "8642"


def member(employee_id: str, ar: str, en: str, pin: str | None = None) -> StaffMember:
    # Few iterations: these tests check the flow; docs/performance.md measures the real 600,000.
    pin_hash = hash_pin(pin, iterations=1000) if pin else None
    return StaffMember(employee_id=employee_id, name_ar=ar, name_en=en, pin_hash=pin_hash)


STAFF_LIST = [
    member("E1042", "سارة العتيبي", "Sara Alotaibi", SARA_PIN),
    member("E2001", "محمد القحطاني", "Mohammed Alqahtani", MOHAMMED_PIN),
    member("E3003", "نورة الشهري", "Noura Alshehri"),  # has not set a PIN yet
    member("E1107", "عبدالله الدوسري", "Abdullah Aldosari", "2580"),
    member("E1188", "فهد الزهراني", "Fahad Alzahrani", "2580"),
    member("E1230", "ريم الغامدي", "Reem Alghamdi", "2580"),
    member("E1301", "خالد المطيري", "Khalid Almutairi", "2580"),
    member("E1322", "هيفاء السبيعي", "Haifa Alsubaie", "2580"),
    member("E1408", "إبراهيم الحربي", "Ibrahim Alharbi", "2580"),
    member("E1419", "أمل الشمري", "Amal Alshammari", "2580"),
    member("E1520", "تركي العنزي", "Turki Alanazi", "2580"),
    member("E1533", "لمى الرشيد", "Lama Alrashid", "2580"),
    member("E1610", "يوسف البقمي", "Yousef Albogami", "2580"),
    member("E1644", "منيرة الجهني", "Munirah Aljuhani", "2580"),
]
ROSTER_DESK = DESK.model_copy(update={"staff": STAFF_LIST, "sign_out_idle_min": 30, "closes_at": "16:00"})


@pytest.fixture
def desk(tmp_path):
    """A kiosk on a real core whose config carries the site's roster; nobody signed in unless asked."""
    made: list[HeadlessKiosk] = []

    def make(*, employee: str | None = None, config: DeviceConfig = ROSTER_DESK, data: str = "desk") -> HeadlessKiosk:
        core = DeviceCore(DeviceSettings(device_id=DEVICE, data_dir=tmp_path / data))
        core.apply_config(config)
        if employee:
            core.sign_in(employee)
        kiosk = HeadlessKiosk(core, pin_hash=PIN_HASH)
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()
        kiosk.core.stop()


def open_roster(kiosk: HeadlessKiosk) -> None:
    if kiosk.screen == "closed":
        kiosk.tap(kiosk.current.ids.sign_in)
    else:
        kiosk.tap(kiosk.root.ids.staff_key)  # the small "Staff sign in" key of an open desk
    assert kiosk.screen == "signin"


def pick(kiosk: HeadlessKiosk, employee_id: str) -> None:
    screen = kiosk.current
    while employee_id not in [b.employee_id for b in screen.ids.names.children]:
        assert not screen.ids.next.disabled, f"{employee_id} is on no page"
        kiosk.tap(screen.ids.next)
    kiosk.tap(screen.name_button(employee_id))


def type_pin(kiosk: HeadlessKiosk, pin: str) -> None:
    assert kiosk.screen == "employee_pin"
    keypad = kiosk.current.ids.keypad
    for key in [*pin, "OK"]:
        kiosk.tap(keypad.button(key))
    kiosk.settle()


def sign_in(kiosk: HeadlessKiosk, employee_id: str, pin: str) -> None:
    open_roster(kiosk)
    pick(kiosk, employee_id)
    type_pin(kiosk, pin)


def read_badge(kiosk: HeadlessKiosk, typed: str) -> None:
    """What a USB badge reader does: the staff number as text input, then the Enter key."""
    from kivy.core.window import Window

    for char in typed:
        Window.dispatch("on_textinput", char)
    Window.dispatch("on_key_down", 13, 40, None, [])
    kiosk.frames(1)


def notice(kiosk: HeadlessKiosk) -> str:
    """The PIN screen's notice as one "Arabic  ·  English" line (the screen stacks the two)."""
    return kiosk.current.ids.notice.raw.replace("\n", "  ·  ")


# ----- signing in -------------------------------------------------------------------------------


def test_a_name_and_the_right_pin_sign_in_and_the_rating_screen_names_the_employee(desk):
    kiosk = desk()
    assert kiosk.screen == "closed" and kiosk.core.employee_id is None
    open_roster(kiosk)
    names = kiosk.current.ids.names.children
    assert len(names) == 12  # a page of large names; the rest on the next page
    assert all(b.height >= 60 and b.width >= 200 for b in names)  # big enough for a finger
    pick(kiosk, "E1042")
    assert kiosk.current.ids.name_ar.raw == "سارة العتيبي" and kiosk.current.ids.name_en.raw == "Sara Alotaibi"
    type_pin(kiosk, SARA_PIN)
    assert kiosk.core.employee_id == "E1042" and kiosk.screen == "rating"
    to_faces(kiosk)
    assert kiosk.current.ids.serving.raw == "تقيّم خدمة: سارة العتيبي"
    kiosk.tap(kiosk.current.ids.lang_button)
    assert kiosk.current.ids.serving.raw == "You are rating the service of Sara Alotaibi"
    tap_face(kiosk, 5)
    assert [(r.score, r.employee_id) for r in stored(kiosk)] == [(5, "E1042")]


def test_the_pin_is_checked_off_the_main_thread_while_the_screen_says_checking(desk):
    kiosk = desk()
    jobs = []
    kiosk.root.signin.schedule = jobs.append  # hold the answer instead of handing it to Kivy's clock
    open_roster(kiosk)
    pick(kiosk, "E2001")
    for key in [*MOHAMMED_PIN, "OK"]:
        kiosk.tap(kiosk.current.ids.keypad.button(key))
    assert kiosk.root.state.checking and notice(kiosk) == STAFF["checking"]
    assert kiosk.current.ids.keypad.disabled and kiosk.current.ids.back.disabled
    kiosk.advance(T.pin_idle_s + 5)  # a slow check does not time the screen out
    import time

    deadline = time.monotonic() + 10
    while not jobs and time.monotonic() < deadline:
        time.sleep(0.005)
    [answer] = jobs
    answer()  # as Kivy's clock would, on the main thread
    kiosk.frames(1)
    assert kiosk.core.employee_id == "E2001" and kiosk.screen == "rating"


def test_a_badge_read_then_enter_asks_that_employees_pin(desk):
    kiosk = desk()
    read_badge(kiosk, "E2001")  # on the closed screen, no button touched
    assert kiosk.screen == "employee_pin" and kiosk.current.ids.name_en.raw == "Mohammed Alqahtani"
    from kivy.core.window import Window

    for char in MOHAMMED_PIN:  # a keyboard's digits work on the PIN screen too
        Window.dispatch("on_textinput", char)
    Window.dispatch("on_key_down", 13, 40, None, [])
    kiosk.settle()
    assert kiosk.core.employee_id == "E2001" and kiosk.screen == "rating"


def test_unknown_badge_and_a_pin_not_set_yet_say_so_in_both_languages(desk):
    kiosk = desk()
    read_badge(kiosk, "E9999")
    assert kiosk.screen == "signin"
    assert kiosk.current.ids.hint.raw == STAFF["unknown_id"]
    assert "not on this site's list" in STAFF["unknown_id"] and "غير موجود" in STAFF["unknown_id"]
    pick(kiosk, "E3003")
    assert kiosk.screen == "signin"
    assert (
        kiosk.current.ids.hint.raw
        == STAFF["pin_not_set"]
        == "عيّن رمزك من الموقع أولا  ·  Set your PIN on the web first"
    )
    assert kiosk.core.employee_id is None


def test_a_pin_withdrawn_after_a_lost_tablet_says_to_set_a_new_one_in_both_languages(desk):
    withdrawn = StaffMember(employee_id="E3004", name_ar="هند العمري", name_en="Hind Alomari", pin_withdrawn=True)
    kiosk = desk(config=ROSTER_DESK.model_copy(update={"staff": [*STAFF_LIST[:2], withdrawn]}))
    open_roster(kiosk)
    pick(kiosk, "E3004")
    assert kiosk.screen == "signin" and kiosk.core.employee_id is None  # no PIN screen: there is no PIN to check
    hint = kiosk.current.ids.hint.raw
    assert hint == STAFF["pin_withdrawn"]
    assert "New PIN needed: set it on My page or ask a supervisor" in hint
    assert "رمز جديد" in hint and "صفحتي" in hint and "المشرف" in hint
    shot(kiosk, "pin-withdrawn-bilingual")


def test_a_wrong_pin_says_so_and_signs_nobody_in(desk):
    kiosk = desk()
    open_roster(kiosk)
    pick(kiosk, "E1042")
    type_pin(kiosk, "0000")
    assert kiosk.screen == "employee_pin" and notice(kiosk) == STAFF["employee_pin_wrong"]
    assert kiosk.core.employee_id is None
    type_pin(kiosk, SARA_PIN)
    assert kiosk.core.employee_id == "E1042"


def test_five_wrong_pins_lock_that_employee_only_and_the_lock_survives_a_restart(desk):
    kiosk = desk()
    open_roster(kiosk)
    pick(kiosk, "E1042")
    for _ in range(T.employee_max_attempts):
        type_pin(kiosk, "0000")
    assert notice(kiosk) == locked_for(5)
    assert kiosk.current.ids.keypad.disabled
    assert kiosk.core.outbox.get_setting(setting_key("E1042")) is not None
    kiosk.tap(kiosk.current.ids.back)
    sign_in(kiosk, "E2001", MOHAMMED_PIN)  # a colleague is not affected
    assert kiosk.core.employee_id == "E2001"

    kiosk.close()
    kiosk.core.stop()
    again = desk()  # the same data directory: a restart of the kiosk
    read_badge(again, "E1042")
    assert again.screen == "employee_pin" and notice(again) == locked_for(5)
    again.advance(4 * 60)
    read_badge(again, "E1042")
    assert notice(again) == locked_for(1)
    again.advance(60)
    read_badge(again, "E1042")
    type_pin(again, SARA_PIN)  # five minutes on: Sara may sign in
    assert again.core.employee_id == "E1042"
    assert again.core.outbox.get_setting(setting_key("E1042")) is None  # a success forgets the failures


def test_sixty_names_page_by_page(desk):
    many = [member(f"E{i:03}", f"موظف رقم {i}", f"Employee {i:02}", "2580") for i in range(60)]
    kiosk = desk(config=ROSTER_DESK.model_copy(update={"staff": many}))
    open_roster(kiosk)
    screen = kiosk.current
    assert screen.ids.page.text == "1 / 5" and screen.ids.previous.disabled
    pick(kiosk, "E059")  # four taps on "Next", then the name
    assert kiosk.screen == "employee_pin" and kiosk.current.ids.name_en.raw == "Employee 59"
    type_pin(kiosk, "2580")
    assert kiosk.core.employee_id == "E059"


def test_a_site_without_a_roster_says_whom_to_ask(desk):
    kiosk = desk(config=DESK)
    open_roster(kiosk)
    assert kiosk.current.ids.names.children == []
    assert kiosk.current.ids.hint.raw == STAFF["no_roster"]
    read_badge(kiosk, "E1042")
    assert kiosk.current.ids.hint.raw == STAFF["unknown_id"] and kiosk.core.employee_id is None


# ----- signing out ------------------------------------------------------------------------------


def test_while_someone_is_signed_in_the_staff_key_on_the_faces_leads_to_a_pin(desk):
    kiosk = desk(employee="E1042")
    assert kiosk.screen == "rating"  # the open desk shows the faces, and the small key at the top left
    key = kiosk.root.ids.staff_key
    assert "Staff sign in" in key.raw and key.width < kiosk.current.ids.access_button.width  # small, labelled
    kiosk.tap(key)
    assert kiosk.screen == "signin"
    kiosk.tap(kiosk.current.name_button("E2001"))
    assert kiosk.screen == "employee_pin" and kiosk.current.ids.name_en.raw == "Mohammed Alqahtani"
    kiosk.tap(kiosk.current.ids.back)
    kiosk.tap(kiosk.current.ids.sign_out)  # or Sara's own sign-out, with her PIN
    assert kiosk.screen == "employee_pin" and kiosk.root.state.purpose == "sign_out"


def test_another_employee_signing_in_replaces_the_first(desk):
    kiosk = desk(employee="E1042")
    open_roster(kiosk)
    assert kiosk.current.ids.hint.raw == STAFF["now_serving"].format(ar="سارة العتيبي", en="Sara Alotaibi")
    pick(kiosk, "E2001")
    type_pin(kiosk, MOHAMMED_PIN)
    assert kiosk.core.employee_id == "E2001"  # the core signed Sara out first, cause "replaced"
    to_faces(kiosk)
    assert kiosk.current.ids.serving.raw == "تقيّم خدمة: محمد القحطاني"


def test_sign_out_from_the_roster_takes_the_employees_own_pin_or_the_desks(desk):
    kiosk = desk(employee="E1042")
    open_roster(kiosk)
    kiosk.tap(kiosk.current.ids.sign_out)
    assert kiosk.screen == "employee_pin" and kiosk.current.ids.title.raw == stacked(STAFF["sign_out_pin_title"])
    type_pin(kiosk, MOHAMMED_PIN)  # a colleague's PIN does not sign Sara out
    assert kiosk.core.employee_id == "E1042" and notice(kiosk) == STAFF["employee_pin_wrong"]
    type_pin(kiosk, SARA_PIN)
    assert kiosk.core.employee_id is None and kiosk.screen == "closed"

    sign_in(kiosk, "E2001", MOHAMMED_PIN)
    open_roster(kiosk)
    kiosk.tap(kiosk.current.ids.sign_out)
    type_pin(kiosk, PIN)  # the desk's PIN (a supervisor, a forgotten PIN)
    assert kiosk.core.employee_id is None and kiosk.screen == "closed"


def test_idle_sign_out_after_the_configured_minutes_without_a_rating(desk):
    kiosk = desk()
    sign_in(kiosk, "E1042", SARA_PIN)
    kiosk.advance(20 * 60)
    to_faces(kiosk)
    tap_face(kiosk, 4)  # a rating: the idle clock starts again
    kiosk.advance(T.thanks_s)
    kiosk.advance(29 * 60)
    assert kiosk.core.employee_id == "E1042" and kiosk.screen == "rating"
    kiosk.advance(60)
    assert kiosk.core.employee_id is None and kiosk.screen == "closed"
    assert [(r.score, r.employee_id) for r in stored(kiosk)] == [(4, "E1042")]


def test_closing_time_signs_out_but_waits_for_a_visitor_rating(desk):
    kiosk = desk(config=ROSTER_DESK.model_copy(update={"sign_out_idle_min": 0}))
    sign_in(kiosk, "E1042", SARA_PIN)
    local = kiosk.clock.local()
    assert (local.hour, local.minute) == (12, 16)  # the tablet's local time (Riyadh) in these tests
    kiosk.advance((16 * 60 - (12 * 60 + 16)) * 60 - 50)  # 15:59:50
    to_faces(kiosk)
    tap_face(kiosk, 1)
    kiosk.advance(15)  # 16:00:05, while the visitor picks reasons
    assert kiosk.screen == "followup" and kiosk.core.employee_id == "E1042"
    send_reasons(kiosk)
    assert kiosk.core.employee_id == "E1042"  # the thank-you first
    kiosk.advance(T.thanks_s)
    assert kiosk.core.employee_id is None and kiosk.screen == "closed"
    assert [(r.score, r.employee_id) for r in stored(kiosk)] == [(1, "E1042")]


def test_an_invite_for_a_named_employee_names_them(desk):
    kiosk = desk(employee="E1042", config=ROSTER_DESK.model_copy(update={"mode": "invited"}))
    kiosk.core.deliver_invite(Invite(visit_id="A-117", employee_id="E2001", window_s=60))
    kiosk.frames(1)
    assert kiosk.current.ids.serving.raw == "تقيّم خدمة: محمد القحطاني"


def test_a_restarted_kiosk_starts_with_nobody_signed_in_when_the_core_says_so(desk, tmp_path):
    kiosk = desk()
    sign_in(kiosk, "E1042", SARA_PIN)
    kiosk.close()
    kiosk.core.stop()
    core = DeviceCore(DeviceSettings(device_id=DEVICE, data_dir=tmp_path / "desk"))  # signs out: "restart"
    assert [(p.event, p.cause) for p in core.outbox.pending_presence()][-1] == ("sign_out", "restart")
    again = HeadlessKiosk(core, pin_hash=PIN_HASH)
    try:
        assert again.screen == "closed" and core.employee_id is None
        again.advance(60)
        assert again.screen == "closed"
    finally:
        again.close()
        core.stop()


# ----- screenshots ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_screenshots_of_the_roster_and_the_named_rating(desk, lang):
    kiosk = desk(config=ROSTER_DESK.model_copy(update={"default_lang": lang}), data=f"shots-{lang}")
    open_roster(kiosk)
    shot(kiosk, f"signin-{lang}")
    pick(kiosk, "E1042")
    kiosk.tap(kiosk.current.ids.keypad.button("1"))
    if lang == "ar":
        shot(kiosk, "employee-pin-bilingual")
    kiosk.tap(kiosk.current.ids.keypad.button("⌫"))
    type_pin(kiosk, SARA_PIN)
    to_faces(kiosk)
    assert kiosk.current.ids.question.raw == text("question", lang)
    shot(kiosk, f"rating-named-{lang}")
