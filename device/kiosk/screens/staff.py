from __future__ import annotations

from device.kiosk.screens.base import KioskScreen
from device.kiosk.texts import STAFF
from device.kiosk.widgets.keypad import DELETE, ENTER


class StaffScreen(KioskScreen):
    """Sign the attending employee in or out, see the link and outbox, set the default language."""

    entered = ""

    def show(self, root) -> None:
        ids = self.ids
        core = root.core
        employee = core.employee_id
        depth = root.outbox_depth
        link = "online  ·  متصل" if root.connected else "offline  ·  غير متصل"
        lang_name = {"ar": "Arabic  ·  العربية", "en": "English  ·  الإنجليزية"}[root.state.default_lang]
        ids.status.raw = "\n".join(
            [
                # "English label: value  ·  Arabic label": a left-to-right line whose value cannot wander.
                f"Desk: {root.desk_name('en')}  ·  {root.desk_name('ar')}",
                f"Employee: {employee or '-'}  ·  الموظف",
                f"Link: {link}",
                f"Outbox: {depth}  ·  في الانتظار",
                f"Mode: {core.config.mode}  ·  الوضع",
            ]
        )
        ids.title.raw = STAFF["staff_title"]
        ids.entry.text = self.entered or "…"
        ids.sign_out.disabled = employee is None
        ids.sign_out.raw = STAFF["sign_out"]
        ids.sign_in.raw = STAFF["sign_in"]
        ids.default_lang.raw = f"Language: {lang_name}"
        ids.service_done.raw = STAFF["service_done"]
        ids.service_done.disabled = employee is None
        ids.close.raw = STAFF["close"]

    def on_pre_enter(self, *_args) -> None:
        self.entered = ""

    def key(self, key: str) -> None:
        root = self.manager.kiosk
        if key == ENTER:
            self.sign_in()
            return
        if key == DELETE:
            self.entered = self.entered[:-1]
        elif len(self.entered) < 64:
            self.entered += key
        root.staff_activity()

    def type_text(self, chars: str) -> None:
        """Letters from a hardware keyboard or badge scanner (staff numbers like E1042)."""
        self.entered = (self.entered + "".join(c for c in chars if c.isalnum() or c in "-_"))[:64]
        self.manager.kiosk.staff_activity()

    def sign_in(self) -> None:
        employee, self.entered = self.entered, ""
        self.manager.kiosk.sign_in(employee)
