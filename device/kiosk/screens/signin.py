from __future__ import annotations

from device.kiosk.screens.base import KioskScreen
from device.kiosk.texts import STAFF
from device.kiosk.widgets.controls import TapButton

NOTICES = ("unknown_id", "pin_not_set", "pin_withdrawn")


class SigninScreen(KioskScreen):
    """The site's roster, a page of large names at a time (Arabic above English); a badge read works too.

    The grid (signin.kv) holds ``device.kiosk.roster.PER_PAGE`` names: 3 columns x 4 rows.
    """

    _built_for: tuple = ()

    def show(self, root) -> None:
        ids = self.ids
        signin = root.signin
        members = signin.page()
        pages = signin.pages()
        state = root.state
        key = (tuple(members), state.default_lang)
        if key != self._built_for:  # rebuild only when the page, the roster or the order changes
            self._built_for = key
            grid = ids.names
            grid.clear_widgets()
            grid.orientation = "rl-tb" if state.default_lang == "ar" else "lr-tb"
            for member in members:
                name = f"{member.name_ar}\n{member.name_en}"
                button = TapButton(raw=name, font_size="17sp", line_height=0.85, fit_floor=11)
                button.employee_id = member.employee_id
                button.background = (0.16, 0.38, 0.58, 1)
                button.bind(on_tap=lambda b: root.signin.choose(b.employee_id))
                grid.add_widget(button)
        ids.title.raw = STAFF["staff_sign_in"]
        ids.hint.raw, ids.hint.color = self._hint(root)
        page = min(state.roster_page, pages - 1)  # the roster may have shrunk since the page was turned
        ids.page.text = f"{page + 1} / {pages}" if pages > 1 else ""
        ids.previous.raw, ids.next.raw = STAFF["previous"], STAFF["next"]
        ids.previous.disabled = page == 0
        ids.next.disabled = page >= pages - 1
        ids.previous.opacity = ids.next.opacity = 1 if pages > 1 else 0
        employee = root.core.employee_id
        ids.sign_out.raw = STAFF["sign_out"]
        ids.sign_out.disabled = employee is None
        ids.sign_out.opacity = 0 if employee is None else 1
        ids.desk_settings.raw = STAFF["desk_settings"]
        ids.back.raw = STAFF["back"]

    @staticmethod
    def _hint(root) -> tuple[str, tuple]:
        notice = root.state.notice
        if notice in NOTICES:
            return STAFF[notice], (1, 0.75, 0.45, 1)
        if not root.core.config.staff:
            return STAFF["no_roster"], (1, 0.75, 0.45, 1)
        employee = root.core.employee_id
        if employee is not None:
            member = root.core.config.staff_member(employee)
            ar, en = (member.name_ar, member.name_en) if member else (employee, employee)
            return STAFF["now_serving"].format(ar=ar, en=en), (0.70, 0.93, 0.80, 1)
        return STAFF["signin_hint"], (0.88, 0.90, 0.92, 1)

    def name_button(self, employee_id: str) -> TapButton:
        return next(b for b in self.ids.names.children if b.employee_id == employee_id)
