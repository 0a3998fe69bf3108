"""The desk's own PIN, IT's way into the desk's settings (device/kiosk/desk_pin_flow.py): pure steps."""

from __future__ import annotations

from device.kiosk import desk_pin_flow, flow

T = flow.Timings()


def test_pin_lockout_after_repeated_failures():
    roster = flow.staff_key(flow.start("ar", 0, "E1"), 0, T).state
    assert roster.screen == "signin"  # the staff key opens the roster; the desk's PIN is one tap further
    state = desk_pin_flow.open_desk_pin(roster, 0, T).state
    for _ in range(T.pin_max_attempts):
        state = desk_pin_flow.pin_entered(state, False, 1, T).state
    assert state.notice == "pin_locked"
    assert desk_pin_flow.pin_entered(state, True, 2, T).state.screen == "pin"
    assert desk_pin_flow.pin_entered(state, True, 1 + T.pin_lockout_s, T).state.screen == "staff"
