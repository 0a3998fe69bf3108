"""The kiosk's root widget: turns touches and core callbacks into ``flow`` calls, and states into screens.

Time comes from an injected monotonic ``now`` (tests pass a clock they advance)
and one Kivy interval, ``tick``, checks every timeout against it, so nothing here
sleeps or schedules a timer of its own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition

from device.core import DeviceCore
from device.kiosk import desk_pin_flow, flow, survey_flow, visitor_options
from device.kiosk.fonts import register_font
from device.kiosk.roster import name_of
from device.kiosk.signin import EmployeeSignIn
from device.kiosk.text_extents import remember_extents
from device.kiosk.texts import STAFF
from device.kiosk.translations import names_lang
from device.kiosk.widgets.keypad import ENTER
from device.kiosk.widgets.visitor_layer import VisitorLayer
from shared.contract import DeviceConfig, Invite
from shared.pins import verify_pin

log = logging.getLogger("taqyeem.kiosk")

HERE = Path(__file__).parent
KV_FILES = (
    "widgets/controls.kv",
    "widgets/faces.kv",
    "widgets/keypad.kv",
    "widgets/languages.kv",
    "screens/idle.kv",
    "screens/rating.kv",
    "screens/followup.kv",
    "screens/callback.kv",
    "screens/survey.kv",
    "screens/thanks.kv",
    "screens/closed.kv",
    "screens/signin.kv",
    "screens/employee_pin.kv",
    "screens/pin.kv",
    "screens/staff.kv",
    "root.kv",
)
DEFAULT_LANG_KEY = "kiosk_default_lang"  # the staff's choice, kept in the outbox's settings table
VISITORS_KEY = "survey_visitors"  # ratings this kiosk stored, for the survey's every n-th (kept across restarts)
STAFF_KEY_SCREENS = ("idle", "rating", "thanks")  # where the small "Staff sign in" key shows (closed has its own)
ENTER_KEYS = (13, 271)  # Return and the keypad's Enter: what a badge reader sends after the staff number
KEYPAD_SCREENS = ("employee_pin", "pin", "callback_number")  # a keyboard's digits and Enter go to their keypad
BADGE_GAP_S = 2.0  # typed characters older than this are dropped before the next one (a stray key press)
_loaded = False


def load_kv() -> None:
    """Register the font and load every .kv rule once per process."""
    global _loaded
    if _loaded:
        return
    register_font()
    from kivy.core.text import Label as CoreLabel

    remember_extents(CoreLabel)  # pil measures a text with libraqm each time: once is enough
    # Import the widget classes so the rules can name them.
    from device.kiosk.screens import (  # noqa: F401
        callback,
        closed,
        employee_pin,
        followup,
        idle,
        pin,
        rating,
        signin,
        staff,
        survey,
        thanks,
    )
    from device.kiosk.widgets import controls, faces, keypad, languages  # noqa: F401

    for name in KV_FILES:
        Builder.load_file(str(HERE / name))
    _loaded = True


class KioskRoot(FloatLayout):
    connected = BooleanProperty(False)
    outbox_depth = NumericProperty(0)
    manager = ObjectProperty(None)

    def __init__(
        self,
        core: DeviceCore,
        *,
        pin_hash: str | None,
        now: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
        local: Callable[[], datetime] | None = None,
        timings: flow.Timings | None = None,
        tick_s: float = 0.1,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.core = core
        self.now = now
        self.wall = wall
        self.local = local or (lambda: self.wall().astimezone())  # the tablet's local time, for closes_at
        self.timings = timings or flow.Timings()
        self.pin_hash = pin_hash
        self.signin = EmployeeSignIn(self, schedule=lambda job: Clock.schedule_once(lambda _dt: job()))
        self._typed_chars = ""  # a badge reader's staff number, until its Enter
        self._typed_at = 0.0
        self._next_poll = 0.0
        default = visitor_options.default_language(core.config, core.outbox.get_setting(DEFAULT_LANG_KEY))
        self.state = flow.start(default, now(), core.employee_id, invited=core.config.mode == "invited")
        self.manager = self.ids.screens
        self.visitor = VisitorLayer(self)
        self.manager.transition = NoTransition()  # a transition would let a burst land on two screens
        self.manager.kiosk = self
        self.stored = 0  # ratings stored by this kiosk (the bench reads it)
        self._wire_core()
        self._poll_link()
        self.render()
        self._tick_event = Clock.schedule_interval(self.tick, tick_s)
        Window.bind(on_textinput=self._typed, on_key_down=self._key_down, on_request_close=self._refuse_keyboard_close)

    # ----- what screens and .kv rules call -------------------------------------------------

    @property
    def pin_configured(self) -> bool:
        return bool(self.pin_hash)

    def desk_name(self, lang: str) -> str:
        cfg = self.core.config
        return cfg.desk_name_ar if names_lang(lang) == "ar" else cfg.desk_name_en

    def language_button_text(self, lang: str) -> str:
        return visitor_options.button_text(self.core.config, lang)

    def serving_name(self, lang: str) -> str | None:
        """The name of the employee a rating now would be for (an invite may name one), if on the roster."""
        window = flow.open_window(self.state, self.now())
        employee = window.employee_id if window and window.employee_id else self.core.employee_id
        return name_of(self.core.config.staff_member(employee), names_lang(lang)) if employee else None

    def faces_locked(self) -> bool:
        if flow.open_window(self.state, self.now()) is not None:
            return False
        if self.core.config.mode == "invited":
            return True
        return self.now() < self.state.locked_until

    def staff_key(self) -> None:
        """The small "Staff sign in" key: the roster, where an employee picks their name and types their PIN."""
        self.apply(flow.staff_key(self.state, self.now(), self.timings))

    def attract_tap(self) -> None:
        self.apply(flow.attract_tap(self.state, self.now(), self.core.config, self.timings))

    def face_tap(self, score: int) -> None:
        cfg = self.core.config
        due = survey_flow.due(self.visitors + 1, cfg.survey)
        now, employee = self.now(), self.core.employee_id
        self.apply(flow.face_tap(self.state, score, now, self.wall(), cfg, employee, self.timings, due))

    @property
    def visitors(self) -> int:
        """Ratings this desk's kiosk has stored, ever: the survey asks when this reaches a multiple of every_n."""
        return int(self.core.outbox.get_setting(VISITORS_KEY) or 0)

    def survey_answer(self, value: str | int) -> None:
        cfg = self.core.config
        self.apply(survey_flow.answer(self.state, value, self.now(), cfg, self.core.employee_id, self.timings))

    def survey_skip(self) -> None:
        cfg = self.core.config
        self.apply(survey_flow.skip(self.state, self.now(), cfg, self.core.employee_id, self.timings))

    def toggle_reason(self, code: str) -> None:
        self.apply(flow.toggle_reason(self.state, code, self.now(), self.timings))

    def finish_followup(self) -> None:
        self.apply(flow.finish_followup(self.state, self.now(), self.core.config, self.timings))

    def switch_language(self) -> None:
        offered = visitor_options.offered(self.core.config)
        self.apply(flow.switch_language(self.state, self.now(), self.timings, offered))

    def choose_language(self, lang: str) -> None:
        offered = visitor_options.offered(self.core.config)
        self.apply(flow.choose_language(self.state, lang, self.now(), self.timings, offered))

    def toggle_large(self) -> None:
        self.apply(flow.toggle_large(self.state, self.now(), self.timings))

    def submit_pin(self, pin: str) -> None:
        correct = verify_pin(pin, self.pin_hash)
        self.apply(desk_pin_flow.pin_entered(self.state, correct, self.now(), self.timings))

    def staff_activity(self) -> None:
        self.state = flow.staff_activity(self.state, self.now(), self.timings)
        self.render()

    def open_desk_pin(self) -> None:
        self.apply(desk_pin_flow.open_desk_pin(self.state, self.now(), self.timings))

    def sign_out(self) -> None:
        """The desk settings' sign-out (behind the desk's PIN)."""
        log.info("employee %s signed out from the desk settings", self.core.employee_id)
        self.core.sign_out(cause="manual", now=self.wall())
        self.staff_activity()

    def toggle_default_language(self) -> None:
        lang = visitor_options.next_default(self.core.config, self.state.default_lang)
        self.core.outbox.set_setting(DEFAULT_LANG_KEY, lang)
        self.state = flow.set_default_language(self.state, lang)
        self.staff_activity()

    def service_done(self) -> None:
        self.apply(flow.service_done(self.state, self.now(), self.core.employee_id, self.timings))

    def close_staff(self) -> None:
        self.apply(flow.Outcome(flow.rest(self.state, self.now(), self.core.employee_id)))

    # ----- the core's callbacks: they run on the MQTT thread, so hop onto Kivy's -------------

    def _wire_core(self) -> None:
        self.core.on_config = lambda cfg: Clock.schedule_once(lambda _dt: self.config_arrived(cfg))
        self.core.on_invite = lambda inv: Clock.schedule_once(lambda _dt: self.invite_arrived(inv))
        self.core.on_connection = lambda up: Clock.schedule_once(lambda _dt: self._poll_link())

    def config_arrived(self, config: DeviceConfig) -> None:
        log.info("config for desk %s: mode %s, cool-down %ss", config.desk_id, config.mode, config.cooldown_s)
        chosen = self.core.outbox.get_setting(DEFAULT_LANG_KEY)
        self.state = flow.set_default_language(self.state, visitor_options.default_language(config, chosen))
        self.render()

    def invite_arrived(self, invite: Invite) -> None:
        log.info("invite for visit %s, %ss", invite.visit_id, invite.window_s)
        self.apply(flow.invite(self.state, invite, self.now(), self.core.employee_id))

    # ----- time ------------------------------------------------------------------------------

    def tick(self, _dt: float = 0) -> None:
        now = self.now()
        outcome = flow.tick(self.state, now, self.core.config, self.core.employee_id, self.timings, self.local())
        if outcome.state != self.state or outcome.submit is not None:
            self.apply(outcome)
        elif self.state.screen == "rating":
            locked = self.faces_locked()  # the cool-down ends with no event of its own
            if locked != self.manager.current_screen.ids.faces.locked:
                self.render()
        self.visitor.refresh()  # the speaker's "no sound" ends, and its prompts finish, with no event of their own
        if now >= self._next_poll:
            self._next_poll = now + 2.0
            self._poll_link()

    def _poll_link(self) -> None:
        self.connected = self.core.connected
        self.outbox_depth = self.core.outbox_depth()
        dot = self.ids.dot
        dot.depth = self.outbox_depth
        dot.state = "offline" if not self.connected else ("queued" if self.outbox_depth else "online")
        if self.state.screen == "staff":
            self.render()

    # ----- the keyboard ----------------------------------------------------------------------

    @staticmethod
    def _refuse_keyboard_close(_window, *_args, source: str | None = None) -> bool:
        """Escape must not end the kiosk, even if a config.ini on the device re-enabled exit_on_escape."""
        return source == "keyboard"

    def _typed(self, _window, chars: str) -> None:
        """A hardware keyboard or a USB badge reader: digits for a keypad screen, or a staff number then Enter."""
        if self.state.screen in KEYPAD_SCREENS:
            self.manager.current_screen.type_text(chars)
            return
        now = self.now()
        if now - self._typed_at > BADGE_GAP_S:
            self._typed_chars = ""
        self._typed_at = now
        for ch in chars:
            if ch in "\r\n":
                self._enter()
            else:
                self._typed_chars = (self._typed_chars + ch)[-64:]

    def _key_down(self, _window, key: int, *_args) -> None:
        if key in ENTER_KEYS:
            self._enter()

    def _enter(self) -> None:
        typed, self._typed_chars = self._typed_chars, ""
        if self.state.screen in KEYPAD_SCREENS:
            self.manager.current_screen.key(ENTER)
        elif typed.strip():
            self.signin.badge(typed)

    # ----- apply and draw --------------------------------------------------------------------

    def apply(self, outcome: flow.Outcome) -> None:
        if outcome.refused:
            log.debug("ignored: %s", outcome.refused)
        if outcome.submit is not None and not self._store(outcome.submit):
            outcome = flow.Outcome(flow.rest(outcome.state, self.now(), self.core.employee_id))
        if outcome.remember is not None:
            self.signin.remember(*outcome.remember)
        if outcome.sign_out is not None or outcome.sign_in is not None:
            outcome = self._sign(outcome)
        if outcome.state.pending is not None and outcome.state.pending != self.state.pending:
            self._hold(outcome.state.pending)  # again after each reason or answer: a power cut keeps them
        self.state = outcome.state
        self.render()

    def _sign(self, outcome: flow.Outcome) -> flow.Outcome:
        """Sign in or out through the core (which tells the collector); on failure, the desk rests as it is."""
        try:
            if outcome.sign_out is not None:
                log.info("employee %s signed out (%s)", self.core.employee_id, outcome.sign_out)
                self.core.sign_out(cause=outcome.sign_out, now=self.wall())
            if outcome.sign_in is not None:
                self.core.sign_in(outcome.sign_in, cause="pin", now=self.wall())
                log.info("employee %s signed in", outcome.sign_in)
        except Exception:
            log.exception("could not change who is signed in")
            return flow.Outcome(flow.rest(outcome.state, self.now(), self.core.employee_id))
        return outcome

    def _hold(self, pending: flow.PendingRating) -> None:
        """A tap is durable from the tap on, while the visitor picks reasons or answers the survey."""
        try:
            self.core.hold(
                pending.score,
                employee_id=pending.employee_id,
                visit_id=pending.visit_id,
                lang=pending.lang,
                now=pending.tapped_at,
                reasons=pending.reasons,
                answers=dict(pending.answers),
            )
        except Exception:
            log.exception("could not hold a tap of %s", pending.score)

    def _store(self, pending: flow.PendingRating) -> bool:
        """Durably store before any thank-you is drawn; a failure is logged, never thanked."""
        try:
            rating = self.core.rate(
                pending.score,
                employee_id=pending.employee_id,
                reasons=pending.reasons,
                visit_id=pending.visit_id,
                lang=pending.lang,
                now=pending.tapped_at,
                answers=dict(pending.answers),
                callback_phone=pending.callback_phone,  # never logged
            )
        except Exception:
            log.exception("could not store a rating of %s", pending.score)
            return False
        self.core.outbox.set_setting(VISITORS_KEY, str(self.visitors + 1))
        self.stored += 1
        log.info("stored rating seq %s score %s", rating.seq, rating.score)
        self._next_poll = 0.0  # refresh the outbox indicator on the next tick
        return True

    def render(self) -> None:
        if self.manager.current != self.state.screen:
            self.manager.current = self.state.screen
        self.manager.current_screen.show(self)
        self.visitor.show()
        key = self.ids.staff_key
        key.raw = STAFF["staff_key"]
        key.disabled = self.state.screen not in STAFF_KEY_SCREENS  # a disabled key takes no touch
        key.opacity = 0 if key.disabled else 1

    def shutdown(self) -> None:
        self._tick_event.cancel()
        self.signin.closed = True
        Window.unbind(
            on_textinput=self._typed, on_key_down=self._key_down, on_request_close=self._refuse_keyboard_close
        )
        self.core.on_config = self.core.on_invite = self.core.on_connection = None


def build_root(core: DeviceCore, **kwargs) -> KioskRoot:
    load_kv()
    return KioskRoot(core, **kwargs)
