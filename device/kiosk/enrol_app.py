"""The enrolment app: what ``taqyeem-device run`` shows on a tablet with no config (issue 13).

``run_enrolment`` opens the enrolment screen (device/kiosk/screens/enrol.py) full screen,
the collector address pre-filled from the image's /etc/taqyeem/enrol.toml. A typed code
is redeemed over HTTPS and installed (device/enrolment.py); a USB stick is taken by the
root USB unit, and this app notices the new config once a second. Either way it shows
the device id, then exits: systemd starts ``taqyeem-device run`` again, now the kiosk.
"""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path

from device.enrolment import (
    ENROL_SETTINGS,
    ENROLLED_DIR,
    ETC_CONFIG,
    TABLET_DATA_DIR,
    EnrolmentData,
    enrol_defaults,
    find_config,
    install,
    read_bundle,
    redeem_code,
)
from device.kiosk.app import prepare_kivy

log = logging.getLogger("taqyeem.enrol")
POLL_S = 1.0


class Enroller:
    """What the screen calls: redeem a code and install it; find an enrolment the USB unit made."""

    def __init__(
        self,
        *,
        enrolled_dir: Path = ENROLLED_DIR,
        etc_config: Path = ETC_CONFIG,
        data_dir: Path = TABLET_DATA_DIR,
        ca_file: Path | None = None,
    ) -> None:
        self.enrolled_dir, self.etc_config, self.data_dir, self.ca_file = enrolled_dir, etc_config, data_dir, ca_file

    def redeem(self, collector_url: str, code: str) -> EnrolmentData:
        data = redeem_code(collector_url, code, ca_file=self.ca_file)
        install(data, enrolled_dir=self.enrolled_dir, data_dir=self.data_dir, how="by code")
        log.info("enrolled by code as %s", data.device_id)
        return data

    def enrolled(self) -> EnrolmentData | None:
        config = find_config(self.etc_config, self.enrolled_dir)
        if config is None:
            return None
        try:
            return read_bundle(config.parent) if config.parent == self.enrolled_dir else None
        except Exception:  # half-written by the USB unit: the next poll reads it
            return None


def build_screen(enroller: Enroller, collector_url: str, on_enrolled, linger_s: float = 5.0):
    """The screen with its rules loaded (the kiosk's fonts and widgets, then enrol.kv)."""
    from kivy.lang import Builder

    from device.kiosk.root import HERE, load_kv
    from device.kiosk.screens.enrol import EnrolScreen
    from device.kiosk.widgets import code_keypad  # noqa: F401

    load_kv()
    path = str(HERE / "screens" / "enrol.kv")
    if path not in Builder.files:
        Builder.load_file(path)
    return EnrolScreen(
        redeem=enroller.redeem,
        enrolled=enroller.enrolled,
        on_enrolled=on_enrolled,
        collector_url=collector_url,
        linger_s=linger_s,
    )


def run_enrolment(*, fullscreen: bool = True, data_dir: Path = TABLET_DATA_DIR) -> None:
    """Show the enrolment screen until this tablet is enrolled, then return (the caller exits)."""
    enrolled_dir = Path(os.environ.get("TAQYEEM_ENROLLED_DIR") or ENROLLED_DIR)
    url, ca_file = enrol_defaults(Path(os.environ.get("TAQYEEM_ENROL_SETTINGS") or ENROL_SETTINGS))
    prepare_kivy(Path(os.environ.get("KIVY_HOME") or data_dir / "kivy"), fullscreen=fullscreen)
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.config import Config

    Config.set("kivy", "keyboard_mode", "dock")  # the address field's on-screen keyboard: no physical one
    enroller = Enroller(enrolled_dir=enrolled_dir, data_dir=data_dir, ca_file=ca_file)

    class EnrolApp(App):
        title = "Taqyeem"

        def build(self):
            screen = build_screen(enroller, url or "", self.stop)
            Clock.schedule_interval(screen.poll, POLL_S)
            return screen

    app = EnrolApp()
    signal.signal(signal.SIGTERM, lambda *_: Clock.schedule_once(lambda _dt: app.stop()))
    log.info("this tablet is not enrolled: showing the enrolment screen (collector %s)", url or "not set")
    app.run()
