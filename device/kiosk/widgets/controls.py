"""Labels that render Arabic, and buttons that act on touch-down.

Everything acts on touch-down: a kiosk has nothing to scroll, the visitor sees a
response at once, and the finger's touch-up then lands harmlessly on the next screen.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.metrics import sp
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, OptionProperty, StringProperty
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from device.kiosk.fonts import FONT_NAME, URDU_FONT, font_for, font_runs, needs_runs
from device.kiosk.shaping import shape_block, wrap_logical

_ARABIC = range(0x0600, 0x0700)
# Kivy's pil provider (Pillow with libraqm: HarfBuzz and FriBiDi) joins, orders and shapes text
# itself, so it is given logical text; the sdl2 provider gets our reshaped, reordered lines.
# Nastaliq climbs and descends further than Naskh; Devanagari and Bengali have short metrics
# (1.3 em against Arabic's 2.1 em), so the Arabic-tuned 0.7 would make their lines touch.
MIN_LINE_HEIGHT = {URDU_FONT: 0.95, "TaqyeemDevanagari": 1.0, "TaqyeemBengali": 1.0}
SHAPES_ITSELF = CoreLabel.__name__ in ("LabelPIL", "LabelPango")
# Room above and below a line, in em, for glyphs that pass their font's line (measured on the kiosk's
# screens by tests/device/test_kiosk_layout.py: without it their tops or tails were cut off).
SCRIPT_ROOM = {URDU_FONT: 0.22, "TaqyeemDevanagari": 0.2, "TaqyeemBengali": 0.2}


def is_rtl(text: str) -> bool:
    """Right-aligned if the first strong letter is Arabic."""
    for ch in text:
        if ord(ch) in _ARABIC:
            return True
        if ch.isalpha():
            return False
    return False


class BidiLabel(Label):
    """Set ``raw`` (logical text); the label picks the font for its script, wraps it to its width
    and (with a provider that cannot) shapes each line.

    With ``fit_floor`` (sp) the words are set smaller when they would not fit the label's height
    (a long language, large text, a tall script), only as far as they must and never below the floor;
    the size asked for (the .kv rule's, or large text's) is tried first at every change.
    """

    raw = StringProperty("")
    align = OptionProperty("center", options=["center", "start"])
    wrap = BooleanProperty(True)
    lang = StringProperty("")  # the visitor's language, if known: Urdu picks the Nastaliq font
    fit_floor = NumericProperty(0)  # sp; 0: never set smaller
    line_height: float  # Label's Kivy properties, annotated only (no value: the property itself stays)
    font_size: float
    padding: list[float]
    _fitting = False
    _wanted = 0.0  # the size asked for, before fitting
    _room = 0.0  # pixels added above and below for the script (SCRIPT_ROOM)

    def __init__(self, **kwargs):
        kwargs.setdefault("font_name", FONT_NAME)
        super().__init__(**kwargs)
        self.fbind("raw", self._reshape)
        self.fbind("width", self._reshape)
        self.fbind("font_size", self._reshape)
        self.fbind("align", self._reshape)
        self.fbind("lang", self._reshape)
        self._reshape()
        self._wanted = self.font_size
        self.fbind("font_size", self._asked)
        self._fit_soon = Clock.create_trigger(self._fit)  # once a frame, after the layout settled
        for name in ("width", "height", "texture_size", "fit_floor", "raw", "lang"):
            self.fbind(name, self._fit_soon)

    def _asked(self, *_args) -> None:
        if not self._fitting:
            self._wanted = self.font_size

    def _fit(self, *_args) -> None:
        if self._fitting or not self.fit_floor or min(self.size) < 2 * sp(self.fit_floor) or self.size == [100, 100]:
            return  # not asked, or not laid out yet (Kivy's default size, a row not yet shared out)
        if self.get_root_window() is None or not self._laid_out():
            return  # a screen not shown, or not yet sized: fitted when it is (its layout changes then)
        self._fitting = True
        try:
            if self.font_size != self._wanted:  # a new text or box: start again from the size asked for
                self.font_size = self._wanted
                self.texture_update()
            while self._spills() and self.font_size * 0.94 >= sp(self.fit_floor):
                self.font_size = self.font_size * 0.94  # re-wraps the words (_reshape)
                self.texture_update()
        finally:
            self._fitting = False

    def _laid_out(self) -> bool:
        """No box above this one still has Kivy's default size: the window's first layout is done."""
        widget = self.parent
        while widget is not None and widget is not widget.parent:
            if list(widget.size) == [100, 100]:
                return False
            widget = widget.parent
        return True

    def _spills(self) -> bool:
        """Taller than the label, or a word too long for its width (wrapping cannot break it)."""
        if self.texture_size[1] > self.height:
            return True
        left, _top, right, _bottom = self.padding
        room = self.width - left - right
        widest = self.font_size * 1.2  # no glyph is wider: a word that short fits without measuring it
        return self.wrap and any(len(w) * widest > room and self._measure(w) > room for w in self.raw.split())

    def _measure(self, line: str) -> float:
        core = CoreLabel(font_name=self.font_name, font_size=self.font_size, bold=self.bold)
        return core.get_extents(line)[0]

    def _reshape(self, *_args) -> None:
        self.font_name = font_for(self.raw, self.lang)
        self._space_for_script()
        rtl = is_rtl(self.raw)
        self.halign = "center" if self.align == "center" else ("right" if rtl else "left")
        self.valign = "middle"
        self.text_size = (self.width, None) if self.width > 1 else (None, None)
        left, _top, right, _bottom = self.padding
        width = self.width - left - right if self.wrap and self.width > 1 else None
        if not SHAPES_ITSELF:
            self.text = shape_block(self.raw, width, self._measure)
            return
        lines = self.raw.split("\n") if width is None else wrap_logical(self.raw, width, self._measure, str)
        text = "\n".join(lines)
        self.markup = needs_runs(text, self.font_name)  # Latin inside Hindi or Bengali: the Latin font for it
        self.text = font_runs(text) if self.markup else text


    def _space_for_script(self) -> None:
        """A label set tighter for Arabic's tall metrics gets room back while it shows a script that needs it;
        a script whose marks climb or hang past its font's own line (Nastaliq, Devanagari's vowel signs)
        gets that much room above and below, so its glyphs are never cut off at the texture's edge."""
        least = MIN_LINE_HEIGHT.get(self.font_name)
        if least is not None and not hasattr(self, "_plain_line_height"):
            self._plain_line_height = self.line_height
            self.line_height = max(self.line_height, least)
        elif least is None and hasattr(self, "_plain_line_height"):
            self.line_height = self._plain_line_height
            del self._plain_line_height
        room = SCRIPT_ROOM.get(self.font_name, 0.0) * self.font_size
        if room != self._room:
            left, top, right, bottom = self.padding
            self.padding = [left, top - self._room + room, right, bottom - self._room + room]
            self._room = room


class TapArea:
    """Mixin: ``on_tap`` fires on a touch-down inside the widget, unless disabled."""

    __events__ = ("on_tap",)

    def on_touch_down(self, touch):
        if self.disabled or not self.collide_point(*touch.pos):
            return super().on_touch_down(touch)
        self.dispatch("on_tap")
        return True

    def on_tap(self, *_args):
        pass


class TapButton(TapArea, BidiLabel):
    """A large, flat, rounded button with a shaped label."""

    background = ColorProperty((0.16, 0.38, 0.58, 1))
    radius = NumericProperty(18)


class Chip(TapArea, BidiLabel):
    """A reason the visitor can pick; ``selected`` is set from the flow's state, not by the tap."""

    code = StringProperty("")
    selected = BooleanProperty(False)


class StatusDot(Widget):
    """The small staff indicator: dot colour = link state, number = ratings queued."""

    state = OptionProperty("offline", options=["online", "queued", "offline"])
    depth = NumericProperty(0)


class LanguageButton(TapButton):
    """The visitor's language button: a drawn globe, then the other language's name or "Language"."""


class AccessButton(TapButton):
    """Large text and high contrast for this visitor: a drawn half-dark circle (the contrast sign) and "A"."""


class SpeakerButton(TapButton):
    """Says the screen's prompts aloud in the visitor's language (device/kiosk/voice.py): a drawn speaker, no text.

    ``voice_state`` (``Voice.state``): ``making`` draws the waves as dots (the prompts are being made),
    ``silent`` draws a cross instead of the waves, on grey (nothing to play), for a moment after the tap.
    """

    voice_state = OptionProperty("idle", options=["idle", "making", "speaking", "silent"])
