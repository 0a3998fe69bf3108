"""The speaker button's voice: plays the prompt files (``sounds.py``) through Kivy's SoundLoader.

The current language's files are loaded when the language changes (``prepare``,
called on every render: cheap when nothing changed), so a tap plays a sound already
in memory. One prompt plays after the other; a new tap, another screen or the
visitor's next step stops them. A missing or unreadable file is skipped, logged
once, and never stops the flow: the kiosk is silent there. Volume is the desk
config's ``volume`` (0 to 100).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from device.kiosk import sounds
from shared.contract import DeviceConfig

if TYPE_CHECKING:
    from kivy.core.audio import Sound

log = logging.getLogger("taqyeem.kiosk")


class Player:
    """The seam around SoundLoader: tests wrap it to see which files were asked to play."""

    def load(self, path: Path) -> Sound | None:
        from kivy.core.audio import SoundLoader  # Kivy on import only in root, screens and widgets

        return SoundLoader.load(str(path))

    def play(self, sound: Sound, path: Path) -> None:
        sound.play()


class Voice:
    def __init__(self, sounds_dir: Path, player: Player | None = None) -> None:
        self.sounds_dir = sounds_dir
        self.player = player or Player()
        self.loaded: dict[str, Sound | None] = {}  # relative name -> sound (None: missing, logged once)
        self._lang: str | None = None
        self._reasons: tuple[str, ...] = ()
        self._queue: list[str] = []
        self._playing: Sound | None = None
        self._screen: str | None = None
        self.volume = 0.8

    # ----- what the kiosk calls ----------------------------------------------------------------

    def prepare(self, lang: str, config: DeviceConfig, screen: str) -> None:
        """Load ``lang``'s files if the language (or the reasons) changed; stop speaking on another screen."""
        self.volume = config.volume / 100
        if screen != self._screen:
            self._screen = screen
            self.stop()
        reasons = tuple(r.code for r in config.reasons)
        if (lang, reasons) == (self._lang, self._reasons):
            return
        if lang != self._lang:
            self.stop()
        self._lang, self._reasons = lang, reasons
        names = sounds.rating_prompts(lang) + sounds.followup_prompts(lang, config.reasons)
        for name in names:
            if name not in self.loaded:
                self.loaded[name] = self._load(name)

    def say(self, names: list[str]) -> None:
        """Play ``names`` one after the other, from the first present one; a tap while speaking starts again."""
        self.stop()
        self._queue = list(names)
        self._next()

    def stop(self) -> None:
        self._queue = []
        playing, self._playing = self._playing, None
        if playing is not None:
            playing.unbind(on_stop=self._finished)
            playing.stop()

    @property
    def speaking(self) -> bool:
        return self._playing is not None

    # ----- inside ------------------------------------------------------------------------------

    def _load(self, name: str) -> Sound | None:
        path = self.sounds_dir / name
        if not path.is_file():
            log.info("no sound file %s: the kiosk is silent there", path)
            return None
        try:
            sound = self.player.load(path)
        except Exception:
            log.exception("could not load the sound file %s", path)
            return None
        if sound is None or not sound.length:  # SDL2 returns a sound of length 0 for a file it cannot read
            log.warning("could not load the sound file %s (not a WAV file?): the kiosk is silent there", path)
            return None
        return sound

    def _next(self) -> None:
        while self._queue:
            name = self._queue.pop(0)
            if name not in self.loaded:
                self.loaded[name] = self._load(name)
            sound = self.loaded[name]
            if sound is None:
                continue
            sound.volume = self.volume
            sound.bind(on_stop=self._finished)
            self._playing = sound
            try:
                self.player.play(sound, self.sounds_dir / name)
            except Exception:
                log.exception("could not play the sound file %s", self.sounds_dir / name)
                sound.unbind(on_stop=self._finished)
                self._playing = None
                continue
            return

    def _finished(self, sound: Sound) -> None:
        sound.unbind(on_stop=self._finished)
        if sound is self._playing:
            self._playing = None
            self._next()
