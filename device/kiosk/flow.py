"""What a tap, a tick or a message does to the kiosk: a pure state machine.

No Kivy and no I/O here. Every function takes the current ``KioskState``, the
time from an injected monotonic clock and the facts it needs (config, the
signed-in employee) and returns a new state, plus, where a rating is due, the
``PendingRating`` the caller must store *before* it shows the next screen.
The Kivy layer (``device.kiosk.root``) only translates touches into these calls
and states into screens.

Screens: ``rating`` (the faces: where an open desk rests, so a visitor taps a face at once), ``idle`` (an
invited-mode desk's rest: "your rating opens when you are served"), ``followup`` (reasons after a negative
score), ``callback`` and ``callback_number`` (then "would you like us to call you back?" and the number: their
steps are in ``device.kiosk.callback_flow``), ``survey`` (the periodic survey of every n-th visitor:
``device.kiosk.survey_flow``), ``thanks``, ``closed`` (no employee attending), ``signin`` (the roster) and
``employee_pin`` (an employee's own PIN: ``device.kiosk.signin_flow``), ``pin`` and ``staff`` (the desk's own
PIN and IT's settings).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from device.kiosk import duty as duties
from device.kiosk.duty import Duty
from device.kiosk.lockout import Lockout
from shared.contract import MAX_REASONS, DeviceConfig, Invite, PresenceCause, is_negative

Screen = Literal["idle", "rating", "followup", "callback", "callback_number", "survey", "thanks", "closed", "signin",
                 "employee_pin", "pin", "staff"]  # fmt: skip
Purpose = Literal["sign_in", "sign_out"]
Language = str  # a language code the desk offers (device.kiosk.translations)
REST_SCREENS: tuple[Screen, ...] = ("idle", "closed")  # and the faces while untouched: see ``resting``
NO_FAILURES = Lockout()
STAFF_SCREENS: tuple[Screen, ...] = ("signin", "employee_pin", "pin", "staff")
CALLBACK_SCREENS: tuple[Screen, ...] = ("callback", "callback_number")


@dataclass(frozen=True)
class Timings:
    """How long each screen waits; seconds of the injected clock."""

    rating_idle_s: float = 30.0  # a visitor's language, large text or refused tap on the faces: back to rest
    followup_s: float = 20.0  # reasons screen untouched: submit as is
    survey_s: float = 20.0  # a survey question untouched: store what was answered, back to rest
    callback_s: float = 30.0  # "call you back?" or its keypad untouched since the last key: stored without a number
    thanks_s: float = 4.0
    pin_idle_s: float = 30.0
    staff_idle_s: float = 90.0
    signin_idle_s: float = 60.0
    service_done_window_s: int = 120
    pin_max_attempts: int = 5  # the desk's PIN
    pin_lockout_s: float = 60.0
    employee_max_attempts: int = 5  # each employee's own PIN, counted per employee
    employee_lockout_s: float = 300.0  # wall-clock seconds: kept across restarts


@dataclass(frozen=True)
class RatingWindow:
    """One rating allowed until ``closes_at`` (an Invite or the staff's "service done")."""

    closes_at: float
    visit_id: str | None = None
    employee_id: str | None = None


@dataclass(frozen=True)
class PendingRating:
    score: int
    employee_id: str | None
    visit_id: str | None
    lang: Language
    tapped_at: datetime  # wall clock at the tap: the rating's created_at
    reasons: tuple[str, ...] = ()
    answers: tuple[tuple[str, str | int], ...] = ()  # the survey's (question id, answer), in the order given
    callback_phone: str | None = None  # +9665xxxxxxxx: the visitor asked to be called back (callback_flow)


@dataclass(frozen=True)
class KioskState:
    screen: Screen = "idle"
    lang: Language = "ar"
    default_lang: Language = "ar"
    deadline: float | None = None  # when the current screen gives up waiting
    locked_until: float = 0.0  # faces locked (cool-down) until then
    window: RatingWindow | None = None
    pending: PendingRating | None = None  # a tap waiting for its reasons or survey answers
    survey_due: bool = False  # this visitor is the n-th: the survey follows the rating (and reasons)
    question: int = 0  # the survey question shown, counted from 0
    typed_phone: str = ""  # the digits typed on the callback number's keypad, until submitted or skipped
    pin_failures: int = 0
    pin_locked_until: float = 0.0
    notice: str | None = None  # a message code the screen shows (see texts.py)
    duty: Duty | None = None  # the signed-in employee as the kiosk follows them (auto sign-out)
    roster_page: int = 0
    chosen: str | None = None  # the employee whose own PIN is asked on ``employee_pin``
    purpose: Purpose = "sign_in"
    checking: bool = False  # that PIN is being checked (off the main thread)
    lockout: Lockout = NO_FAILURES  # the chosen employee's wrong PINs
    languages_open: bool = False  # the visitor opened the list of the desk's languages
    large: bool = False  # this visitor asked for large text and high contrast
    invited: bool = False  # the desk's config has mode "invited": it rests on ``idle``, not on the faces


@dataclass(frozen=True)
class Outcome:
    state: KioskState
    submit: PendingRating | None = None  # store this before showing state.screen
    refused: str | None = None  # why a tap did nothing (logged, tested)
    sign_in: str | None = None  # sign this employee in (cause "pin") before showing state.screen
    sign_out: PresenceCause | None = None  # sign the employee out with this cause
    verify_pin: bool = False  # check the PIN just entered for ``state.chosen``, then call pin_checked
    remember: tuple[str, Lockout] | None = None  # keep this employee's lockout across restarts


def open_window(state: KioskState, now: float) -> RatingWindow | None:
    """The rating window if it is still open at ``now``."""
    if state.window is not None and now < state.window.closes_at:
        return state.window
    return None


def resting(state: KioskState, now: float) -> bool:
    """Nobody is using the kiosk: the closed or idle screen, or the faces untouched since the desk came to rest."""
    if state.pending is not None or state.languages_open or open_window(state, now) is not None:
        return False
    return state.screen in REST_SCREENS or (state.screen == "rating" and state.deadline is None)


def rest(state: KioskState, now: float, employee_id: str | None) -> KioskState:
    """Where the kiosk goes when nothing is happening; resets the visitor's language, large text and any PIN entry.

    An open desk (someone signed in, mode ``open``) rests on the faces, with no deadline; a closed
    one (nobody signed in) on ``closed``; an invited-mode desk on ``idle`` until an Invite opens a window.
    """
    # The next visitor starts fresh: the desk's language, no list open, normal text.
    state = replace(state, lang=state.default_lang, languages_open=False, large=False, notice=None,
                    pending=None, chosen=None, checking=False, lockout=NO_FAILURES, typed_phone="")  # fmt: skip
    window = open_window(state, now)
    if window is not None:
        return replace(state, screen="rating", window=window, deadline=window.closes_at)
    screen: Screen = "closed" if employee_id is None else ("idle" if state.invited else "rating")
    return replace(state, screen=screen, window=None, deadline=None)


def start(default_lang: Language, now: float, employee_id: str | None, *, invited: bool = False) -> KioskState:
    return rest(KioskState(lang=default_lang, default_lang=default_lang, invited=invited), now, employee_id)


def attract_tap(state: KioskState, now: float, config: DeviceConfig, timings: Timings) -> Outcome:
    """A touch on the idle screen: an invited desk says to wait; an open one (its mode just changed) shows the faces."""
    if state.screen != "idle":
        return Outcome(state, refused="not idle")
    if config.mode == "invited" and open_window(state, now) is None:
        return Outcome(replace(state, notice="wait_invite"), refused="invited mode: no rating window")
    return Outcome(replace(state, screen="rating", deadline=now + timings.rating_idle_s, notice=None))


def face_tap(
    state: KioskState,
    score: int,
    now: float,
    wall: datetime,
    config: DeviceConfig,
    employee_id: str | None,
    timings: Timings,
    survey_due: bool = False,
) -> Outcome:
    """A tap on the face whose own ``score`` is given; the one place a rating is decided.

    ``survey_due``: this visitor is the desk's n-th (``survey_flow.due``), so the survey follows.
    """
    if state.screen != "rating":
        return Outcome(state, refused="faces not shown")  # e.g. the rest of a burst of taps
    window = open_window(state, now)
    if window is None:
        # A refused tap shows why, until the faces rest again (rating_idle_s): the notice never stays for good.
        refusing = replace(state, deadline=_still_here(state, now, timings))
        if config.mode == "invited":
            return Outcome(replace(refusing, notice="wait_invite"), refused="invited mode: no rating window")
        if now < state.locked_until:
            return Outcome(replace(refusing, notice="cooldown"), refused="cooling down")
        if employee_id is None:
            return Outcome(replace(refusing, notice="closed"), refused="desk closed")
    pending = PendingRating(
        score=score,
        employee_id=(window.employee_id if window and window.employee_id else employee_id),
        visit_id=window.visit_id if window else None,
        lang=state.lang,
        tapped_at=wall,
    )
    state = replace(state, window=None, notice=None, survey_due=survey_due)  # a window is good for one rating
    if is_negative(score, config):  # the reasons (if the desk has any), then "call you back?" (callback_flow)
        shown = replace(state, screen="followup" if config.reasons else "callback", pending=pending)
        return Outcome(replace(shown, deadline=_still_here(shown, now, timings)))
    return after_rating(state, pending, now, config, timings)


def toggle_reason(state: KioskState, code: str, now: float, timings: Timings) -> Outcome:
    if state.screen != "followup" or state.pending is None:
        return Outcome(state, refused="no follow-up open")
    reasons = state.pending.reasons
    if code in reasons:
        reasons = tuple(r for r in reasons if r != code)
    elif len(reasons) < MAX_REASONS:
        reasons = (*reasons, code)
    else:
        return Outcome(state, refused=f"at most {MAX_REASONS} reasons")
    pending = replace(state.pending, reasons=reasons)
    return Outcome(replace(state, pending=pending, deadline=now + timings.followup_s))


def finish_followup(
    state: KioskState, now: float, config: DeviceConfig, timings: Timings, *, offer: bool = True
) -> Outcome:
    """The visitor pressed send (or skip, with no reasons): the call back's offer; or it timed out (not ``offer``)."""
    if state.screen != "followup" or state.pending is None:
        return Outcome(state, refused="no follow-up open")
    # Drop reasons a live config removed while the visitor was choosing.
    codes = {r.code for r in config.reasons}
    pending = replace(state.pending, reasons=tuple(r for r in state.pending.reasons if r in codes))
    if not offer:  # untouched: the visitor has gone, nobody to offer a call back to
        return after_rating(replace(state, pending=None), pending, now, config, timings)
    return Outcome(replace(state, screen="callback", pending=pending, deadline=now + timings.callback_s))


def after_rating(
    state: KioskState, pending: PendingRating, now: float, config: DeviceConfig, timings: Timings
) -> Outcome:
    """The rating is decided: thank the visitor, or first ask the survey if this visitor is the n-th.

    The survey never makes the rating wait on a visitor who walks away: the tap stays held (durable, see
    ``KioskRoot._hold``) while the survey shows, and is stored once, with its reasons, the callback number
    if given and the answers given, when the visitor finishes, skips or leaves it untouched.
    """
    if state.survey_due and config.survey.questions:
        asking = replace(state, screen="survey", pending=pending, question=0, survey_due=False)
        return Outcome(replace(asking, deadline=now + timings.survey_s))
    return _thank(replace(state, survey_due=False), pending, now, config, timings)


def end_survey(
    state: KioskState, now: float, config: DeviceConfig, employee_id: str | None, timings: Timings, *, thank: bool
) -> Outcome:
    """Store the held rating as answered so far (a call back left untouched: no number); thank, or (timed out) rest."""
    if state.screen not in ("survey", *CALLBACK_SCREENS) or state.pending is None:
        return Outcome(state, refused="no survey open")
    thanked = _thank(replace(state, question=0), state.pending, now, config, timings)
    if thank:
        return thanked
    return replace(thanked, state=rest(thanked.state, now, employee_id))  # the next visitor never waits


def _thank(state: KioskState, pending: PendingRating, now: float, config: DeviceConfig, timings: Timings) -> Outcome:
    state = replace(
        state,
        screen="thanks",
        pending=None,
        deadline=now + timings.thanks_s,
        locked_until=now + config.cooldown_s,
        duty=duties.rated(state.duty, now),  # the idle sign-out clock starts again
    )
    return Outcome(state, submit=pending)


def _still_here(state: KioskState, now: float, timings: Timings) -> float | None:
    """The visitor touched something: the screen they are on waits for them again."""
    if state.screen == "rating" and open_window(state, now) is None:
        return now + timings.rating_idle_s
    waits = {"followup": timings.followup_s, "survey": timings.survey_s}
    if state.screen in waits or state.screen in CALLBACK_SCREENS:
        return now + waits.get(state.screen, timings.callback_s)
    return state.deadline


def switch_language(
    state: KioskState, now: float, timings: Timings, offered: tuple[str, ...] = ("ar", "en")
) -> Outcome:
    """The language button: with two languages it swaps them; with more it opens the list."""
    if len(offered) <= 1:
        return Outcome(state, refused="one language only")
    if len(offered) == 2:
        other = offered[1] if state.lang == offered[0] else offered[0]
        return choose_language(state, other, now, timings, offered)
    deadline = _still_here(state, now, timings) if state.screen != "idle" else now + timings.rating_idle_s
    return Outcome(replace(state, languages_open=True, deadline=deadline))


def choose_language(
    state: KioskState, lang: str, now: float, timings: Timings, offered: tuple[str, ...] = ("ar", "en")
) -> Outcome:
    """A language picked from the list (or the two-language swap); the list closes either way."""
    state = replace(state, languages_open=False, deadline=_still_here(state, now, timings))
    if lang not in offered:
        return Outcome(state, refused=f"{lang} is not offered here")
    return Outcome(replace(state, lang=lang))


def toggle_large(state: KioskState, now: float, timings: Timings) -> Outcome:
    """The accessibility button: large text and high contrast for this visitor, until the kiosk rests."""
    return Outcome(replace(state, large=not state.large, deadline=_still_here(state, now, timings)))


def still_here(state: KioskState, now: float, timings: Timings) -> Outcome:
    """A touch that changes nothing else (the speaker button): the screen waits for the visitor again."""
    return Outcome(replace(state, deadline=_still_here(state, now, timings)))


def invite(state: KioskState, message: Invite, now: float, employee_id: str | None) -> Outcome:
    """An Invite (queue system) opens a one-rating window; the cool-down does not apply to it."""
    employee = message.employee_id or employee_id
    window = RatingWindow(closes_at=now + message.window_s, visit_id=message.visit_id, employee_id=employee)
    state = replace(state, window=window)
    if state.screen in REST_SCREENS:
        state = replace(state, screen="rating", deadline=window.closes_at, notice=None, lang=state.default_lang)
        state = replace(state, large=False, languages_open=False)
    elif state.screen == "rating":  # a visitor already looking at the faces keeps their language
        state = replace(state, deadline=window.closes_at, notice=None)
    # On followup/thanks/pin/staff the window waits: rest() shows the faces afterwards.
    return Outcome(state)


def service_done(state: KioskState, now: float, employee_id: str | None, timings: Timings) -> Outcome:
    """The staff's "service done": the same window an Invite opens, for the signed-in employee."""
    message = Invite(window_s=timings.service_done_window_s, employee_id=employee_id)
    state = replace(state, screen="idle")  # leave the staff screen so the window shows at once
    return invite(state, message, now, employee_id)


def staff_key(state: KioskState, now: float, timings: Timings) -> Outcome:
    """The small "Staff sign in" key opens the roster; not during a visitor's follow-up or survey (rating first)."""
    if state.screen in ("followup", "survey", *CALLBACK_SCREENS) or state.screen in STAFF_SCREENS:
        return Outcome(state, refused=f"no staff access from {state.screen}")
    return Outcome(show_roster(replace(state, roster_page=0), now, timings))


def show_roster(state: KioskState, now: float, timings: Timings, notice: str | None = None) -> KioskState:
    return replace(
        state,
        screen="signin",
        deadline=now + timings.signin_idle_s,
        notice=notice,
        chosen=None,
        checking=False,
        purpose="sign_in",
        lockout=NO_FAILURES,
    )


def staff_activity(state: KioskState, now: float, timings: Timings) -> KioskState:
    """Any touch on a staff screen keeps it open."""
    if state.screen in ("pin", "employee_pin"):
        return replace(state, deadline=now + timings.pin_idle_s)
    if state.screen == "staff":
        return replace(state, deadline=now + timings.staff_idle_s)
    if state.screen == "signin":
        return replace(state, deadline=now + timings.signin_idle_s)
    return state


def set_default_language(state: KioskState, lang: Language) -> KioskState:
    return replace(state, default_lang=lang)


def tick(
    state: KioskState,
    now: float,
    config: DeviceConfig,
    employee_id: str | None,
    timings: Timings,
    local: datetime | None = None,
) -> Outcome:
    """Called often; handles every timeout, a sign-in or sign-out seen at rest, and the automatic sign-out.

    ``local`` is the tablet's local wall time (for ``closes_at``); without it only the idle rule applies.
    """
    state = replace(state, invited=config.mode == "invited")  # a new config's mode is seen at the next rest
    if local is not None:
        state = replace(state, duty=duties.follow(state.duty, employee_id, now, local))
        if state.duty is not None and resting(state, now):  # at rest: never during a visitor's rating
            cause = duties.due_sign_out(state.duty, now, local, config)
            if cause is not None:
                return Outcome(rest(replace(state, duty=None), now, None), sign_out=cause)
    if state.screen == "followup" and state.deadline is not None and now >= state.deadline:
        return finish_followup(state, now, config, timings, offer=False)  # submitted as is
    if state.screen in ("survey", *CALLBACK_SCREENS) and state.deadline is not None and now >= state.deadline:
        return end_survey(state, now, config, employee_id, timings, thank=False)  # as answered, without a number
    timed = ("thanks", "rating", *STAFF_SCREENS)
    if state.screen in timed and state.deadline is not None and now >= state.deadline and not state.checking:
        return Outcome(rest(state, now, employee_id))
    if state.screen == "rating" and state.window is not None and open_window(state, now) is None:
        return Outcome(rest(state, now, employee_id))  # the invite ran out
    if state.screen == "idle" and state.deadline is not None and now >= state.deadline:
        return Outcome(rest(state, now, employee_id))  # a language chosen on the attract screen, then left
    if resting(state, now):  # a sign-in, a sign-out or a new mode seen at rest
        settled = rest(state, now, employee_id)
        if settled.screen != state.screen:
            return Outcome(settled)
    return Outcome(state)
