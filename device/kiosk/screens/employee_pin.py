from __future__ import annotations

from device.kiosk.screens.pin_entry import PinEntryScreen
from device.kiosk.texts import STAFF, locked_for, stacked


class EmployeePinScreen(PinEntryScreen):
    """An employee's own PIN, under their name; checked off the main thread ("Checking..." meanwhile)."""

    def show(self, root) -> None:
        ids = self.ids
        state = root.state
        member = root.core.config.staff_member(state.chosen) if state.chosen else None
        ids.name_ar.raw = member.name_ar if member else (state.chosen or "")
        ids.name_en.raw = member.name_en if member else ""
        # Half the screen is too narrow for "Arabic  ·  English" on one line: one language a line.
        ids.title.raw = stacked(STAFF["sign_out_pin_title" if state.purpose == "sign_out" else "employee_pin_title"])
        locked = state.lockout.locked(root.wall().timestamp())
        ids.keypad.disabled = state.checking or locked
        ids.back.disabled = state.checking
        ids.dots.text = self.dots()
        if state.notice == "employee_locked":
            ids.notice.raw = stacked(locked_for(state.lockout.minutes_left(root.wall().timestamp())))
        elif state.notice in ("checking", "employee_pin_wrong"):
            ids.notice.raw = stacked(STAFF[state.notice])
        else:
            ids.notice.raw = ""
        ids.back.raw = STAFF["back"]

    def submit(self, pin: str) -> None:
        self.manager.kiosk.signin.submit_pin(pin)
