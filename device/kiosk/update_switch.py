"""When the kiosk may switch to a new release: at rest, nothing half-done, nothing unsent (no Kivy).

The conservative reading of "never with ratings unsent in a version-specific format": the
switch waits until the outbox holds no rating and no sign-in or sign-out at all, no tap is held
while a visitor picks reasons or answers the survey, no visitor is on the faces, and the broker
link is up (the new version must come online to pass its trial). ``device/kiosk/app.py`` asks
once a second; the switch itself is ``device/updates/updater.py:Updater.switch``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from device.core import DeviceCore
from device.kiosk import flow


class Switcher(Protocol):
    def ready_to_switch(self) -> bool: ...

    def switch(self) -> bool: ...


def at_rest(state: flow.KioskState, now: float) -> bool:
    """No visitor mid-rating: the closed or idle screen or the untouched faces, nothing pending, no window (pure)."""
    return flow.resting(state, now)


def why_wait(state: flow.KioskState, now: float, core: DeviceCore) -> str | None:
    """Why the switch must wait, or None when it may happen now."""
    if not at_rest(state, now):
        return "a visitor is at the desk"
    if core.outbox.take_held() is not None:
        return "a tap is held for its reasons or survey"
    if core.outbox_depth() or core.outbox.presence_depth():
        return "the outbox is not empty"
    if not core.connected:
        return "the broker link is down"
    return None


def switch_if_at_rest(
    state: flow.KioskState, now: float, core: DeviceCore, updater: Switcher, exit_kiosk: Callable[[], None]
) -> bool:
    """Switch and exit the kiosk (systemd starts the new version) when a release is ready and nothing waits."""
    if not updater.ready_to_switch() or why_wait(state, now, core) is not None:
        return False
    if not updater.switch():
        return False
    core.hand_over_sign_in()  # the employee at the desk stays signed in through the restart
    exit_kiosk()
    return True
