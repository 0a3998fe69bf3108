from __future__ import annotations

from typing import TYPE_CHECKING

from kivy.uix.screenmanager import Screen

if TYPE_CHECKING:
    from device.kiosk.root import KioskRoot


class KioskScreen(Screen):
    def show(self, root: KioskRoot) -> None:
        """Copy what this screen displays from the root's state (called on every change)."""
