from __future__ import annotations

from typing import TYPE_CHECKING

from kivy.properties import BooleanProperty
from kivy.uix.screenmanager import Screen

if TYPE_CHECKING:
    from device.kiosk.root import KioskRoot


class KioskScreen(Screen):
    large = BooleanProperty(False)  # this visitor's large text and high contrast (widgets/access.py)

    def show(self, root: KioskRoot) -> None:
        """Copy what this screen displays from the root's state (called on every change)."""
