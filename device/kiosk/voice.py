"""The speaker button's voice: plays the prompt files (``sounds.py``) through Kivy's SoundLoader.

Nothing is loaded at the kiosk's start: a language's files are loaded when a visitor
chooses it (``prepare``, called on every render: cheap when nothing changed) or at the
first tap. A prompt with no file, in the sounds folder or the kiosk's cache, is made with
espeak-ng at that first tap, on a worker thread (``sounds.make_prompts``), and played
when it is ready; the button shows ``making`` meanwhile. When there is nothing to play
(espeak-ng cannot speak the language, a broken file) the button shows ``silent`` for
``SILENT_S``: the visitor sees the tap was heard. One prompt plays after the other; a new
tap, another screen or the visitor's next step stops them. A missing file never stops
the flow. Volume is the desk config's ``volume`` (0 to 100).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from device.kiosk import sounds
from shared.contract import DeviceConfig, ReasonLabel

if TYPE_CHECKING:
    from kivy.core.audio import Sound

log = logging.getLogger("taqyeem.kiosk")

SILENT_S = 2.0  # how long the button shows "no sound" after a tap with nothing to play
Schedule = Callable[[Callable[[], None]], None]  # runs a job on the UI thread (Kivy's Clock in the kiosk)


class Player:
    """The seam around SoundLoader: tests wrap it to see which files were asked to play."""

    def load(self, path: Path) -> Sound | None:
        from kivy.core.audio import SoundLoader  # Kivy on import only in root, screens and widgets

        return SoundLoader.load(str(path))

    def play(self, sound: Sound, path: Path) -> None:
        sound.play()


class Voice:
    def __init__(
        self,
        sounds_dir: Path,
        player: Player | None = None,
        *,
        made_dir: Path | None = None,
        schedule: Schedule | None = None,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sounds_dir = sounds_dir
        self.made_dir = made_dir  # None: never make a missing prompt
        self.player = player or Player()
        self.schedule: Schedule = schedule or (lambda job: job())
        self.now = now
        self.loaded: dict[str, Sound | None] = {}  # relative name -> sound (None: missing, logged once)
        self._lang: str | None = None
        self._reasons: tuple[ReasonLabel, ...] = ()
        self._queue: list[str] = []
        self._playing: Sound | None = None
        self._screen: str | None = None
        self._making: object | None = None  # the tap whose prompts the worker is making
        self.silent_until = float("-inf")
        self.volume = 0.8

    # ----- what the kiosk calls ----------------------------------------------------------------

    @property
    def state(self) -> str:
        """What the speaker button shows: ``making``, ``speaking``, ``silent`` (briefly) or ``idle``."""
        if self._making is not None:
            return "making"
        if self._playing is not None:
            return "speaking"
        return "silent" if self.now() < self.silent_until else "idle"

    def prepare(self, lang: str, config: DeviceConfig, screen: str) -> None:
        """Stop speaking on another screen or language; load a language a visitor chose (never at start)."""
        self.volume = config.volume / 100
        self._reasons = tuple(config.reasons)
        if screen != self._screen:
            self._screen = screen
            self.stop()
        if lang == self._lang:
            return
        first, self._lang = self._lang is None, lang
        self.stop()
        if first:
            return  # the kiosk's start: no sound work before the first frame
        for name in sounds.rating_prompts(lang) + sounds.followup_prompts(lang, self._reasons):
            if name not in self.loaded and self._file(name) is not None:
                self.loaded[name] = self._load(name)
    def say(self, names: list[str]) -> None:
        """Play ``names`` one after the other, from the first present one; a tap while speaking starts again.

        Missing ones espeak-ng can make are made first, off the UI thread; nothing to play: ``silent``.
        """
        self.stop()
        lang = self._lang or ""
        missing = [name for name in names if self._file(name) is None]
        if missing and self.made_dir is not None and sounds.can_make(lang):
            self._make(names, missing, lang)
            return
        self._play(names)

    def stop(self) -> None:
        self._queue = []
        self._making = None  # a prompt being made is kept for next time, but not played
        playing, self._playing = self._playing, None
        if playing is not None:
            playing.unbind(on_stop=self._finished)
            playing.stop()

    @property
    def speaking(self) -> bool:
        return self._playing is not None

    # ----- inside ------------------------------------------------------------------------------

    def _play(self, names: list[str]) -> None:
        self._queue = list(names)
        self._next()
        if self._playing is None:
            self.silent_until = self.now() + SILENT_S

    def _make(self, names: list[str], missing: list[str], lang: str) -> None:
        tap = self._making = object()
        folder, reasons = self.made_dir, self._reasons
        assert folder is not None

        def work() -> None:
            try:
                made = sounds.make_prompts(folder, lang, reasons, missing)
                log.info("made %d spoken prompts for %s with espeak-ng in %s", len(made), lang, folder)
            except Exception:
                log.exception("could not make the spoken prompts %s", ", ".join(missing))
            self.schedule(lambda: self._made(tap, names))

        threading.Thread(target=work, name="taqyeem-prompts", daemon=True).start()

    def _made(self, tap: object, names: list[str]) -> None:
        """Back on the UI thread: play the tap's prompts, unless the visitor moved on meanwhile."""
        for name in names:
            if self.loaded.get(name, True) is None:
                del self.loaded[name]  # missing before: look again
        if self._making is not tap:
            return
        self._making = None
        self._play(names)

    def _file(self, name: str) -> Path | None:
        """The prompt's file: the centre's or shipped one in the sounds folder, else one the kiosk made."""
        for folder in (self.sounds_dir, self.made_dir):
            if folder is not None and (folder / name).is_file():
                return folder / name
        return None

    def _load(self, name: str) -> Sound | None:
        path = self._file(name)
        if path is None:
            log.info("no sound file %s: the kiosk is silent there", self.sounds_dir / name)
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
                self.player.play(sound, self._file(name) or self.sounds_dir / name)
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
