from __future__ import annotations

from device.kiosk import survey_flow
from device.kiosk.screens.base import KioskScreen
from device.kiosk.texts import text
from device.kiosk.translations import is_rtl, names_lang
from device.kiosk.widgets.controls import TapButton


class SurveyScreen(KioskScreen):
    """One survey question: big answer buttons, Skip, and "Question 1 of 2"; ``survey_flow`` decides the rest.

    A scale's 1 to 5 run left to right in both languages (like the faces); yes/no and
    choices start where the eye starts: at the right in Arabic.
    """

    _built_for: tuple = ()

    def show(self, root) -> None:
        lang = root.state.lang
        ids = self.ids
        cfg = root.core.config
        question = survey_flow.question(root.state, cfg)
        ids.title.raw = text("survey_title", lang)
        ids.skip.raw = text("skip", lang)
        ids.lang_button.raw = root.language_button_text(lang)
        if question is None:  # only for a moment: the flow ends a survey whose questions are gone
            return
        number, total = survey_flow.progress(root.state, cfg)
        ids.progress.raw = text("survey_progress", lang).format(n=number, total=total)
        ids.question.raw = question.text_ar if names_lang(lang) == "ar" else question.text_en  # the config has two
        ids.hint.raw = text("scale_hint", lang) if question.kind == "scale" else ""
        key = (lang, question)
        if key != self._built_for:  # rebuild only when the question or the language changes
            self._built_for = key
            self._build(root, question, lang)

    def _build(self, root, question, lang: str) -> None:
        grid = self.ids.answers
        grid.clear_widgets()
        if question.kind == "scale":
            grid.cols, grid.orientation = len(survey_flow.SCALE), "lr-tb"  # never mirrored
            answers = [(value, str(value)) for value in survey_flow.SCALE]
        else:
            grid.cols = 2 if len(question.options) in (2, 4) else min(len(question.options), 3)
            grid.orientation = "rl-tb" if is_rtl(lang) else "lr-tb"
            arabic = names_lang(lang) == "ar"
            answers = [(o.code, o.label_ar if arabic else o.label_en) for o in question.options]
        for value, label in answers:
            button = TapButton(raw=label, font_size="30sp" if question.kind == "scale" else "24sp")
            button.answer = value
            button.bind(on_tap=lambda b: root.survey_answer(b.answer))
            grid.add_widget(button)

    def button(self, value: str | int) -> TapButton:
        return next(b for b in self.ids.answers.children if b.answer == value)
