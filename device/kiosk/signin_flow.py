"""An employee's own sign-in and sign-out at the desk, as steps of the kiosk's state machine. Pure.

The roster (screen ``signin``: the closed screen's button, or the small "Staff
sign in" key of the open desk's screens) -> a name tapped, or a staff number typed by a badge reader and Enter ->
``employee_pin`` -> their own PIN, checked off the main thread against their
``pin_hash`` -> signed in (cause ``pin``) and the desk at rest. Signing out is
the same PIN screen for whoever is signed in (their PIN, or the desk's PIN).

Like ``device.kiosk.flow``, each step takes the state and the facts it needs and
returns an ``Outcome``; the Kivy root does what it asks (``sign_in``,
``sign_out``, ``verify_pin``, ``remember``) and draws the new state. The PIN
itself never enters the state.
"""

from __future__ import annotations

from dataclasses import replace

from device.kiosk.flow import STAFF_SCREENS, KioskState, Outcome, Purpose, Timings, rest, show_roster
from device.kiosk.lockout import Lockout
from shared.contract import StaffMember

BADGE_SCREENS = ("closed", "idle", "rating", "signin")  # where a badge read (staff number + Enter) is taken


def open_roster(state: KioskState, now: float, timings: Timings) -> Outcome:
    """The closed screen's "Staff sign in" button."""
    if state.screen not in BADGE_SCREENS:
        return Outcome(state, refused=f"no sign-in from {state.screen}")
    return Outcome(show_roster(replace(state, roster_page=0), now, timings))


def turn_page(state: KioskState, delta: int, pages: int, now: float, timings: Timings) -> Outcome:
    if state.screen != "signin":
        return Outcome(state, refused="roster not shown")
    page = min(max(state.roster_page + delta, 0), max(pages - 1, 0))
    return Outcome(replace(state, roster_page=page, notice=None, deadline=now + timings.signin_idle_s))


def choose(
    state: KioskState,
    employee_id: str,
    member: StaffMember | None,
    lockout: Lockout,
    now: float,
    wall: float,
    timings: Timings,
) -> Outcome:
    """A name tapped on the roster, or a badge read: ask that employee's PIN, or say why not."""
    if state.screen not in BADGE_SCREENS or state.checking:
        return Outcome(state, refused=f"no sign-in from {state.screen}")
    if member is None:
        refused = f"{employee_id!r} not on the roster"
        return Outcome(show_roster(state, now, timings, notice="unknown_id"), refused=refused)
    if member.pin_hash is None:  # never set, or withdrawn after a lost tablet (PROTOCOL 1.2): a new one is needed
        notice = "pin_withdrawn" if member.pin_withdrawn else "pin_not_set"
        return Outcome(show_roster(state, now, timings, notice=notice), refused="no PIN set yet")
    return Outcome(_ask_pin(state, member.employee_id, "sign_in", lockout, now, wall, timings))


def ask_sign_out(
    state: KioskState, employee_id: str | None, lockout: Lockout, now: float, wall: float, timings: Timings
) -> Outcome:
    """The roster's "Sign out": the signed-in employee's PIN (or the desk's) on the keypad."""
    if state.screen != "signin" or employee_id is None:
        return Outcome(state, refused="nobody to sign out")
    return Outcome(_ask_pin(state, employee_id, "sign_out", lockout, now, wall, timings))


def _ask_pin(
    state: KioskState, employee_id: str, purpose: Purpose, lockout: Lockout, now: float, wall: float, timings: Timings
) -> KioskState:
    return replace(
        state,
        screen="employee_pin",
        chosen=employee_id,
        purpose=purpose,
        lockout=lockout,
        checking=False,
        notice="employee_locked" if lockout.locked(wall) else None,
        deadline=now + timings.pin_idle_s,
    )


def pin_submitted(state: KioskState, now: float, wall: float, timings: Timings) -> Outcome:
    """OK pressed: check the PIN (the root does it off the main thread) unless that employee is locked."""
    if state.screen != "employee_pin" or state.chosen is None:
        return Outcome(state, refused="no employee PIN asked")
    if state.checking:
        return Outcome(state, refused="already checking")
    if state.lockout.locked(wall):
        return Outcome(replace(state, notice="employee_locked"), refused="employee locked out")
    checking = replace(state, checking=True, notice="checking", deadline=now + timings.pin_idle_s)
    return Outcome(checking, verify_pin=True)


def pin_checked(
    state: KioskState, employee_id: str, correct: bool, now: float, wall: float, timings: Timings
) -> Outcome:
    """The check's answer: sign in (or out) and rest, or count one more wrong PIN for that employee only."""
    if not state.checking or state.chosen != employee_id or state.screen != "employee_pin":
        return Outcome(state, refused="a PIN check nobody waits for")
    if correct:
        signing_in = state.purpose == "sign_in"
        done = rest(state, now, employee_id if signing_in else None)
        remember = (employee_id, Lockout())
        if signing_in:
            return Outcome(done, sign_in=employee_id, remember=remember)
        return Outcome(done, sign_out="manual", remember=remember)
    lockout = state.lockout.after_failure(wall, timings.employee_max_attempts, timings.employee_lockout_s)
    notice = "employee_locked" if lockout.locked(wall) else "employee_pin_wrong"
    wrong = replace(state, checking=False, lockout=lockout, notice=notice, deadline=now + timings.pin_idle_s)
    return Outcome(wrong, refused="wrong employee PIN", remember=(employee_id, lockout))


def back(state: KioskState, now: float, employee_id: str | None, timings: Timings) -> Outcome:
    """Back from the employee's PIN to the roster, or from the roster to rest; not while a PIN is checked."""
    if state.checking:
        return Outcome(state, refused="checking a PIN")
    if state.screen == "employee_pin":
        return Outcome(show_roster(state, now, timings))
    if state.screen in STAFF_SCREENS:
        return Outcome(rest(state, now, employee_id))
    return Outcome(state, refused="nothing to go back from")
