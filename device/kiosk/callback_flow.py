"""The visitor may ask to be called back (issue 23 point 5, PROTOCOL 1.2): the kiosk's steps, pure like ``flow``.

After a negative rating (and its reasons) every desk asks "Would you like us to call you back about this?"
(``flow.finish_followup`` shows ``callback``). "No thanks" (``decline``) is as easy as "Yes" (``accept``),
which shows ``callback_number``: a keypad, what the number is for and for how long. Each digit (``key``) or
deletion (``delete``) keeps the screen waiting; ``submit`` reads the typed number with
``shared.phones.saudi_mobile`` and either refuses it (the notice ``callback_wrong``: the screen says so and
keeps the digits to correct) or stores the rating with ``callback_phone`` (+9665xxxxxxxx). Either way the
survey follows if due, then thanks (``flow.after_rating``). Left untouched for ``Timings.callback_s`` the
rating is stored without a number and the kiosk rests (``flow.tick``). The tap itself is held durably from
the tap on (``KioskRoot._hold``); the number is never held, only stored with the rating.
"""

from __future__ import annotations

from dataclasses import replace

from device.kiosk import flow
from shared.contract import DeviceConfig
from shared.phones import saudi_mobile

MAX_DIGITS = 14  # 00966 5x xxx xxxx, the longest way a Saudi mobile number is written
GROUPS = (("00", (5, 2, 3)), ("0", (3, 3)), ("966", (3, 2, 3)), ("5", (2, 3)), ("", (3, 3)))
WRONG = "callback_wrong"  # the notice shown under a number that is not a Saudi mobile one


def accept(state: flow.KioskState, now: float, timings: flow.Timings) -> flow.Outcome:
    """ "Yes": the number's keypad, empty."""
    if state.screen != "callback" or state.pending is None:
        return flow.Outcome(state, refused="no callback offer open")
    asking = replace(state, screen="callback_number", typed_phone="", notice=None)
    return flow.Outcome(replace(asking, deadline=now + timings.callback_s))


def decline(state: flow.KioskState, now: float, config: DeviceConfig, timings: flow.Timings) -> flow.Outcome:
    """ "No thanks" (on the question, or on the keypad): the rating goes on without a number."""
    return _end(state, now, config, timings, phone=None)


def key(state: flow.KioskState, digit: str, now: float, timings: flow.Timings) -> flow.Outcome:
    """One digit from the keypad (Western or Arabic-Indic); a wrong number's notice goes as the visitor corrects it."""
    if state.screen != "callback_number":
        return flow.Outcome(state, refused="no callback number asked")
    if len(digit) != 1 or not digit.isdigit():
        return flow.Outcome(state, refused=f"{digit!r} is not a digit")
    if len(state.typed_phone) >= MAX_DIGITS:
        return flow.Outcome(replace(state, deadline=now + timings.callback_s), refused="number too long")
    typed = state.typed_phone + str(int(digit))  # ٥ -> 5: the number is kept, and shown, in Western digits
    return flow.Outcome(replace(state, typed_phone=typed, notice=None, deadline=now + timings.callback_s))


def delete(state: flow.KioskState, now: float, timings: flow.Timings) -> flow.Outcome:
    """The delete key: the last digit goes."""
    if state.screen != "callback_number":
        return flow.Outcome(state, refused="no callback number asked")
    typed = state.typed_phone[:-1]
    return flow.Outcome(replace(state, typed_phone=typed, notice=None, deadline=now + timings.callback_s))


def submit(state: flow.KioskState, now: float, config: DeviceConfig, timings: flow.Timings) -> flow.Outcome:
    """Send: a Saudi mobile number goes with the rating; anything else is refused on the screen, digits kept."""
    if state.screen != "callback_number":
        return flow.Outcome(state, refused="no callback number asked")
    phone = saudi_mobile(state.typed_phone)
    if phone is None:
        wrong = replace(state, notice=WRONG, deadline=now + timings.callback_s)
        return flow.Outcome(wrong, refused=f"not a Saudi mobile number ({len(state.typed_phone)} digits)")
    return _end(state, now, config, timings, phone=phone)


def shown(typed: str) -> str:
    """The digits grouped as a number is written (050 123 4567, 00966 51 234 5678); shown left to right always."""
    sizes = next(sizes for start, sizes in GROUPS if typed.startswith(start))
    groups, rest = [], typed
    for size in sizes:
        groups.append(rest[:size])
        rest = rest[size:]
    return " ".join(group for group in (*groups, rest) if group)


def _end(
    state: flow.KioskState, now: float, config: DeviceConfig, timings: flow.Timings, phone: str | None
) -> flow.Outcome:
    if state.screen not in flow.CALLBACK_SCREENS or state.pending is None:
        return flow.Outcome(state, refused="no callback offer open")
    pending = replace(state.pending, callback_phone=phone)
    return flow.after_rating(replace(state, pending=None, typed_phone="", notice=None), pending, now, config, timings)
