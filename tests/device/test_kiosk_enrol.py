"""The enrolment screen in a real Kivy window (SDL offscreen): a code typed on its keypad, a stick noticed.

The code is redeemed at a real collector serving HTTPS (tests/support/https_collector.py) and the
enrolment installed by the real device/enrolment.py. Screenshots go to docs/screenshots/ when
TAQYEEM_SCREENSHOTS=1:

    TAQYEEM_SCREENSHOTS=1 .venv/bin/python -m pytest tests/device/test_kiosk_enrol.py
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from device.kiosk.app import prepare_kivy

prepare_kivy(Path(tempfile.mkdtemp(prefix="taqyeem-kivy-")), fullscreen=False, headless=True)

import pytest  # noqa: E402
from kivy.base import EventLoop  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.tests.common import UnitTestTouch  # noqa: E402

from device.enrolment import find_config  # noqa: E402
from device.kiosk import enrol_texts as texts  # noqa: E402
from device.kiosk.enrol_app import Enroller, build_screen  # noqa: E402
from device.kiosk.screens.enrol import EnrolScreen  # noqa: E402
from device.settings import load_device_settings  # noqa: E402
from tests.conftest import RunningBroker  # noqa: E402
from tests.device.test_enrolment import Tablet, bundle_on  # noqa: E402
from tests.support.https_collector import HttpsCollector, serve_https_collector  # noqa: E402
from tests.support.throwaway_ca import make_test_ca  # noqa: E402

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def collector(tmp_path: Path, broker: RunningBroker) -> Iterator[HttpsCollector]:
    with serve_https_collector(tmp_path, broker) as running:
        yield running


class EnrolWindow:
    """The screen in the window, and real touches on it."""

    def __init__(self, screen: EnrolScreen) -> None:
        self.screen = screen
        self.stopped = False
        EventLoop.ensure_window()
        for child in Window.children[:]:
            Window.remove_widget(child)
        Window.add_widget(screen)
        self.frames(3)

    def frames(self, count: int = 1) -> None:
        for _ in range(count):
            EventLoop.idle()

    def tap(self, widget) -> None:
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.frames(1)
        touch.touch_up()
        self.frames(1)

    def type(self, code: str) -> None:
        for key in [*code.replace("-", ""), "OK"]:
            self.tap(self.screen.ids.keypad.button(key))

    def settle(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while self.screen.busy:
            assert time.monotonic() < deadline, "the collector did not answer"
            self.frames(1)
            time.sleep(0.01)
        self.frames(3)

    def shot(self, name: str) -> None:
        if os.environ.get("TAQYEEM_SCREENSHOTS") == "1":
            SHOTS.mkdir(parents=True, exist_ok=True)
            self.frames(2)
            written = Path(Window.screenshot(name=str(SHOTS / f"{name}.png")))
            written.replace(SHOTS / f"{name}.png")

    def close(self) -> None:
        Window.remove_widget(self.screen)
        self.frames(1)


def open_screen(tablet: Tablet, url: str, ca_file: Path | None) -> EnrolWindow:
    enroller = Enroller(enrolled_dir=tablet.enrolled, etc_config=tablet.etc, data_dir=tablet.data, ca_file=ca_file)
    holder: list[EnrolWindow] = []
    screen = build_screen(enroller, url, lambda: setattr(holder[0], "stopped", True), linger_s=0)
    holder.append(EnrolWindow(screen))
    return holder[0]


def test_a_code_typed_on_the_keypad_enrols_the_tablet_and_a_wrong_one_says_so(
    collector: HttpsCollector, tmp_path: Path
) -> None:
    code = collector.code()
    tablet = Tablet(tmp_path / "tablet")
    window = open_screen(tablet, collector.base, collector.ca_file)
    try:
        screen = window.screen
        assert screen.ids.collector.text == collector.base  # pre-filled from the image's enrol.toml
        window.shot("kiosk-enrol-ar")

        window.type("2222-3333-4444")
        window.settle()
        assert screen.ids.message.raw == texts.ERRORS["wrong_code"] and screen.typed == ""
        window.shot("kiosk-enrol-wrong-ar")
        raw = code.replace("-", "")
        window.type(raw[:5])
        assert screen.ids.message.raw == texts.TYPE_ALL and screen.shown == f"{raw[:4]}-{raw[4]}___-____"
        for _ in range(5):
            window.tap(screen.ids.keypad.button("<"))
        window.type(code)
        window.settle()

        config = find_config(tablet.etc, tablet.enrolled)
        assert config is not None
        device_id = load_device_settings(config).device_id
        assert device_id in screen.ids.message.raw and "مكتب ١  ·  Desk 1" in screen.ids.message.raw
        window.shot("kiosk-enrol-done-ar")
        window.frames(3)
        assert window.stopped  # the app exits; systemd starts the kiosk
    finally:
        window.close()


def test_the_screen_names_an_unreachable_collector_and_an_untrusted_certificate(
    collector: HttpsCollector, tmp_path: Path
) -> None:
    code = collector.code()
    tablet = Tablet(tmp_path / "tablet")
    window = open_screen(tablet, collector.base, collector.broker.ca_file)  # the wrong CA
    try:
        window.type(code)
        window.settle()
        assert window.screen.ids.message.raw == texts.ERRORS["untrusted"]
        window.screen.ids.collector.text = "https://127.0.0.1:9"  # changed on the screen: nothing listens there
        window.type(code)
        window.settle()
        assert window.screen.ids.message.raw == texts.ERRORS["unreachable"]
        assert find_config(tablet.etc, tablet.enrolled) is None and not window.stopped
    finally:
        window.close()


def test_a_stick_taken_while_the_screen_shows_is_noticed(tmp_path: Path) -> None:
    tablet = Tablet(tmp_path / "tablet")
    window = open_screen(tablet, "", None)
    try:
        window.screen.poll()
        assert window.screen.done is None
        bundle_on(tmp_path / "stick", make_test_ca(tmp_path / "ca").ca_cert)
        tablet.take(tmp_path / "stick")  # what the root USB unit does
        window.screen.poll()
        window.frames(3)
        assert "riyadh-hq-desk-01-a1b2c3" in window.screen.ids.message.raw and window.stopped
    finally:
        window.close()
