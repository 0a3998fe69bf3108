"""Draws the visitor's choices (``device/kiosk/visitor_options.py``) over the kiosk's current screen,
and speaks its prompts when the speaker button is tapped (``device/kiosk/voice.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kivy.clock import Clock

from device.kiosk import flow, sounds
from device.kiosk.visitor_options import offered
from device.kiosk.voice import Voice
from device.kiosk.widgets import access
from device.kiosk.widgets.languages import LanguageList

if TYPE_CHECKING:
    from device.kiosk.root import KioskRoot

VISITOR_SCREENS = ("idle", "rating", "followup", "callback", "callback_number", "survey", "thanks")


class VisitorLayer:
    """Draws the language list and large text over the root's current screen, from the flow's state."""

    def __init__(self, root: KioskRoot) -> None:
        self.root = root
        self.list = LanguageList(choose=root.choose_language)
        settings = root.core.settings
        hop = lambda job: Clock.schedule_once(lambda _dt: job())  # noqa: E731 - the worker's way back to Kivy
        self.voice = Voice(settings.sounds_path(), made_dir=settings.made_sounds_path(), schedule=hop, now=root.now)

    def speak(self) -> None:
        """The speaker button: the rating screen's question and faces, or the follow-up's title and reasons."""
        root = self.root
        root.apply(flow.still_here(root.state, root.now(), root.timings))  # listening counts as being here
        state, config = root.state, root.core.config
        if state.screen == "rating":
            self.voice.say(sounds.rating_prompts(state.lang))
        elif state.screen == "followup":
            self.voice.say(sounds.followup_prompts(state.lang, config.reasons))
        self.refresh()

    def refresh(self) -> None:
        """The speaker button shows what its voice is doing (making, speaking, or briefly "no sound")."""
        button = self.root.manager.current_screen.ids.get("speaker_button")
        if button is not None:
            button.voice_state = self.voice.state

    def show(self) -> None:
        root, state = self.root, self.root.state
        self.voice.prepare(state.lang, root.core.config, state.screen)  # loads a newly chosen language's files
        if state.screen in VISITOR_SCREENS:  # the staff's screens stay Arabic and English, normal size
            access.apply(root.manager.current_screen, state.large, state.lang)
        self.refresh()
        wanted = state.languages_open and state.screen in VISITOR_SCREENS
        if wanted:
            self.list.languages = list(offered(root.core.config))
            self.list.current = state.lang
            if self.list.parent is None:
                root.add_widget(self.list)
        elif self.list.parent is not None:
            root.remove_widget(self.list)
