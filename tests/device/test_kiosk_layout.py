"""Every kiosk screen, in every shipped language and both text sizes, in a real Kivy window (SDL
offscreen, the 800x480 tablet): no text larger than its own box or out of the window (cut), and no
two texts crossing (``tests/support/kiosk_text_boxes.py`` measures the drawn texts' boxes).

The walk: the faces (naming a long-named employee), the reasons, the call back's question and its
keypad (with a wrong number's notice), both survey questions, the
thank-you, the faces again with the cool-down's notice, the language list, the invited desk's idle
screen; then the staff's screens (roster, an employee's PIN with its notice, the desk's PIN with its
notice, the desk settings) and the closed desk. Screenshots of the worst cases (Urdu and Arabic in
large text) go to docs/screenshots/ with TAQYEEM_SCREENSHOTS=1:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/python -m pytest tests/device/test_kiosk_layout.py
"""

from __future__ import annotations

import pytest

from device.kiosk import translations  # no Kivy: test_kiosk's prepare_kivy runs first
from shared.contract import DEFAULT_SURVEY
from tests.device import test_kiosk
from tests.device.test_kiosk import DESK, PIN, T, shot, tap_face
from tests.device.test_kiosk_signin import STAFF_LIST, member
from tests.support.kiosk_text_boxes import problems

make_kiosk = test_kiosk.make_kiosk  # the same fixture: a kiosk window on a real DeviceCore, no broker

SHIPPED = list(translations.MODULES)
LONG_NAME = member("E1042", "عبدالرحمن بن عبدالعزيز القحطاني", "Abdulrahman bin Abdulaziz Alqahtani", "1357")
WALKED = DESK.model_copy(
    update={
        "languages": SHIPPED,
        "staff": [LONG_NAME, *STAFF_LIST[1:]],
        "survey": DEFAULT_SURVEY.model_copy(update={"every_n": 1}),
    }
)
WORST = {("ur", True), ("ar", True)}  # shot and looked at: Nastaliq's tall lines, Arabic's tall metrics
SHOT_NAME = "layout-{where}-{lang}{size}"


class Walk:
    """Checks each screen the kiosk shows; collects every problem with where it was seen."""

    def __init__(self, kiosk, lang: str) -> None:
        self.kiosk, self.lang = kiosk, lang
        self.found: list[str] = []

    def check(self, where: str, large: bool = False) -> None:
        self.kiosk.frames(2)  # a rebuilt grid (reasons, answers) is laid out on the next frame
        overlay = self.kiosk.root.visitor.list if self.kiosk.root.visitor.list.parent else None
        found = problems(self.kiosk.root, overlay)
        self.found += [f"{self.lang} {'large' if large else 'normal'} {where}: {p}" for p in found]
        if (self.lang, large) in WORST or (self.lang in ("ur", "ar") and where == "idle"):
            shot(self.kiosk, SHOT_NAME.format(where=where, lang=self.lang, size="-large" if large else ""))

    def visitor(self, large: bool) -> None:
        """The visitor's screens: the faces, reasons, survey, thanks, the faces' notice and the language list."""
        kiosk = self.kiosk
        assert kiosk.screen == "rating"
        if large:
            kiosk.tap(kiosk.current.ids.access_button)
        self.check("rating", large)
        tap_face(kiosk, 1)
        assert kiosk.screen == "followup"
        kiosk.tap(kiosk.current.chip("waiting_time"))
        self.check("followup", large)
        kiosk.tap(kiosk.current.ids.send)
        assert kiosk.screen == "callback"
        self.check("callback", large)
        kiosk.tap(kiosk.current.ids.yes)
        for key in [*"0412345", "OK"]:  # a wrong number: its notice shows too
            kiosk.tap(kiosk.current.ids.keypad.button(key))
        assert kiosk.screen == "callback_number" and kiosk.current.ids.notice.raw
        self.check("callback_number", large)
        kiosk.tap(kiosk.current.ids.no)
        for code in ("yes", "company"):
            assert kiosk.screen == "survey"
            self.check(f"survey-{code}", large)
            kiosk.tap(kiosk.current.button(code))
            kiosk.frames(2)
        assert kiosk.screen == "thanks"
        self.check("thanks", large)
        kiosk.advance(T.thanks_s)
        if large:
            kiosk.tap(kiosk.current.ids.access_button)
        tap_face(kiosk, 5)  # refused: cooling down, the notice shows
        assert kiosk.current.ids.notice.raw == translations.text("cooldown", self.lang)
        self.check("rating-notice", large)
        kiosk.tap(kiosk.current.ids.lang_button)
        assert kiosk.root.visitor.list.parent is not None
        self.check("languages", large)
        kiosk.tap(kiosk.root.visitor.list.button(self.lang))
        kiosk.advance(T.rating_idle_s)  # the next visitor: back to rest

    def idle(self) -> None:
        """An invited desk's rest, "your rating opens when you are served" (normal size only: large text
        is a visitor's choice on the faces, and rest, where this screen shows, ends it)."""
        kiosk = self.kiosk
        kiosk.core.apply_config(WALKED.model_copy(update={"default_lang": self.lang, "mode": "invited"}))
        kiosk.frames(3)
        assert kiosk.screen == "idle" and not kiosk.root.state.large
        self.check("idle")
        kiosk.core.apply_config(WALKED.model_copy(update={"default_lang": self.lang}))
        kiosk.advance(T.rating_idle_s)
        assert kiosk.screen == "rating"

    def staff(self) -> None:
        """The staff's screens (Arabic and English, one size) and the closed desk in the desk's language."""
        kiosk = self.kiosk
        kiosk.tap(kiosk.root.ids.staff_key)
        self.check("signin")
        kiosk.tap(kiosk.current.name_button("E1042"))
        for key in [*"9999", "OK"]:
            kiosk.tap(kiosk.current.ids.keypad.button(key))
        kiosk.settle()
        assert kiosk.screen == "employee_pin"
        self.check("employee_pin")
        kiosk.tap(kiosk.current.ids.back)
        kiosk.tap(kiosk.current.ids.desk_settings)
        for key in [*"9999", "OK"]:
            kiosk.tap(kiosk.current.ids.keypad.button(key))
        self.check("pin")
        for key in [*PIN, "OK"]:
            kiosk.tap(kiosk.current.ids.keypad.button(key))
        assert kiosk.screen == "staff"
        self.check("staff")
        kiosk.tap(kiosk.current.ids.sign_out)
        kiosk.tap(kiosk.current.ids.close)
        assert kiosk.screen == "closed"
        self.check("closed")


@pytest.mark.parametrize("lang", SHIPPED)
def test_no_text_is_cut_or_crosses_another_on_any_screen(make_kiosk, lang):
    kiosk = make_kiosk(config=WALKED.model_copy(update={"default_lang": lang}), employee="E1042")
    walk = Walk(kiosk, lang)
    for large in (False, True):
        walk.visitor(large)
    walk.idle()
    walk.staff()
    assert not walk.found, "\n".join(walk.found)
