"""The periodic survey in a real Kivy window (SDL offscreen): every n-th visitor, skip, time-out, power cut.

Screenshots (docs/screenshots/kiosk-survey-ar.png, -en.png, and the 1-5 scale)
are written only when TAQYEEM_SCREENSHOTS=1:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/python -m pytest tests/device/test_kiosk_survey.py -k screenshots
"""

from __future__ import annotations

import pytest

from device.core import DeviceCore
from device.kiosk.headless import HeadlessKiosk
from device.kiosk.texts import text
from device.settings import DeviceSettings
from shared.contract import DEFAULT_SURVEY, Survey, SurveyQuestion
from tests.device import test_kiosk
from tests.device.test_kiosk import DESK, DEVICE, T, send_reasons, shot, stored, tap_face, to_faces

make_kiosk = test_kiosk.make_kiosk  # the same fixture: a kiosk window on a real DeviceCore, no broker

EVERY_2ND = DESK.model_copy(update={"survey": DEFAULT_SURVEY.model_copy(update={"every_n": 2}), "cooldown_s": 0})
CLARITY = SurveyQuestion(id="clarity", kind="scale", text_ar="ما مدى وضوح الإجراءات؟", text_en="How clear was it?")


def rate(kiosk: HeadlessKiosk, score: int) -> None:
    """One visitor: the faces, one face; the kiosk then shows the follow-up, the survey or the thanks."""
    if kiosk.screen == "thanks":
        kiosk.advance(T.thanks_s)
    to_faces(kiosk)
    tap_face(kiosk, score)
    kiosk.frames(2)  # the survey's buttons are laid out on the next frame


def answer(kiosk: HeadlessKiosk, value: str | int) -> None:
    assert kiosk.screen == "survey"
    kiosk.tap(kiosk.current.button(value))
    kiosk.frames(2)


def test_every_nth_visitor_is_asked_and_the_answers_travel_in_the_rating(make_kiosk):
    kiosk = make_kiosk(config=EVERY_2ND)
    rate(kiosk, 5)
    assert kiosk.screen == "thanks"  # the first visitor is not asked
    rate(kiosk, 4)
    assert kiosk.screen == "survey" and [r.score for r in stored(kiosk)] == [5]  # held, not stored yet
    screen = kiosk.current
    assert screen.ids.progress.raw == "السؤال 1 من 2" and screen.ids.skip.raw == text("skip", "ar")
    assert screen.ids.question.raw == DEFAULT_SURVEY.questions[0].text_ar
    answer(kiosk, "yes")
    assert kiosk.current.ids.progress.raw == "السؤال 2 من 2"
    answer(kiosk, "company")
    assert kiosk.screen == "thanks"
    first, second = stored(kiosk)
    assert first.answers == {}
    assert (second.score, second.answers) == (4, {"obstacles": "yes", "applicant": "company"})
    rate(kiosk, 3)
    assert kiosk.screen == "thanks"  # the third is not asked
    rate(kiosk, 5)
    assert kiosk.screen == "survey"  # the fourth is


def test_the_rhythm_survives_a_restart(make_kiosk, tmp_path):
    kiosk = make_kiosk(config=EVERY_2ND, data_dir=tmp_path / "desk")
    rate(kiosk, 5)
    kiosk.close()
    kiosk.core.stop()
    again = make_kiosk(config=EVERY_2ND, data_dir=tmp_path / "desk")
    rate(again, 5)
    assert again.screen == "survey"


def test_skip_thanks_at_once_and_keeps_the_answers_given(make_kiosk):
    kiosk = make_kiosk(config=EVERY_2ND.model_copy(update={"default_lang": "en"}))
    rate(kiosk, 5)
    rate(kiosk, 5)
    assert kiosk.current.ids.skip.raw == "Skip" and kiosk.current.ids.progress.raw == "Question 1 of 2"
    answer(kiosk, "no")
    kiosk.tap(kiosk.current.ids.skip)
    assert kiosk.screen == "thanks"
    assert stored(kiosk)[-1].answers == {"obstacles": "no"}


def test_an_untouched_survey_stores_what_was_answered_and_rests_for_the_next_visitor(make_kiosk):
    kiosk = make_kiosk(config=EVERY_2ND)
    rate(kiosk, 5)
    rate(kiosk, 2)  # negative: but this desk's reasons come first, see the next test
    send_reasons(kiosk)  # skip the reasons
    kiosk.frames(2)
    kiosk.tap(kiosk.current.ids.lang_button)
    assert kiosk.current.ids.skip.raw == "Skip"
    answer(kiosk, "yes")
    kiosk.advance(T.survey_s - 1)
    assert kiosk.screen == "survey" and len(stored(kiosk)) == 1
    kiosk.advance(1)
    assert kiosk.screen == "rating" and kiosk.root.state.lang == "ar"  # the next visitor starts fresh
    last = stored(kiosk)[-1]
    assert (last.score, last.answers, last.lang) == (2, {"obstacles": "yes"}, "ar")  # the language at the tap


def test_a_negative_rating_asks_the_reasons_then_the_survey(make_kiosk):
    kiosk = make_kiosk(config=EVERY_2ND)
    rate(kiosk, 5)
    rate(kiosk, 1)
    assert kiosk.screen == "followup"
    kiosk.tap(kiosk.current.chip("waiting_time"))
    send_reasons(kiosk)
    kiosk.frames(2)
    assert kiosk.screen == "survey"
    answer(kiosk, "no")
    answer(kiosk, "citizen")
    rating = stored(kiosk)[-1]
    assert (rating.score, rating.reasons) == (1, ["waiting_time"])
    assert rating.answers == {"obstacles": "no", "applicant": "citizen"}


def test_every_n_zero_never_asks(make_kiosk):
    kiosk = make_kiosk(config=EVERY_2ND.model_copy(update={"survey": DEFAULT_SURVEY.model_copy(update={"every_n": 0})}))
    for score in (5, 4, 1, 5, 3, 5):
        rate(kiosk, score)
        if kiosk.screen == "followup":
            send_reasons(kiosk)
        assert kiosk.screen == "thanks"
    assert len(stored(kiosk)) == 6 and all(r.answers == {} for r in stored(kiosk))


def test_a_power_cut_during_the_survey_stores_the_rating_with_its_answers(make_kiosk, tmp_path):
    kiosk = make_kiosk(config=EVERY_2ND, data_dir=tmp_path / "cut")
    rate(kiosk, 5)
    rate(kiosk, 1)
    kiosk.tap(kiosk.current.chip("staff_courtesy"))
    send_reasons(kiosk)
    kiosk.frames(2)
    answer(kiosk, "yes")
    kiosk.core.outbox.close()  # the power goes mid-survey
    after = DeviceCore(DeviceSettings(device_id=DEVICE, data_dir=tmp_path / "cut"))
    try:
        rating = after.outbox.pending()[-1]
        assert (rating.score, rating.reasons, rating.answers) == (1, ["staff_courtesy"], {"obstacles": "yes"})
        assert after.outbox.take_held() is None
    finally:
        after.stop()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_scale_runs_1_to_5_left_to_right_in_both_languages(make_kiosk, lang):
    survey = Survey(every_n=1, questions=[CLARITY])
    kiosk = make_kiosk(config=DESK.model_copy(update={"survey": survey, "default_lang": lang}))
    rate(kiosk, 5)
    buttons = [kiosk.current.button(v) for v in (1, 2, 3, 4, 5)]
    assert [b.raw for b in buttons] == ["1", "2", "3", "4", "5"]
    assert [b.x for b in buttons] == sorted(b.x for b in buttons)
    shot(kiosk, f"survey-scale-{lang}")
    answer(kiosk, 4)
    assert stored(kiosk)[-1].answers == {"clarity": 4}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_screenshots_of_the_survey(make_kiosk, lang):
    kiosk = make_kiosk(config=EVERY_2ND.model_copy(update={"default_lang": lang}))
    rate(kiosk, 5)
    rate(kiosk, 4)
    answer(kiosk, "no")
    choices = [b.answer for b in sorted(kiosk.current.ids.answers.children, key=lambda b: b.x)]
    first_at_the_eye = ["company", "resident", "citizen"] if lang == "ar" else ["citizen", "resident", "company"]
    assert choices == first_at_the_eye  # in Arabic the first choice is at the right
    shot(kiosk, f"survey-{lang}")
