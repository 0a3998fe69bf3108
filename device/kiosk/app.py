"""Start the desk kiosk: ``run_kiosk(settings)`` (``taqyeem-device run --config device.toml``).

Kiosk behaviour is set in Kivy's config before the window exists: full screen,
no cursor, Escape does not quit, and the screen saver is off so the display
never blanks (on a Pi, also ``consoleblank=0`` in cmdline.txt; see deployment docs).

Faces: 1 (very dissatisfied, red, deep frown) at the LEFT to 5 (very satisfied,
green, broad smile) at the RIGHT, in Arabic and in English alike. The row is
never mirrored; each face carries its own score.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

from device.settings import DeviceSettings

log = logging.getLogger("taqyeem.kiosk")

WINDOW_SIZE = (800, 480)  # the official Raspberry Pi 7" display


def prepare_kivy(kivy_home: Path, *, fullscreen: bool, headless: bool = False) -> None:
    """Environment and Config for Kivy; must run before anything imports ``kivy``."""
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KIVY_HOME", str(kivy_home))
    os.environ["KIVY_NO_ARGS"] = "1"  # our CLI's arguments are not Kivy's
    # Kivy's default log mode takes over the root logger and stderr; PYTHON mode leaves
    # logging to the CLI's setup, and Kivy's records reach it through the "kivy" logger.
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    if headless:
        os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")  # the speaker button plays into nothing, no device needed
    # Pillow's bundled libraqm shapes Urdu, Hindi and Bengali (and Arabic, shadda and all);
    # Kivy's default sdl2 provider cannot (docs/performance.md has the cost of the switch).
    os.environ.setdefault("KIVY_TEXT", "pil")
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    Config.set("graphics", "allow_screensaver", "0")
    Config.set("graphics", "width", str(WINDOW_SIZE[0]))
    Config.set("graphics", "height", str(WINDOW_SIZE[1]))
    Config.set("input", "mouse", "mouse,disable_multitouch")  # no red multitouch dots on a right click
    if headless:
        Config.set("graphics", "maxfps", "0")  # tests step frames themselves: no 60 fps sleep between them


SIGN_IN_WAIT_S = 60.0  # how long a start-up sign-in waits for the desk's staff list to arrive


def run_kiosk(settings: DeviceSettings, *, fullscreen: bool = True, sign_in: tuple[str, str] | None = None) -> None:
    """Open the kiosk window and run until the process is stopped (Escape does not quit).

    ``sign_in`` (employee id, their PIN) signs that employee in as soon as the desk's
    config lists them, checked like a PIN typed at the desk: the demo opens ready this way.
    """
    prepare_kivy(settings.data_dir / "kivy", fullscreen=fullscreen)

    from kivy.app import App
    from kivy.clock import Clock

    from device.core import DeviceCore
    from device.kiosk.root import build_root
    from device.kiosk.update_switch import switch_if_at_rest
    from device.updates.updater import start_updates

    class KioskApp(App):
        title = "Taqyeem"

        def build(self):
            self.core = DeviceCore(settings)
            self.root_widget = build_root(self.core, pin_hash=settings.staff_pin_hash)
            self.core.start()
            self.updater = start_updates(settings, self.core)  # its own thread; the switch waits for rest
            Clock.schedule_interval(self._switch_at_rest, 1.0)
            if sign_in is not None:
                self._sign_in_at_start(*sign_in)
            return self.root_widget

        def _sign_in_at_start(self, employee_id: str, pin: str) -> None:
            deadline = time.monotonic() + SIGN_IN_WAIT_S

            def attempt(_dt: float) -> bool:
                signed_in = self.core.sign_in_with_pin(employee_id, pin)
                if signed_in is None and time.monotonic() < deadline:
                    return True  # the retained config with the staff list is not here yet
                if not signed_in:
                    log.error("could not sign in %s at start: %s", employee_id, _why(signed_in))
                return False

            Clock.schedule_interval(attempt, 0.25)

        def _switch_at_rest(self, _dt: float) -> None:
            root = self.root_widget
            switch_if_at_rest(root.state, root.now(), self.core, self.updater, self.stop)

        def on_stop(self):
            self.updater.stop()
            self.root_widget.shutdown()
            self.core.stop()

    app = KioskApp()

    def request_stop(_signum: int, _frame: object) -> None:
        # systemd's SIGTERM and Ctrl-C: stop through Kivy so on_stop publishes a 'stopped' status.
        Clock.schedule_once(lambda _dt: app.stop())

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    app.run()


def _why(signed_in: bool | None) -> str:
    if signed_in is None:
        return "the desk's staff list does not name them with a PIN (check the registry and the broker link)"
    return "wrong PIN"
