from __future__ import annotations

from device.kiosk.screens.base import KioskScreen
from device.kiosk.texts import FACE_WORDS, text


class RatingScreen(KioskScreen):
    """The question and the five faces; the row's ``on_choose`` carries the face's own score."""

    def show(self, root) -> None:
        lang = root.state.lang
        ids = self.ids
        ids.question.raw = text("question", lang)
        ids.desk.raw = root.desk_name(lang)
        name = root.serving_name(lang)  # who this rating is for, if the roster knows them
        ids.serving.raw = text("serving", lang).format(name=name) if name else ""
        ids.faces.set_words(FACE_WORDS[lang])
        ids.faces.locked = root.faces_locked()
        notice = root.state.notice
        ids.notice.raw = text(notice, lang) if notice in ("cooldown", "wait_invite", "closed") else ""
        ids.lang_button.raw = root.language_button_text(lang)
        ids.access_button.raw = text("large_text", lang)
        ids.privacy.raw = text("privacy", lang)
