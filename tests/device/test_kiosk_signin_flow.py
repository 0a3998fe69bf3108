"""An employee's own sign-in and sign-out at the desk (device/kiosk/signin_flow.py): the roster, the PIN, its check."""

from __future__ import annotations

from device.kiosk import flow, signin_flow
from device.kiosk.lockout import Lockout
from shared.contract import StaffMember
from tests.support.kiosk_desk import T, config

SARA = StaffMember(employee_id="E1042", name_ar="سارة العتيبي", name_en="Sara Alotaibi", pin_hash="x")


NEW = StaffMember(employee_id="E2001", name_ar="محمد القحطاني", name_en="Mohammed Alqahtani")


def roster(now: float = 0.0, employee: str | None = None) -> flow.KioskState:
    return signin_flow.open_roster(flow.start("ar", now, employee), now, T).state


def test_a_name_then_the_right_pin_signs_in_and_rests():
    state = signin_flow.choose(roster(), "E1042", SARA, Lockout(), 1, 0, T).state
    assert (state.screen, state.chosen, state.purpose) == ("employee_pin", "E1042", "sign_in")
    asked = signin_flow.pin_submitted(state, 2, 0, T)
    assert asked.verify_pin and asked.state.checking and asked.state.notice == "checking"
    assert signin_flow.pin_submitted(asked.state, 2, 0, T).refused == "already checking"
    assert flow.tick(asked.state, 2 + T.pin_idle_s + 1, config(), None, T).state.screen == "employee_pin"
    done = signin_flow.pin_checked(asked.state, "E1042", True, 3, 0, T)
    assert (done.sign_in, done.state.screen, done.state.chosen) == ("E1042", "rating", None)
    assert done.remember == ("E1042", Lockout())


def test_unknown_id_and_pin_not_set_stay_on_the_roster_with_a_notice():
    unknown = signin_flow.choose(roster(), "X9", None, Lockout(), 1, 0, T)
    assert (unknown.state.screen, unknown.state.notice) == ("signin", "unknown_id")
    unset = signin_flow.choose(roster(), "E2001", NEW, Lockout(), 1, 0, T)
    assert (unset.state.screen, unset.state.notice) == ("signin", "pin_not_set")
    badge_at_rest = signin_flow.choose(flow.start("ar", 0, None), "E1042", SARA, Lockout(), 1, 0, T)
    assert badge_at_rest.state.screen == "employee_pin"  # a badge read on the closed screen
    badge_on_faces = signin_flow.choose(flow.start("ar", 0, "E1"), "E1042", SARA, Lockout(), 1, 0, T)
    assert badge_on_faces.state.screen == "employee_pin"  # and on the faces of an open desk


def test_five_wrong_pins_lock_that_employee_for_five_minutes_then_they_may_try_again():
    state = signin_flow.choose(roster(), "E1042", SARA, Lockout(), 1, 0, T).state
    for attempt in range(1, 6):
        state = signin_flow.pin_submitted(state, 1, 100.0, T).state
        out = signin_flow.pin_checked(state, "E1042", False, 1, 100.0, T)
        state = out.state
        assert out.remember == ("E1042", state.lockout)
        assert state.notice == ("employee_locked" if attempt == 5 else "employee_pin_wrong")
    assert state.lockout == Lockout(failures=0, until=100.0 + T.employee_lockout_s)
    assert signin_flow.pin_submitted(state, 2, 399.0, T).refused == "employee locked out"
    assert signin_flow.pin_submitted(state, 2, 400.0, T).state.checking  # five minutes later
    again = signin_flow.choose(roster(), "E1042", SARA, state.lockout, 1, 200.0, T).state
    assert again.notice == "employee_locked"


def test_sign_out_asks_the_signed_in_employees_pin():
    state = signin_flow.ask_sign_out(roster(employee="E1042"), "E1042", Lockout(), 1, 0, T).state
    assert (state.screen, state.purpose) == ("employee_pin", "sign_out")
    state = signin_flow.pin_submitted(state, 1, 0, T).state
    out = signin_flow.pin_checked(state, "E1042", True, 2, 0, T)
    assert (out.sign_out, out.sign_in, out.state.screen) == ("manual", None, "closed")
    assert signin_flow.ask_sign_out(roster(), None, Lockout(), 1, 0, T).refused == "nobody to sign out"


def test_a_stale_pin_answer_changes_nothing_and_back_waits_for_the_check():
    state = signin_flow.choose(roster(), "E1042", SARA, Lockout(), 1, 0, T).state
    checking = signin_flow.pin_submitted(state, 1, 0, T).state
    assert signin_flow.back(checking, 1, None, T).refused == "checking a PIN"
    assert signin_flow.pin_checked(checking, "E2001", True, 1, 0, T).sign_in is None
    assert signin_flow.back(state, 1, None, T).state.screen == "signin"
    assert signin_flow.back(roster(), 1, None, T).state.screen == "closed"


def test_the_roster_s_pages_turn_and_stop_at_the_last():
    state = signin_flow.turn_page(roster(), 1, 5, 1, T).state
    assert signin_flow.turn_page(state, 9, 5, 1, T).state.roster_page == 4
