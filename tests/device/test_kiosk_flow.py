"""The kiosk's tap state machine (device/kiosk/flow.py): faces, reasons, invitations, languages, the staff key.

No Kivy; the sign-in, the duty, the survey, the roster, the lockout and the line shaping have their own files."""

from __future__ import annotations

from dataclasses import replace

import pytest

from device.kiosk import callback_flow, flow
from shared.contract import Invite, ReasonLabel
from shared.pins import hash_pin, verify_pin
from tests.support.kiosk_desk import WALL, T, config, on_faces


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
    offer = flow.finish_followup(state, 14.0, config(), T)
    assert offer.submit is None and offer.state.screen == "callback"  # "call you back?" (test_kiosk_callback_flow)
    done = callback_flow.decline(offer.state, 14.5, config(), T)
    assert done.submit is not None
    assert done.submit.reasons == ("procedure", "waiting_time")
    assert done.submit.tapped_at == WALL  # created_at is the tap, not the send
    assert done.state.screen == "thanks"


def test_followup_times_out_and_submits_as_is():
    state = flow.face_tap(on_faces(), 1, 10.0, WALL, config(), "E1", T).state
    state = flow.toggle_reason(state, "information", 15.0, T).state
    assert flow.tick(state, 15.0 + T.followup_s - 0.1, config(), "E1", T).submit is None
    out = flow.tick(state, 15.0 + T.followup_s, config(), "E1", T)
    assert out.submit is not None and out.submit.reasons == ("information",)  # the visitor left: no call back offered


def test_negative_threshold_follows_config_and_no_reasons_means_no_followup():
    assert flow.face_tap(on_faces(), 3, 0, WALL, config(negative_max_score=3), "E1", T).state.screen == "followup"
    assert flow.face_tap(on_faces(), 3, 0, WALL, config(), "E1", T).state.screen == "thanks"
    assert flow.face_tap(on_faces(), 1, 0, WALL, config(reasons=[]), "E1", T).state.screen == "callback"


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
    state = callback_flow.decline(state, 2, config(), T).state
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
