"""The call back after a negative on the kiosk (device/kiosk/callback_flow.py): the offer, the number, skip, timeout."""

from __future__ import annotations

from device.kiosk import callback_flow, flow
from shared.contract import DEFAULT_SURVEY
from tests.support.kiosk_desk import WALL, T, config

DESK = config(cooldown_s=10)


def offered(now: float = 0.0, cfg=DESK, survey_due: bool = False) -> flow.KioskState:
    """A visitor tapped face 1, chose a reason and pressed Send: the offer shows."""
    state = flow.face_tap(flow.start("ar", now, "E1"), 1, now, WALL, cfg, "E1", T, survey_due=survey_due).state
    state = flow.toggle_reason(state, "waiting_time", now + 1, T).state
    out = flow.finish_followup(state, now + 2, cfg, T)
    assert out.submit is None and out.state.screen == "callback"
    return out.state


def typed(state: flow.KioskState, digits: str, now: float = 5.0) -> flow.KioskState:
    state = callback_flow.accept(state, now, T).state
    for digit in digits:
        state = callback_flow.key(state, digit, now, T).state
    return state


def test_after_the_reasons_every_negative_is_offered_a_call_back_and_no_thanks_stores_no_number():
    out = callback_flow.decline(offered(), 3.0, DESK, T)
    assert out.submit is not None and out.state.screen == "thanks"
    assert (out.submit.score, out.submit.reasons, out.submit.callback_phone) == (1, ("waiting_time",), None)
    assert out.state.locked_until == 13.0


def test_a_negative_on_a_desk_without_reasons_is_offered_the_call_back_at_once():
    out = flow.face_tap(flow.start("ar", 0.0, "E1"), 2, 0.0, WALL, config(reasons=[]), "E1", T)
    assert out.submit is None and out.state.screen == "callback" and out.state.deadline == T.callback_s


def test_a_positive_or_neutral_rating_is_never_offered_a_call_back():
    for score in (3, 4, 5):
        out = flow.face_tap(flow.start("ar", 0.0, "E1"), score, 0.0, WALL, DESK, "E1", T)
        assert out.submit is not None and out.state.screen == "thanks"


def test_yes_then_a_number_as_people_write_it_stores_it_in_e164():
    state = typed(offered(), "0501234567")
    assert state.screen == "callback_number" and callback_flow.shown(state.typed_phone) == "050 123 4567"
    out = callback_flow.submit(state, 6.0, DESK, T)
    assert out.submit is not None and out.submit.callback_phone == "+966501234567"
    assert out.submit.reasons == ("waiting_time",) and out.submit.tapped_at == WALL
    assert out.state.screen == "thanks" and out.state.typed_phone == "" and out.state.pending is None


def test_arabic_indic_digits_are_kept_as_western_ones():
    state = typed(offered(), "٠٥٥٩٨٧٦٥٤٣")
    assert state.typed_phone == "0559876543"
    assert callback_flow.submit(state, 6.0, DESK, T).submit.callback_phone == "+966559876543"  # type: ignore[union-attr]


def test_a_wrong_number_is_refused_on_the_screen_and_kept_to_correct():
    state = typed(offered(), "041234567")  # a landline, one digit short
    out = callback_flow.submit(state, 6.0, DESK, T)
    assert out.submit is None and out.refused and out.state.screen == "callback_number"
    assert out.state.notice == callback_flow.WRONG and out.state.typed_phone == "041234567"
    state = callback_flow.delete(out.state, 7.0, T).state  # correcting clears the notice
    assert state.notice is None and state.typed_phone == "04123456"
    for _ in range(8):
        state = callback_flow.delete(state, 7.0, T).state
    assert callback_flow.delete(state, 7.0, T).state.typed_phone == ""  # nothing left to delete: no harm
    state = typed(offered(), "0551112222")
    assert callback_flow.submit(state, 8.0, DESK, T).submit.callback_phone == "+966551112222"  # type: ignore[union-attr]


def test_an_empty_number_is_refused_and_no_thanks_on_the_keypad_still_stores_the_rating():
    state = typed(offered(), "")
    assert callback_flow.submit(state, 6.0, DESK, T).state.notice == callback_flow.WRONG
    out = callback_flow.decline(state, 6.0, DESK, T)
    assert out.submit is not None and out.submit.callback_phone is None and out.state.screen == "thanks"


def test_the_keypad_takes_only_digits_and_at_most_fourteen():
    state = typed(offered(), "00966512345678")
    assert callback_flow.key(state, "9", 6.0, T).state.typed_phone == "00966512345678"
    assert callback_flow.key(state, "x", 6.0, T).refused
    assert callback_flow.shown(state.typed_phone) == "00966 51 234 5678"
    assert callback_flow.submit(state, 6.0, DESK, T).submit.callback_phone == "+966512345678"  # type: ignore[union-attr]


def test_each_key_keeps_the_screen_waiting_and_untouched_it_stores_the_rating_without_a_number():
    state = typed(offered(), "05012", now=5.0)
    assert state.deadline == 5.0 + T.callback_s
    assert flow.tick(state, 5.0 + T.callback_s - 0.1, DESK, "E1", T).submit is None
    out = flow.tick(state, 5.0 + T.callback_s, DESK, "E1", T)
    assert out.submit is not None and out.submit.callback_phone is None and out.submit.reasons == ("waiting_time",)
    assert out.state.screen == "rating" and out.state.typed_phone == "" and out.state.pending is None
    question = offered()
    out = flow.tick(question, 2.0 + T.callback_s, DESK, "E1", T)  # the question itself left untouched
    assert out.submit is not None and out.submit.callback_phone is None and out.state.screen == "rating"


def test_a_due_survey_follows_the_call_back_and_the_number_travels_with_the_answers():
    cfg = config(survey=DEFAULT_SURVEY)
    state = typed(offered(cfg=cfg, survey_due=True), "0501234567")
    out = callback_flow.submit(state, 6.0, cfg, T)
    assert out.submit is None and out.state.screen == "survey"
    assert out.state.pending is not None and out.state.pending.callback_phone == "+966501234567"
    out = flow.end_survey(out.state, 7.0, cfg, "E1", T, thank=True)
    assert out.submit is not None and out.submit.callback_phone == "+966501234567"


def test_a_walked_away_visitor_is_not_shown_the_survey():
    cfg = config(survey=DEFAULT_SURVEY)
    out = flow.tick(offered(cfg=cfg, survey_due=True), 2.0 + T.callback_s, cfg, "E1", T)
    assert out.submit is not None and out.state.screen == "rating"


def test_steps_outside_their_screen_are_refused_and_the_staff_key_waits():
    faces = flow.start("ar", 0.0, "E1")
    assert callback_flow.accept(faces, 0.0, T).refused
    assert callback_flow.decline(faces, 0.0, DESK, T).refused
    assert callback_flow.key(offered(), "5", 3.0, T).refused  # the keypad is not shown yet
    assert callback_flow.submit(offered(), 3.0, DESK, T).refused
    assert flow.staff_key(offered(), 3.0, T).refused
    assert flow.staff_key(typed(offered(), "05"), 6.0, T).refused


def test_a_language_switch_keeps_the_digits_and_rest_forgets_them():
    state = typed(offered(), "0501")
    switched = flow.choose_language(state, "en", 6.0, T).state
    assert switched.typed_phone == "0501" and switched.lang == "en" and switched.deadline == 6.0 + T.callback_s
    assert flow.rest(state, 7.0, "E1").typed_phone == ""
