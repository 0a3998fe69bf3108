"""The periodic survey on the kiosk (device/kiosk/survey_flow.py): who is asked, each question, skip, and the end."""

from __future__ import annotations

from device.kiosk import callback_flow, flow, survey_flow
from shared.contract import DEFAULT_SURVEY, Survey, SurveyQuestion
from tests.support.kiosk_desk import WALL, T, config, on_faces

SURVEYED = config(survey=DEFAULT_SURVEY, cooldown_s=10)


def test_the_survey_is_due_for_every_nth_visitor_only():
    assert [v for v in range(1, 16) if survey_flow.due(v, DEFAULT_SURVEY)] == [5, 10, 15]
    assert not any(survey_flow.due(v, DEFAULT_SURVEY.model_copy(update={"every_n": 0})) for v in range(1, 50))
    assert not survey_flow.due(5, DEFAULT_SURVEY.model_copy(update={"questions": []}))


def test_a_due_visitor_answers_each_question_then_the_rating_is_submitted_with_the_answers():
    out = flow.face_tap(on_faces(), 4, 10.0, WALL, SURVEYED, "E1", T, survey_due=True)
    assert out.submit is None and out.state.screen == "survey"
    assert survey_flow.progress(out.state, SURVEYED) == (1, 2)
    assert survey_flow.question(out.state, SURVEYED).id == "obstacles"  # type: ignore[union-attr]
    assert survey_flow.answer(out.state, "citizen", 11.0, SURVEYED, "E1", T).refused  # not an answer to this one
    state = survey_flow.answer(out.state, "no", 11.0, SURVEYED, "E1", T).state
    assert state.screen == "survey" and survey_flow.progress(state, SURVEYED) == (2, 2)
    done = survey_flow.answer(state, "resident", 12.0, SURVEYED, "E1", T)
    assert done.submit is not None
    assert (done.submit.score, done.submit.answers) == (4, (("obstacles", "no"), ("applicant", "resident")))
    assert done.submit.tapped_at == WALL and done.state.screen == "thanks"
    assert done.state.locked_until == 22.0  # the cool-down runs from the end of the survey


def test_a_negative_rating_asks_reasons_then_the_survey():
    state = flow.face_tap(on_faces(), 1, 0.0, WALL, SURVEYED, "E1", T, survey_due=True).state
    assert state.screen == "followup"
    state = flow.toggle_reason(state, "waiting_time", 1.0, T).state
    out = flow.finish_followup(state, 2.0, SURVEYED, T)
    assert out.submit is None and out.state.screen == "callback"  # "call you back?" comes first
    out = callback_flow.decline(out.state, 2.5, SURVEYED, T)
    assert out.submit is None and out.state.screen == "survey"
    out = survey_flow.skip(out.state, 3.0, SURVEYED, "E1", T)
    assert out.submit is not None and out.submit.reasons == ("waiting_time",) and out.submit.answers == ()
    assert out.state.screen == "thanks"


def test_skip_keeps_the_answers_given_so_far():
    state = flow.face_tap(on_faces(), 5, 0.0, WALL, SURVEYED, "E1", T, survey_due=True).state
    state = survey_flow.answer(state, "yes", 1.0, SURVEYED, "E1", T).state
    out = survey_flow.skip(state, 2.0, SURVEYED, "E1", T)
    assert out.submit is not None and out.submit.answers == (("obstacles", "yes"),)


def test_an_untouched_survey_submits_what_was_answered_and_rests_at_once():
    state = flow.face_tap(on_faces(), 5, 0.0, WALL, SURVEYED, "E1", T, survey_due=True).state
    state = survey_flow.answer(state, "yes", 5.0, SURVEYED, "E1", T).state
    assert flow.tick(state, 5.0 + T.survey_s - 0.1, SURVEYED, "E1", T).submit is None
    out = flow.tick(state, 5.0 + T.survey_s, SURVEYED, "E1", T)
    assert out.submit is not None and out.submit.answers == (("obstacles", "yes"),)
    assert out.state.screen == "rating" and out.state.pending is None and out.state.lang == "ar"
    assert out.state.locked_until == 5.0 + T.survey_s + 10


def test_a_scale_question_takes_1_to_5_and_nothing_else():
    scale = SurveyQuestion(id="clarity", kind="scale", text_ar="الوضوح", text_en="Clarity")
    cfg = config(survey=Survey(every_n=1, questions=[scale]))
    state = flow.face_tap(on_faces(), 3, 0.0, WALL, cfg, "E1", T, survey_due=True).state
    for wrong in (0, 6, True, "3"):
        assert survey_flow.answer(state, wrong, 1.0, cfg, "E1", T).refused
    out = survey_flow.answer(state, 3, 1.0, cfg, "E1", T)
    assert out.submit is not None and out.submit.answers == (("clarity", 3),)


def test_not_due_or_no_questions_means_no_survey():
    assert flow.face_tap(on_faces(), 5, 0.0, WALL, SURVEYED, "E1", T).state.screen == "thanks"
    empty = config(survey=Survey(every_n=1, questions=[]))
    assert flow.face_tap(on_faces(), 5, 0.0, WALL, empty, "E1", T, survey_due=True).state.screen == "thanks"


def test_a_live_config_without_questions_ends_the_survey_and_the_staff_key_waits():
    state = flow.face_tap(on_faces(), 5, 0.0, WALL, SURVEYED, "E1", T, survey_due=True).state
    assert flow.staff_key(state, 1.0, T).refused
    gone = config(survey=Survey(every_n=0))
    assert survey_flow.question(state, gone) is None
    out = survey_flow.skip(state, 2.0, gone, "E1", T)
    assert out.submit is not None and out.state.screen == "thanks"
