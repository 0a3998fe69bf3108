"""IT's way into the desk's settings, a pure step of the kiosk's state machine (``device.kiosk.flow``).

From the roster's "Desk settings": the desk's own PIN (not an employee's, which
``device.kiosk.signin_flow`` checks), its wrong tries and lock-out, then the
``staff`` screen. No Kivy and no I/O, as in ``flow``.
"""

from __future__ import annotations

from dataclasses import replace

from device.kiosk.flow import KioskState, Outcome, Timings


def open_desk_pin(state: KioskState, now: float, timings: Timings) -> Outcome:
    """IT's way in, from the roster's "Desk settings": the desk's own PIN."""
    if state.screen != "signin":
        return Outcome(state, refused="desk settings only from the sign-in screen")
    notice = "pin_locked" if now < state.pin_locked_until else None
    return Outcome(replace(state, screen="pin", deadline=now + timings.pin_idle_s, notice=notice))


def pin_entered(state: KioskState, correct: bool, now: float, timings: Timings) -> Outcome:
    if state.screen != "pin":
        return Outcome(state, refused="no PIN asked")
    if now < state.pin_locked_until:
        return Outcome(replace(state, notice="pin_locked"), refused="PIN locked out")
    if correct:
        return Outcome(replace(state, screen="staff", pin_failures=0, notice=None, deadline=now + timings.staff_idle_s))
    failures = state.pin_failures + 1
    if failures >= timings.pin_max_attempts:
        locked = replace(state, pin_failures=0, pin_locked_until=now + timings.pin_lockout_s, notice="pin_locked")
        return Outcome(locked, refused="wrong PIN; locked out")
    return Outcome(replace(state, pin_failures=failures, notice="pin_wrong"), refused="wrong PIN")
