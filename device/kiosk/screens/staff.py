from __future__ import annotations

from device.kiosk.screens.base import KioskScreen
from device.kiosk.texts import STAFF
from device.kiosk.translations import own_name

# The desk's default language named for the staff, in Arabic and in English.
LANGUAGE_NAMES = {
    "ar": ("العربية", "Arabic"),
    "en": ("الإنجليزية", "English"),
    "ur": ("الأردية", "Urdu"),
    "hi": ("الهندية", "Hindi"),
    "bn": ("البنغالية", "Bengali"),
    "tl": ("التاغالوغية", "Tagalog"),
    "id": ("الإندونيسية", "Indonesian"),
}


class StaffScreen(KioskScreen):
    """IT's desk settings behind the desk's PIN: link, outbox, mode, default language, sign-out, service done.

    Employees sign themselves in with their own PIN on the roster (``signin``), not here.
    """

    def show(self, root) -> None:
        ids = self.ids
        core = root.core
        employee = core.employee_id
        member = core.config.staff_member(employee) if employee else None
        who = f"{employee} {member.name_en}" if member else (employee or "-")
        depth = root.outbox_depth
        link = "online  ·  متصل" if root.connected else "offline  ·  غير متصل"
        default = root.state.default_lang
        lang_name = LANGUAGE_NAMES.get(default, (own_name(default), own_name(default)))
        ids.status.raw = "\n".join(
            [
                # "English label: value  ·  Arabic label": a left-to-right line whose value cannot wander.
                f"Desk: {root.desk_name('en')}  ·  {root.desk_name('ar')}",
                f"Employee: {who}  ·  الموظف",
                f"Link: {link}",
                f"Outbox: {depth}  ·  في الانتظار",
                f"Mode: {core.config.mode}  ·  الوضع",
                f"Staff list: {len(core.config.staff)}  ·  قائمة الموظفين",
            ]
        )
        ids.title.raw = STAFF["staff_title"]
        ids.note.raw = STAFF["staff_note"]
        ids.sign_out.disabled = employee is None
        ids.sign_out.raw = STAFF["sign_out"]
        ids.default_lang.raw = f"اللغة الافتراضية: {lang_name[0]}\nDefault language: {lang_name[1]}"
        ids.service_done.raw = STAFF["service_done"]
        ids.service_done.disabled = employee is None
        ids.close.raw = STAFF["close"]
