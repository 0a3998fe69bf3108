"""The kiosk's pure parts: the tap state machine, Arabic line wrapping, the staff PIN. No Kivy."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from device.kiosk import flow, signin_flow, survey_flow
from device.kiosk.duty import Duty, next_closing
from device.kiosk.lockout import Lockout
from device.kiosk.roster import badge_id, page_count, page_of, sorted_roster
from device.kiosk.shaping import shape_line, wrap_logical
from device.kiosk.texts import minutes_phrase
from shared.contract import DEFAULT_SURVEY, DeviceConfig, Invite, ReasonLabel, StaffMember, Survey, SurveyQuestion
from shared.pins import hash_pin, verify_pin

T = flow.Timings()
WALL = datetime(2026, 11, 28, 9, 15, 2, tzinfo=UTC)


def config(**changes) -> DeviceConfig:
    base = DeviceConfig(site_id="riyadh-hq", desk_id="desk-12", desk_name_ar="مكتب ١٢", desk_name_en="Desk 12")
    return base.model_copy(update=changes)


def on_faces(now: float = 0.0, employee: str | None = "E1") -> flow.KioskState:
    state = flow.start("ar", now, employee)  # an open desk rests on the faces
    assert state.screen == "rating" and state.deadline is None
    return state


def test_positive_tap_submits_and_thanks_and_locks():
    out = flow.face_tap(on_faces(), 5, 10.0, WALL, config(cooldown_s=15), "E1", T)
    assert out.submit == flow.PendingRating(score=5, employee_id="E1", visit_id=None, lang="ar", tapped_at=WALL)
    assert out.state.screen == "thanks"
    assert out.state.locked_until == 25.0


def test_negative_tap_waits_for_reasons_then_submits_them_in_order_chosen():
    out = flow.face_tap(on_faces(), 2, 10.0, WALL, config(), "E1", T)
    assert out.submit is None and out.state.screen == "followup"
    state = flow.toggle_reason(out.state, "procedure", 11.0, T).state
    state = flow.toggle_reason(state, "waiting_time", 12.0, T).state
    state = flow.toggle_reason(state, "facilities", 12.5, T).state
    state = flow.toggle_reason(state, "facilities", 13.0, T).state  # untoggled
    done = flow.finish_followup(state, 14.0, config(), T)
    assert done.submit is not None
    assert done.submit.reasons == ("procedure", "waiting_time")
    assert done.submit.tapped_at == WALL  # created_at is the tap, not the send
    assert done.state.screen == "thanks"


def test_followup_times_out_and_submits_as_is():
    state = flow.face_tap(on_faces(), 1, 10.0, WALL, config(), "E1", T).state
    state = flow.toggle_reason(state, "information", 15.0, T).state
    assert flow.tick(state, 15.0 + T.followup_s - 0.1, config(), "E1", T).submit is None
    out = flow.tick(state, 15.0 + T.followup_s, config(), "E1", T)
    assert out.submit is not None and out.submit.reasons == ("information",)


def test_negative_threshold_follows_config_and_no_reasons_means_no_followup():
    assert flow.face_tap(on_faces(), 3, 0, WALL, config(negative_max_score=3), "E1", T).state.screen == "followup"
    assert flow.face_tap(on_faces(), 3, 0, WALL, config(), "E1", T).state.screen == "thanks"
    assert flow.face_tap(on_faces(), 1, 0, WALL, config(reasons=[]), "E1", T).submit is not None


def test_reasons_capped_at_contract_maximum():
    many = [ReasonLabel(code=f"r{i}", ar=f"سبب {i}", en=f"Reason {i}") for i in range(10)]
    cfg = config(reasons=many)
    state = flow.face_tap(on_faces(), 1, 0, WALL, cfg, "E1", T).state
    for i in range(10):
        state = flow.toggle_reason(state, f"r{i}", 1, T).state
    assert state.pending is not None and len(state.pending.reasons) == 8


def test_burst_cooldown_and_unlock():
    cfg = config(cooldown_s=10)
    first = flow.face_tap(on_faces(), 4, 0.0, WALL, cfg, "E1", T)
    again = flow.face_tap(first.state, 4, 0.05, WALL, cfg, "E1", T)  # the rest of a burst
    assert again.submit is None and again.refused == "faces not shown"
    shown = flow.tick(first.state, T.thanks_s, cfg, "E1", T).state
    assert shown.screen == "rating" and shown.deadline is None  # back to the faces, at rest
    locked = flow.face_tap(shown, 5, 5.0, WALL, cfg, "E1", T)
    assert locked.submit is None and locked.state.notice == "cooldown"
    assert locked.state.deadline == 5.0 + T.rating_idle_s  # the notice goes when the faces rest again
    rested = flow.tick(locked.state, 5.0 + T.rating_idle_s, cfg, "E1", T).state
    assert (rested.screen, rested.notice, rested.deadline) == ("rating", None, None)
    assert flow.face_tap(shown, 5, 10.0, WALL, cfg, "E1", T).submit is not None


def test_invited_mode_only_inside_window_and_stamps_visit():
    cfg = config(mode="invited", cooldown_s=600)
    idle = flow.start("ar", 0, "E1", invited=True)
    assert idle.screen == "idle"  # an invited-mode desk rests on the idle screen, not on the faces
    assert flow.attract_tap(idle, 0, cfg, T).state.screen == "idle"
    opened = flow.invite(idle, Invite(visit_id="A-117", employee_id="E7", window_s=60), 0, "E1").state
    assert opened.screen == "rating"
    out = flow.face_tap(opened, 4, 59.9, WALL, cfg, "E1", T)
    assert out.submit is not None and (out.submit.visit_id, out.submit.employee_id) == ("A-117", "E7")
    # one rating per window
    reopened = replace(out.state, screen="rating")
    assert flow.face_tap(reopened, 4, 59.95, WALL, cfg, "E1", T).submit is None
    # a later invite is not blocked by the cool-down
    second = flow.invite(flow.tick(out.state, 70, cfg, "E1", T).state, Invite(visit_id="A-118"), 70, "E1").state
    assert flow.face_tap(second, 5, 71, WALL, cfg, "E1", T).submit.visit_id == "A-118"


def test_invite_window_expiry():
    cfg = config(mode="invited")
    opened = flow.invite(flow.start("ar", 0, "E1", invited=True), Invite(visit_id="A-1", window_s=30), 0, "E1").state
    assert flow.face_tap(opened, 5, 30.0, WALL, cfg, "E1", T).submit is None  # tapped as it closed
    assert flow.tick(opened, 30.0, cfg, "E1", T).state.screen == "idle"


def test_invite_during_followup_waits_for_it():
    state = flow.face_tap(on_faces(), 1, 0, WALL, config(), "E1", T).state
    state = flow.invite(state, Invite(visit_id="B-2", window_s=60), 1, "E1").state
    assert state.screen == "followup"
    state = flow.finish_followup(state, 2, config(), T).state
    state = flow.tick(state, 2 + T.thanks_s, config(), "E1", T).state
    assert state.screen == "rating" and state.window is not None


def test_desk_closed_and_sign_in_seen_at_rest():
    closed = flow.start("ar", 0, None)
    assert closed.screen == "closed"
    assert flow.attract_tap(closed, 0, config(), T).state.screen == "closed"
    assert flow.tick(closed, 1, config(), "E1", T).state.screen == "rating"  # signed in: the faces at once
    assert flow.tick(flow.start("ar", 0, "E1"), 1, config(), None, T).state.screen == "closed"
    assert flow.tick(closed, 1, config(mode="invited"), "E1", T).state.screen == "idle"


def test_an_open_desk_rests_on_the_faces_and_a_new_mode_is_seen_at_rest():
    faces = flow.start("ar", 0, "E1")
    assert faces.screen == "rating" and flow.resting(faces, 0)
    invited = flow.tick(faces, 1, config(mode="invited"), "E1", T).state
    assert invited.screen == "idle"
    assert flow.tick(invited, 2, config(), "E1", T).state.screen == "rating"
    touched = flow.toggle_large(faces, 3, T).state  # a visitor is there: not at rest until rating_idle_s
    assert not flow.resting(touched, 3)
    assert flow.tick(touched, 4, config(mode="invited"), "E1", T).state.screen == "rating"
    back = flow.tick(touched, 3 + T.rating_idle_s, config(), "E1", T).state
    assert (back.screen, back.large, back.deadline) == ("rating", False, None)


def test_language_switch_resets_for_next_visitor():
    state = flow.switch_language(on_faces(), 0, T).state
    assert state.lang == "en"
    out = flow.face_tap(state, 5, 1, WALL, config(), "E1", T)
    assert out.submit.lang == "en"
    assert flow.tick(out.state, 1 + T.thanks_s, config(), "E1", T).state.lang == "ar"


SEVEN = ("ar", "en", "ur", "hi", "bn", "tl", "id")


def test_with_more_than_two_languages_the_button_opens_the_list_and_a_choice_closes_it():
    opened = flow.switch_language(on_faces(), 0, T, SEVEN).state
    assert opened.languages_open and opened.lang == "ar"
    chosen = flow.choose_language(opened, "bn", 1, T, SEVEN).state
    assert (chosen.languages_open, chosen.lang, chosen.deadline) == (False, "bn", 1 + T.rating_idle_s)
    out = flow.face_tap(chosen, 2, 2, WALL, config(), "E1", T)
    assert out.state.pending.lang == "bn"  # held with its reasons in the visitor's language


def test_a_language_the_desk_does_not_offer_is_refused():
    out = flow.choose_language(on_faces(), "fr", 0, T, SEVEN)
    assert out.refused == "fr is not offered here" and out.state.lang == "ar"
    assert flow.switch_language(on_faces(), 0, T, ("ar",)).refused == "one language only"


def test_large_text_and_the_language_reset_at_rest():
    state = flow.toggle_large(flow.choose_language(on_faces(), "ur", 0, T, SEVEN).state, 0, T).state
    assert state.large and state.lang == "ur"
    out = flow.face_tap(state, 5, 1, WALL, config(), "E1", T)
    assert out.state.large  # the thank-you keeps it
    rested = flow.tick(out.state, 1 + T.thanks_s, config(), "E1", T).state
    assert (rested.screen, rested.large, rested.lang, rested.languages_open) == ("rating", False, "ar", False)


def test_no_staff_access_during_a_visitors_followup():
    state = flow.face_tap(on_faces(), 1, 0, WALL, config(), "E1", T).state
    assert flow.staff_key(state, 0, T).state.screen == "followup"


def test_pin_hash_round_trip():
    stored = hash_pin("2468", iterations=1000)
    assert stored.startswith("pbkdf2_sha256$1000$")
    assert verify_pin("2468", stored)
    assert not verify_pin("2469", stored)
    assert not verify_pin("2468", None)
    assert not verify_pin("2468", "not-a-hash")
    with pytest.raises(ValueError, match="4 to 12 digits"):
        hash_pin("12")


def test_wrap_happens_before_shaping_and_keeps_logical_order():
    words = "ما مدى رضاك عن خدمة الموظف الذي خدمك"
    lines = wrap_logical(words, 100, lambda s: 10 * len(s))
    assert " ".join(lines) == words  # lines hold the typed (logical) text, first words first
    assert all(10 * len(line) <= 100 for line in lines if " " in line)
    assert lines[0].startswith("ما")


def test_shape_line_joins_and_reverses_arabic_but_not_latin_or_digits():
    # joined forms (final ب, medial ت and ك, initial م), drawn right to left, digits kept left to right;
    # a zero-width non-joiner between glyphs so the renderer's HarfBuzz cannot fuse neighbours
    assert shape_line("مكتب 12") == "12 \ufe90\u200c\ufe98\u200c\ufedc\u200c\ufee3"
    assert shape_line("حاليا").replace("\u200c", "") == "\ufe8e\ufef4\ufedf\ufe8e\ufea3"
    assert shape_line("Desk 12") == "Desk 12"


# ----- an employee's own sign-in, and the desk signing them out --------------------------------

SARA = StaffMember(employee_id="E1042", name_ar="سارة العتيبي", name_en="Sara Alotaibi", pin_hash="x")
NEW = StaffMember(employee_id="E2001", name_ar="محمد القحطاني", name_en="Mohammed Alqahtani")
LOCAL = datetime(2026, 11, 28, 12, 0)  # the tablet's local time


def roster(now: float = 0.0, employee: str | None = None) -> flow.KioskState:
    return signin_flow.open_roster(flow.start("ar", now, employee), now, T).state


def test_a_name_then_the_right_pin_signs_in_and_rests():
    state = signin_flow.choose(roster(), "E1042", SARA, Lockout(), 1, 0, T).state
    assert (state.screen, state.chosen, state.purpose) == ("employee_pin", "E1042", "sign_in")
    asked = signin_flow.pin_submitted(state, 2, 0, T)
    assert asked.verify_pin and asked.state.checking and asked.state.notice == "checking"
    assert signin_flow.pin_submitted(asked.state, 2, 0, T).refused == "already checking"
    assert flow.tick(asked.state, 2 + T.pin_idle_s + 1, config(), None, T).state.screen == "employee_pin"
    done = signin_flow.pin_checked(asked.state, "E1042", True, 3, 0, T)
    assert (done.sign_in, done.state.screen, done.state.chosen) == ("E1042", "rating", None)
    assert done.remember == ("E1042", Lockout())


def test_unknown_id_and_pin_not_set_stay_on_the_roster_with_a_notice():
    unknown = signin_flow.choose(roster(), "X9", None, Lockout(), 1, 0, T)
    assert (unknown.state.screen, unknown.state.notice) == ("signin", "unknown_id")
    unset = signin_flow.choose(roster(), "E2001", NEW, Lockout(), 1, 0, T)
    assert (unset.state.screen, unset.state.notice) == ("signin", "pin_not_set")
    badge_at_rest = signin_flow.choose(flow.start("ar", 0, None), "E1042", SARA, Lockout(), 1, 0, T)
    assert badge_at_rest.state.screen == "employee_pin"  # a badge read on the closed screen
    badge_on_faces = signin_flow.choose(flow.start("ar", 0, "E1"), "E1042", SARA, Lockout(), 1, 0, T)
    assert badge_on_faces.state.screen == "employee_pin"  # and on the faces of an open desk


def test_five_wrong_pins_lock_that_employee_for_five_minutes_then_they_may_try_again():
    state = signin_flow.choose(roster(), "E1042", SARA, Lockout(), 1, 0, T).state
    for attempt in range(1, 6):
        state = signin_flow.pin_submitted(state, 1, 100.0, T).state
        out = signin_flow.pin_checked(state, "E1042", False, 1, 100.0, T)
        state = out.state
        assert out.remember == ("E1042", state.lockout)
        assert state.notice == ("employee_locked" if attempt == 5 else "employee_pin_wrong")
    assert state.lockout == Lockout(failures=0, until=100.0 + T.employee_lockout_s)
    assert signin_flow.pin_submitted(state, 2, 399.0, T).refused == "employee locked out"
    assert signin_flow.pin_submitted(state, 2, 400.0, T).state.checking  # five minutes later
    again = signin_flow.choose(roster(), "E1042", SARA, state.lockout, 1, 200.0, T).state
    assert again.notice == "employee_locked"


def test_lockout_survives_as_a_setting_and_a_damaged_one_counts_as_none():
    locked = Lockout(failures=0, until=1234.5)
    assert Lockout.from_setting(locked.to_setting()) == locked
    assert Lockout().to_setting() is None
    assert Lockout.from_setting("{not json") == Lockout()
    assert Lockout(until=100).minutes_left(0) == 2


def test_sign_out_asks_the_signed_in_employees_pin():
    state = signin_flow.ask_sign_out(roster(employee="E1042"), "E1042", Lockout(), 1, 0, T).state
    assert (state.screen, state.purpose) == ("employee_pin", "sign_out")
    state = signin_flow.pin_submitted(state, 1, 0, T).state
    out = signin_flow.pin_checked(state, "E1042", True, 2, 0, T)
    assert (out.sign_out, out.sign_in, out.state.screen) == ("manual", None, "closed")
    assert signin_flow.ask_sign_out(roster(), None, Lockout(), 1, 0, T).refused == "nobody to sign out"


def test_a_stale_pin_answer_changes_nothing_and_back_waits_for_the_check():
    state = signin_flow.choose(roster(), "E1042", SARA, Lockout(), 1, 0, T).state
    checking = signin_flow.pin_submitted(state, 1, 0, T).state
    assert signin_flow.back(checking, 1, None, T).refused == "checking a PIN"
    assert signin_flow.pin_checked(checking, "E2001", True, 1, 0, T).sign_in is None
    assert signin_flow.back(state, 1, None, T).state.screen == "signin"
    assert signin_flow.back(roster(), 1, None, T).state.screen == "closed"


def test_roster_sorted_by_the_desks_language_and_paged():
    staff = [
        StaffMember(employee_id="3", name_ar="إبراهيم", name_en="Ibrahim"),
        StaffMember(employee_id="1", name_ar="سارة", name_en="Sara"),
        StaffMember(employee_id="2", name_ar="أحمد", name_en="Ahmed"),
        StaffMember(employee_id="4", name_ar="ابتسام", name_en="ebtisam"),
    ]
    assert [m.employee_id for m in sorted_roster(staff, "ar")] == ["4", "3", "2", "1"]  # أ إ ا filed as one letter
    assert [m.employee_id for m in sorted_roster(staff, "en")] == ["2", "4", "3", "1"]
    many = [StaffMember(employee_id=f"E{i:02}", name_ar=f"موظف {i}", name_en=f"Staff {i}") for i in range(60)]
    assert page_count(60) == 5 and page_count(0) == 1
    assert [m.employee_id for m in page_of(many, 4)][-1] == "E59" and page_of(many, 9) == page_of(many, 4)
    state = roster()
    state = signin_flow.turn_page(state, 1, 5, 1, T).state
    assert signin_flow.turn_page(state, 9, 5, 1, T).state.roster_page == 4
    assert badge_id(" E1042\r") == "E1042"


def test_idle_sign_out_after_the_configured_minutes_without_a_rating():
    cfg = config(sign_out_idle_min=30)
    state = flow.tick(flow.start("ar", 0, "E1"), 0, cfg, "E1", T, LOCAL).state
    assert state.duty == Duty("E1", LOCAL, 0)
    state = flow.attract_tap(state, 1000, cfg, T).state
    state = flow.face_tap(state, 5, 1000, WALL, cfg, "E1", T).state  # a rating: the clock starts again
    state = flow.tick(state, 1000 + T.thanks_s, cfg, "E1", T, LOCAL).state
    assert flow.tick(state, 1000 + 1799, cfg, "E1", T, LOCAL).sign_out is None
    out = flow.tick(state, 1000 + 1800, cfg, "E1", T, LOCAL)
    assert (out.sign_out, out.state.screen, out.state.duty) == ("idle", "closed", None)
    assert flow.tick(state, 10**6, config(sign_out_idle_min=0), "E1", T, LOCAL).sign_out is None  # 0: never


def test_closing_time_signs_out_at_rest_but_never_during_a_rating():
    cfg = config(closes_at="16:00", sign_out_idle_min=0)
    state = flow.tick(flow.start("ar", 0, "E1"), 0, cfg, "E1", T, LOCAL).state
    assert flow.tick(state, 1, cfg, "E1", T, LOCAL.replace(hour=15, minute=59)).sign_out is None
    on_faces = flow.choose_language(state, "en", 1, T).state  # a visitor at the faces, who touched something
    closing = LOCAL.replace(hour=16)
    assert flow.tick(on_faces, 2, cfg, "E1", T, closing).sign_out is None  # a visitor is rating
    followup = flow.face_tap(on_faces, 1, 2, WALL, cfg, "E1", T).state
    assert flow.tick(followup, 3, cfg, "E1", T, closing).sign_out is None
    out = flow.tick(state, 2, cfg, "E1", T, closing)
    assert (out.sign_out, out.state.screen) == ("closing", "closed")


def test_a_sign_in_after_closing_lasts_until_the_next_days_closing():
    assert next_closing(LOCAL, "16:00") == LOCAL.replace(hour=16)
    evening = LOCAL.replace(hour=17)
    assert next_closing(evening, "16:00") == evening.replace(day=29, hour=16)
    cfg = config(closes_at="16:00", sign_out_idle_min=0)
    state = flow.tick(flow.start("ar", 0, "E1"), 0, cfg, "E1", T, evening).state
    assert flow.tick(state, 1, cfg, "E1", T, evening.replace(hour=23)).sign_out is None
    assert flow.tick(state, 2, cfg, "E1", T, evening.replace(day=29, hour=16)).sign_out == "closing"


def test_another_employee_signing_in_starts_a_new_duty():
    state = flow.tick(flow.start("ar", 0, "E1"), 0, config(), "E1", T, LOCAL).state
    later = LOCAL.replace(hour=13)
    state = flow.tick(state, 500, config(), "E2", T, later).state
    assert state.duty == Duty("E2", later, 500)
    assert flow.tick(state, 501, config(), None, T, later).state.duty is None


def test_arabic_minutes_agree_with_the_count():
    assert [minutes_phrase(n)[0] for n in (1, 2, 5, 11)] == ["دقيقة", "دقيقتين", "5 دقائق", "11 دقيقة"]


# ----- the periodic survey (survey_flow) ------------------------------------------------------

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
