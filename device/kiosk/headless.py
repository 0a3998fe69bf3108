"""Drive a real kiosk window without a display: for the tests, the benchmark and screenshots.

Call ``prepare_kivy(..., headless=True)`` (from ``device.kiosk.app``) before the
first ``kivy`` import; then ``HeadlessKiosk(core, ...)`` opens the window (SDL's
offscreen driver renders for real), and ``tap``/``frames`` advance it one frame
at a time, with time taken from a ``ManualClock`` the caller moves.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.tests.common import UnitTestTouch
from kivy.uix.widget import Widget

from device.core import DeviceCore
from device.kiosk import flow
from device.kiosk.root import KioskRoot, build_root

RIYADH = timezone(timedelta(hours=3), "AST")


class ManualClock:
    """Monotonic seconds, a wall clock and the tablet's local time (Riyadh), moving only when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start
        self._wall0 = datetime(2026, 11, 28, 9, 0, 0, tzinfo=UTC)

    def __call__(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return self._wall0 + timedelta(seconds=self.t)

    def local(self) -> datetime:
        return self.wall().astimezone(RIYADH)

    def advance(self, seconds: float) -> None:
        self.t += seconds


class HeadlessKiosk:
    def __init__(
        self,
        core: DeviceCore,
        *,
        pin_hash: str | None = None,
        clock: ManualClock | None = None,
        timings: flow.Timings | None = None,
    ) -> None:
        self.core = core
        self.clock = clock or ManualClock()
        EventLoop.ensure_window()
        for child in Window.children[:]:
            Window.remove_widget(child)
        # tick_s=0: the tick runs every frame, so a test's advance() takes effect on the next frame.
        self.root: KioskRoot = build_root(
            core,
            pin_hash=pin_hash,
            now=self.clock,
            wall=self.clock.wall,
            local=self.clock.local,
            timings=timings,
            tick_s=0,
        )
        Window.add_widget(self.root)
        self.frames(2)

    @property
    def screen(self) -> str:
        return self.root.manager.current

    @property
    def current(self):
        return self.root.manager.current_screen

    def frames(self, count: int = 1) -> None:
        for _ in range(count):
            EventLoop.idle()

    def advance(self, seconds: float, frames: int = 2) -> None:
        self.clock.advance(seconds)
        self.frames(frames)

    def touch_at(self, x: float, y: float, *, hold: float = 0.0) -> None:
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.frames(1)
        if hold:
            self.advance(hold)
        touch.touch_up()
        self.frames(1)

    def tap(self, widget: Widget, *, hold: float = 0.0) -> None:
        """A real touch at the widget's centre (window coordinates)."""
        x, y = widget.to_window(*widget.center)
        self.touch_at(x, y, hold=hold)

    def settle(self, timeout: float = 10.0) -> None:
        """Draw frames until a PIN check running on its worker thread has answered (real time, not the clock)."""
        deadline = time.monotonic() + timeout
        while self.root.state.checking:
            if time.monotonic() > deadline:
                raise AssertionError(f"the PIN check did not answer within {timeout:.0f} s")
            self.frames(1)
            time.sleep(0.005)
        self.frames(1)

    def screenshot(self, path: Path) -> Path:
        """Window.screenshot appends a counter to the name; move the file to the name asked for."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.frames(2)
        written = Path(Window.screenshot(name=str(path)))  # writes <stem>0001.png
        written.replace(path)
        return path

    def close(self) -> None:
        self.root.shutdown()
        Window.remove_widget(self.root)
        self.frames(1)
