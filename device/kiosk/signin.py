"""The root's half of an employee's own sign-in: the roster it shows, badges, the PIN check, lockouts.

The steps themselves are pure (``device.kiosk.signin_flow``); this module feeds
them the facts (the member from the config's ``staff``, their lockout from the
outbox's settings, the wall clock) and does the one slow thing: the PIN check.
An employee's hash has 600,000 PBKDF2 iterations (PROTOCOL 1.1), about a second
on a Raspberry Pi, so ``verify_pin`` runs on a worker thread and its answer
comes back through ``schedule`` (Kivy's ``Clock.schedule_once``, passed in by the
root), while the screen says "Checking...". No Kivy is imported here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from device.kiosk import signin_flow
from device.kiosk.lockout import Lockout, setting_key
from device.kiosk.roster import badge_id, page_count, page_of, sorted_roster
from shared.contract import StaffMember
from shared.pins import verify_pin

if TYPE_CHECKING:
    from device.kiosk.root import KioskRoot

log = logging.getLogger("taqyeem.kiosk")

Schedule = Callable[[Callable[[], None]], None]  # run this on the UI thread, soon


class EmployeeSignIn:
    def __init__(self, root: KioskRoot, schedule: Schedule) -> None:
        self.root = root
        self.schedule = schedule
        self.checks = 0  # PIN checks started (tests and the bench read it)
        self.closed = False  # the kiosk stopped: a late answer is dropped

    # ----- what the screens show ----------------------------------------------------------

    def roster(self) -> list[StaffMember]:
        return sorted_roster(self.root.core.config.staff, self.root.state.default_lang)

    def pages(self) -> int:
        return page_count(len(self.root.core.config.staff))

    def page(self) -> list[StaffMember]:
        return page_of(self.roster(), self.root.state.roster_page)

    # ----- what the screens and the keyboard call -------------------------------------------

    def open(self) -> None:
        root = self.root
        root.apply(signin_flow.open_roster(root.state, root.now(), root.timings))

    def turn(self, delta: int) -> None:
        root = self.root
        root.apply(signin_flow.turn_page(root.state, delta, self.pages(), root.now(), root.timings))

    def choose(self, employee_id: str) -> None:
        """A name tapped, or a staff number read from a badge."""
        root = self.root
        member = root.core.config.staff_member(employee_id)
        lockout = self.lockout_of(member.employee_id) if member else Lockout()
        root.apply(signin_flow.choose(root.state, employee_id, member, lockout, root.now(), self._wall(), root.timings))

    def badge(self, typed: str) -> None:
        employee_id = badge_id(typed)
        if employee_id:
            log.info("badge read: %s", employee_id)
            self.choose(employee_id)

    def ask_sign_out(self) -> None:
        root = self.root
        employee = root.core.employee_id
        lockout = self.lockout_of(employee) if employee else Lockout()
        root.apply(signin_flow.ask_sign_out(root.state, employee, lockout, root.now(), self._wall(), root.timings))

    def back(self) -> None:
        root = self.root
        root.apply(signin_flow.back(root.state, root.now(), root.core.employee_id, root.timings))

    def submit_pin(self, pin: str) -> None:
        root = self.root
        outcome = signin_flow.pin_submitted(root.state, root.now(), self._wall(), root.timings)
        root.apply(outcome)
        employee_id = outcome.state.chosen
        if outcome.verify_pin and employee_id is not None:
            self._verify(pin, employee_id, self._hashes(employee_id, outcome.state.purpose))

    # ----- lockouts, kept in the outbox's settings ------------------------------------------

    def lockout_of(self, employee_id: str) -> Lockout:
        return Lockout.from_setting(self.root.core.outbox.get_setting(setting_key(employee_id)))

    def remember(self, employee_id: str, lockout: Lockout) -> None:
        self.root.core.outbox.set_setting(setting_key(employee_id), lockout.to_setting())

    # ----- the check, off the main thread ----------------------------------------------------

    def _hashes(self, employee_id: str, purpose: str) -> list[str]:
        member = self.root.core.config.staff_member(employee_id)
        hashes = [member.pin_hash] if member and member.pin_hash else []
        if purpose == "sign_out" and self.root.pin_hash:
            hashes.append(self.root.pin_hash)  # the desk's PIN signs anyone out (a forgotten PIN, a lockout)
        return hashes

    def _verify(self, pin: str, employee_id: str, hashes: list[str]) -> None:
        self.checks += 1

        def work() -> None:
            try:
                correct = any(verify_pin(pin, stored) for stored in hashes)
            except Exception:
                log.exception("the PIN check of %s failed", employee_id)
                correct = False
            self.schedule(lambda: self._checked(employee_id, correct))

        threading.Thread(target=work, name="pin-check", daemon=True).start()

    def _checked(self, employee_id: str, correct: bool) -> None:
        if self.closed:
            return
        root = self.root
        log.info("PIN of %s %s", employee_id, "accepted" if correct else "refused")
        root.apply(signin_flow.pin_checked(root.state, employee_id, correct, root.now(), self._wall(), root.timings))

    def _wall(self) -> float:
        return self.root.wall().timestamp()
