from __future__ import annotations

from device.kiosk.screens.base import KioskScreen
from device.kiosk.texts import text
from device.kiosk.translations import is_rtl, reason_label
from device.kiosk.widgets.reason_icons import ReasonChip


class FollowupScreen(KioskScreen):
    """Reasons after a negative score: large chips with their icons (``widgets/reason_icons.py``), optional;
    Skip becomes Send once one is chosen."""

    _built_for: tuple = ()

    def show(self, root) -> None:
        lang = root.state.lang
        ids = self.ids
        ids.title.raw = text("followup_title", lang)
        ids.hint.raw = text("followup_hint", lang)
        reasons = root.core.config.reasons
        key = (lang, tuple(reasons))
        if key != self._built_for:  # rebuild only when the language or the configured reasons change
            self._built_for = key
            grid = ids.chips
            grid.clear_widgets()
            grid.orientation = "rl-tb" if is_rtl(lang) else "lr-tb"  # first reason where the eye starts
            for reason in reasons:
                label = reason_label(reason.code, lang, reasons)
                side = "right" if is_rtl(lang) else "left"  # the icon first, in the reading direction
                chip = ReasonChip(code=reason.code, raw=label, icon_side=side)
                chip.bind(on_tap=lambda c: root.toggle_reason(c.code))
                grid.add_widget(chip)
        chosen = root.state.pending.reasons if root.state.pending else ()
        for chip in ids.chips.children:
            chip.selected = chip.code in chosen
        ids.send.raw = text("send" if chosen else "skip", lang)
        ids.lang_button.raw = root.language_button_text(lang)

    def chip(self, code: str) -> ReasonChip:
        return next(c for c in self.ids.chips.children if c.code == code)
