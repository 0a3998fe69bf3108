"""After a negative rating: "Would you like us to call you back about this?" and the number's keypad.

The steps are ``device.kiosk.callback_flow``'s; these screens only draw its state and hand it the visitor's
touches (through ``KioskRoot.apply``, which stores the rating when a step ends it). The number is drawn left
to right in every language, grouped as it is written (``callback_flow.shown``), in a plain label: no
right-to-left paragraph reorders its groups. The keypad is the staff's ``Keypad``, laid out like a phone in
every language, its OK key labelled Send in the visitor's language.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty

from device.kiosk import callback_flow
from device.kiosk.screens.base import KioskScreen
from device.kiosk.texts import text
from device.kiosk.translations import is_rtl
from device.kiosk.widgets.keypad import DELETE, ENTER


class CallbackScreen(KioskScreen):
    """The question, with "Yes, call me" and "No thanks" as two equal buttons (yes where reading starts)."""

    rtl = BooleanProperty(False)

    def show(self, root) -> None:
        lang = root.state.lang
        ids = self.ids
        self.rtl = is_rtl(lang)
        ids.title.raw = text("callback_title", lang)
        ids.yes.raw = text("callback_yes", lang)
        ids.no.raw = text("callback_no", lang)
        ids.lang_button.raw = root.language_button_text(lang)

    def yes(self) -> None:
        root = self.manager.kiosk
        root.apply(callback_flow.accept(root.state, root.now(), root.timings))

    def no(self) -> None:
        root = self.manager.kiosk
        root.apply(callback_flow.decline(root.state, root.now(), root.core.config, root.timings))


class CallbackNumberScreen(KioskScreen):
    """The number as typed, what it is for and for how long, a wrong number's notice, the keypad and "No thanks"."""

    rtl = BooleanProperty(False)

    def show(self, root) -> None:
        lang, state = root.state.lang, root.state
        ids = self.ids
        self.rtl = is_rtl(lang)  # the words on the side where reading starts, the keypad on the other
        ids.title.raw = text("callback_number_title", lang)
        ids.number.text = callback_flow.shown(state.typed_phone)
        ids.use.raw = text("callback_use", lang)
        ids.notice.raw = text(callback_flow.WRONG, lang) if state.notice == callback_flow.WRONG else ""
        ids.no.raw = text("callback_no", lang)
        ids.keypad.button(ENTER).raw = text("send", lang)

    def key(self, key: str) -> None:
        """A keypad key: a digit, the delete key, or Send."""
        root = self.manager.kiosk
        state, now, timings = root.state, root.now(), root.timings
        if key == ENTER:
            root.apply(callback_flow.submit(state, now, root.core.config, timings))
        elif key == DELETE:
            root.apply(callback_flow.delete(state, now, timings))
        else:
            root.apply(callback_flow.key(state, key, now, timings))

    def type_text(self, chars: str) -> None:
        """Digits from a hardware keyboard (Enter is ``key(ENTER)``): as if tapped on the keypad."""
        for ch in chars:
            if ch.isdigit():
                self.key(ch)

    def no(self) -> None:
        root = self.manager.kiosk
        root.apply(callback_flow.decline(root.state, root.now(), root.core.config, root.timings))
