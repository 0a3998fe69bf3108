"""Start the desk kiosk: ``run_kiosk(settings)`` (``taqyeem-device run --config device.toml``).

Kiosk behaviour is set in Kivy's config before the window exists: full screen,
no cursor, Escape does not quit, and the screen saver is off so the display
never blanks (on a Pi, also ``consoleblank=0`` in cmdline.txt; see deployment docs).

Faces: 1 (very dissatisfied, red, deep frown) at the LEFT to 5 (very satisfied,
green, broad smile) at the RIGHT, in Arabic and in English alike. The row is
never mirrored; each face carries its own score.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from device.settings import DeviceSettings

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


def run_kiosk(settings: DeviceSettings, *, fullscreen: bool = True) -> None:
    """Open the kiosk window and run until the process is stopped (Escape does not quit)."""
    prepare_kivy(settings.data_dir / "kivy", fullscreen=fullscreen)

    from kivy.app import App

    from device.core import DeviceCore
    from device.kiosk.root import build_root

    class KioskApp(App):
        title = "Taqyeem"

        def build(self):
            self.core = DeviceCore(settings)
            self.root_widget = build_root(self.core, pin_hash=settings.staff_pin_hash)
            self.core.start()
            return self.root_widget

        def on_stop(self):
            self.root_widget.shutdown()
            self.core.stop()

    app = KioskApp()

    def request_stop(_signum: int, _frame: object) -> None:
        # systemd's SIGTERM and Ctrl-C: stop through Kivy so on_stop publishes a 'stopped' status.
        from kivy.clock import Clock

        Clock.schedule_once(lambda _dt: app.stop())

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    app.run()
