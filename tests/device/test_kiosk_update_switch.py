"""The switch to a new release waits for rest: a real kiosk window, a real outbox, mosquitto and a collector.

The updater here is a stand-in that only says "ready" and counts switches: what is tested is
the kiosk's decision (``device/kiosk/update_switch.py``); the real switch has its own tests in
tests/device/test_updates.py.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from device.kiosk.app import prepare_kivy

prepare_kivy(Path(tempfile.mkdtemp(prefix="taqyeem-kivy-")), fullscreen=False, headless=True)

import pytest  # noqa: E402

from device.core import DeviceCore  # noqa: E402
from device.kiosk import flow  # noqa: E402
from device.kiosk.headless import HeadlessKiosk  # noqa: E402
from device.kiosk.update_switch import at_rest, switch_if_at_rest, why_wait  # noqa: E402
from device.settings import DeviceSettings  # noqa: E402
from shared.contract import Invite  # noqa: E402
from tests.conftest import wait_until  # noqa: E402

T = flow.Timings()


class ReadyRelease:
    def __init__(self) -> None:
        self.switches = 0

    def ready_to_switch(self) -> bool:
        return True

    def switch(self) -> bool:
        self.switches += 1
        return True


def test_rest_is_the_untouched_faces_or_the_idle_or_closed_screen_with_nothing_pending_and_no_window() -> None:
    state = flow.start("ar", 0.0, "E1")
    assert state.screen == "rating" and at_rest(state, 0.0)  # an open desk rests on the faces
    assert at_rest(flow.start("ar", 0.0, None), 0.0)  # closed: nobody signed in
    assert at_rest(flow.start("ar", 0.0, "E1", invited=True), 0.0)  # idle: waiting for an invite
    invited = flow.invite(state, Invite(visit_id="A-1", window_s=60), 0.0, "E1").state
    assert not at_rest(invited, 1.0)
    touched = flow.toggle_large(state, 0.0, T).state
    assert touched.screen == "rating" and not at_rest(touched, 0.0)  # a visitor at the faces


def test_an_offline_kiosk_or_one_with_ratings_unsent_does_not_switch(tmp_path: Path) -> None:
    core = DeviceCore(DeviceSettings(device_id="desk-update", data_dir=tmp_path / "device"))
    try:
        state = flow.start("ar", 0.0, None)
        assert why_wait(state, 0.0, core) == "the broker link is down"
        core.rate(3)
        assert why_wait(state, 0.0, core) == "the outbox is not empty"
        core.hold(1, employee_id=None, visit_id=None, lang="ar", now=core.last_rating_at)  # type: ignore[arg-type]
        assert why_wait(state, 0.0, core) == "a tap is held for its reasons or survey"
    finally:
        core.stop()


@pytest.fixture
def kiosk(broker, make_collector, unique_id, tmp_path: Path):
    make_collector()
    device_id = unique_id("desk")
    core = DeviceCore(broker.desk_settings(device_id, tmp_path / "device"))
    core.sign_in("E1042")
    core.start()
    wait_until(lambda: core.connected, what="the device to connect")
    wait_until(lambda: core.outbox.presence_depth() == 0, what="the sign-in to be acked")
    window = HeadlessKiosk(core)
    yield window
    window.close()
    core.stop()


def test_the_switch_waits_for_the_visitor_then_for_the_collectors_ack(kiosk: HeadlessKiosk) -> None:
    release = ReadyRelease()
    exits: list[bool] = []

    def ask() -> bool:
        root = kiosk.root
        return switch_if_at_rest(root.state, root.now(), kiosk.core, release, lambda: exits.append(True))

    kiosk.tap(kiosk.current.ids.access_button)  # a visitor at the faces asks for large text
    assert kiosk.screen == "rating" and not ask()
    kiosk.tap(kiosk.current.ids.faces.face(1))
    assert kiosk.screen == "followup" and not ask()  # the tap is held while the visitor picks reasons
    kiosk.tap(kiosk.current.ids.send)
    assert kiosk.screen == "callback" and not ask()  # and while it is asked whether to be called back
    kiosk.tap(kiosk.current.ids.no)
    assert kiosk.screen == "thanks" and not ask()
    kiosk.advance(T.thanks_s + 0.1)
    assert kiosk.screen == "rating"
    wait_until(lambda: kiosk.core.outbox_depth() == 0, what="the collector's Ack")
    assert ask() and exits == [True] and release.switches == 1
