"""An employee's PIN lockout (device/kiosk/lockout.py), kept as a setting across restarts."""

from __future__ import annotations

from device.kiosk.lockout import Lockout


def test_lockout_survives_as_a_setting_and_a_damaged_one_counts_as_none():
    locked = Lockout(failures=0, until=1234.5)
    assert Lockout.from_setting(locked.to_setting()) == locked
    assert Lockout().to_setting() is None
    assert Lockout.from_setting("{not json") == Lockout()
    assert Lockout(until=100).minutes_left(0) == 2
