"""An employee's duty at the desk (device/kiosk/duty.py): signed out when idle and at closing time, never mid-rating."""

from __future__ import annotations

from datetime import datetime

from device.kiosk import flow
from device.kiosk.duty import Duty, next_closing
from tests.support.kiosk_desk import WALL, T, config

LOCAL = datetime(2026, 11, 28, 12, 0)  # the tablet's local time


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
