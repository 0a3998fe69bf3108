"""The enrolment screen of a tablet not enrolled yet: a USB stick, or a code typed on its own keypad.

It only draws and translates: the code is redeemed and installed by the ``redeem``
callable it is given (device/kiosk/enrol_app.py passes device/enrolment.py's), on a
worker thread so the screen keeps drawing; a stick taken by the USB unit is noticed
by ``poll`` (``enrolled`` returns the new enrolment). Once enrolled it shows the
device id and calls ``on_enrolled`` after ``linger_s`` (the app then exits and
systemd starts the kiosk).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from kivy.clock import Clock
from kivy.properties import ColorProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from device.enrolment import CODE_LENGTH, EnrolmentData, EnrolmentError
from device.kiosk import enrol_texts as texts
from device.kiosk.widgets.code_keypad import DELETE, ENTER

ERROR_COLOUR = (0.75, 0.16, 0.14, 1)
INFO_COLOUR = (0.16, 0.38, 0.58, 1)
DONE_COLOUR = (0.18, 0.50, 0.22, 1)


class EnrolScreen(BoxLayout):
    collector_url = StringProperty("")
    typed = StringProperty("")
    shown = StringProperty(texts.shown_code(""))
    message_colour = ColorProperty(INFO_COLOUR)

    def __init__(
        self,
        *,
        redeem: Callable[[str, str], EnrolmentData],
        enrolled: Callable[[], EnrolmentData | None],
        on_enrolled: Callable[[], None],
        collector_url: str = "",
        linger_s: float = 5.0,
        **kwargs,
    ) -> None:
        self._redeem, self._enrolled, self._on_enrolled = redeem, enrolled, on_enrolled
        self.linger_s = linger_s
        self.busy = False
        self.done: EnrolmentData | None = None
        super().__init__(**kwargs)
        self.collector_url = collector_url
        self.ids.title.raw = texts.TITLE
        self.ids.prompt_ar.raw = texts.PROMPT_AR
        self.ids.prompt_en.raw = texts.PROMPT_EN
        self.ids.collector_label.raw = texts.COLLECTOR
        self.fbind("typed", lambda *_: setattr(self, "shown", texts.shown_code(self.typed)))

    def say(self, text: str, colour=INFO_COLOUR) -> None:
        self.ids.message.raw = text
        self.message_colour = colour

    def key(self, key: str) -> None:
        if self.busy or self.done is not None:
            return
        if key == DELETE:
            self.typed = self.typed[:-1]
        elif key == ENTER:
            self.submit()
        elif len(self.typed) < CODE_LENGTH:
            self.typed += key
            self.say("")

    def submit(self) -> None:
        if len(self.typed) < CODE_LENGTH:
            self.say(texts.TYPE_ALL, ERROR_COLOUR)
            return
        self.busy = True
        self.ids.keypad.disabled = True
        self.say(texts.CHECKING)
        url, code = self.collector_url.strip(), self.typed
        threading.Thread(target=self._work, args=(url, code), name="enrol-code", daemon=True).start()

    def _work(self, url: str, code: str) -> None:
        try:
            data = self._redeem(url, code)
        except EnrolmentError as exc:
            kind, detail = exc.kind, str(exc)
            Clock.schedule_once(lambda _dt: self._failed(kind, detail))
            return
        Clock.schedule_once(lambda _dt: self._succeeded(data))

    def _failed(self, kind: str, detail: str) -> None:
        self.busy = False
        self.ids.keypad.disabled = False
        if kind in ("wrong_code", "used_code", "bad_code"):
            self.typed = ""
        self.say(texts.error_text(kind, detail), ERROR_COLOUR)

    def _succeeded(self, data: EnrolmentData) -> None:
        self.busy = False
        self.done = data
        self.ids.keypad.disabled = True
        if self.ids.keypad.parent is self:  # room for the device id and the desk
            self.remove_widget(self.ids.keypad)
        self.ids.title.raw = texts.ENROLLED_TITLE
        self.ids.prompt_ar.raw = self.ids.prompt_en.raw = ""
        self.ids.message.size_hint_y = 1
        self.ids.message.font_size = self.ids.title.font_size
        self.say(texts.enrolled_text(data.device_id, data.desk_name_ar, data.desk_name_en), DONE_COLOUR)
        Clock.schedule_once(lambda _dt: self._on_enrolled(), self.linger_s)

    def poll(self, _dt: float = 0.0) -> None:
        """A stick taken by the USB unit while this screen shows: say so, then start the kiosk."""
        if self.done is None and not self.busy:
            data = self._enrolled()
            if data is not None:
                self._succeeded(data)
