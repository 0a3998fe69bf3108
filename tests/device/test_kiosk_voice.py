"""The speaker button in a real Kivy window: real WAV files through Kivy's SoundLoader (SDL's dummy
audio driver, set by prepare_kivy, where the machine has no sound device), and espeak-ng's shipped set.

The seam is ``device.kiosk.voice.Player``: the test's player still loads and plays the
real files, and writes down which ones it was asked to play.
"""

from __future__ import annotations

import logging
import time
import wave
from pathlib import Path

import pytest

from device.kiosk import sounds, translations  # no Kivy here: test_kiosk's prepare_kivy runs first
from tests.device import test_kiosk
from tests.device.test_kiosk import DESK, send_reasons, stored, tap_face, to_faces

make_kiosk = test_kiosk.make_kiosk  # the same fixture: a kiosk window on a real DeviceCore, no broker

EVERY = DESK.model_copy(update={"languages": ["ar", "en", "ur", "hi", "bn", "tl", "id"]})


def tiny_wav(path: Path, seconds: float = 0.02) -> None:
    """A short silent WAV (22.05 kHz, 16 bit, mono): a real file SoundLoader loads and plays."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(22050)
        out.writeframes(b"\0\0" * int(22050 * seconds))


def every_prompt(folder: Path, lang: str, config=DESK) -> list[str]:
    names = sounds.rating_prompts(lang) + sounds.followup_prompts(lang, config.reasons)
    for name in names:
        tiny_wav(folder / name)
    return names


class Recording:
    """Loads and plays through Kivy's SoundLoader like the kiosk's own player, and remembers what it played."""

    def __init__(self, real) -> None:
        self.real = real
        self.played: list[str] = []
        self.sounds: list = []

    def load(self, path: Path):
        return self.real.load(path)

    def play(self, sound, path: Path) -> None:
        self.played.append(path.relative_to(path.parents[1]).as_posix())  # "<lang>/<name>.wav"
        self.sounds.append(sound)
        self.real.play(sound, path)


def listen(kiosk) -> Recording:
    voice = kiosk.root.visitor.voice
    voice.player = Recording(voice.player)
    return voice.player


def pump_until(kiosk, condition, what: str, timeout: float = 10.0) -> None:
    """Draw frames in real time (SDL reports a sound's end through Kivy's Clock); the kiosk's clock stays."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        kiosk.frames(1)
        time.sleep(0.01)


def speak(kiosk) -> None:
    kiosk.tap(kiosk.current.ids.speaker_button)


@pytest.mark.parametrize("lang", ["ar", "en", "ur"])
def test_the_speaker_says_the_question_then_each_face_in_the_visitors_language(make_kiosk, tmp_path, lang):
    folder = tmp_path / "sounds"
    for code in ("ar", "en", "ur"):
        every_prompt(folder, code)
    kiosk = make_kiosk(config=EVERY, sounds_dir=folder)
    heard = listen(kiosk)
    to_faces(kiosk)
    assert kiosk.root.visitor.voice.loaded == {}  # no sound work at the kiosk's start
    if lang != "ar":
        kiosk.tap(kiosk.current.ids.lang_button)
        kiosk.tap(kiosk.root.visitor.list.button(lang))
        assert kiosk.root.visitor.voice.loaded[sounds.question(lang)] is not None  # preloaded when chosen
    speak(kiosk)
    assert heard.played[:1] == [f"{lang}/question.wav"]  # the first one at the tap itself (0.02 s: it may be over)
    pump_until(kiosk, lambda: len(heard.played) == 6, "the five face words")
    assert heard.played == [f"{lang}/question.wav", *(f"{lang}/face-{s}.wav" for s in range(1, 6))]
    assert all(s.volume == pytest.approx(EVERY.volume / 100) for s in heard.sounds)
    tap_face(kiosk, 5)  # speaking never holds the visitor up
    assert kiosk.screen == "thanks"
    assert [r.lang for r in stored(kiosk)] == [lang]


def test_the_followup_speaker_says_the_title_then_the_reasons_in_the_configs_order(make_kiosk, tmp_path):
    folder = tmp_path / "sounds"
    every_prompt(folder, "en")
    kiosk = make_kiosk(sounds_dir=folder, config=DESK.model_copy(update={"default_lang": "en", "volume": 30}))
    heard = listen(kiosk)
    to_faces(kiosk)
    tap_face(kiosk, 1)
    assert kiosk.screen == "followup"
    kiosk.advance(test_kiosk.T.followup_s - 2)
    speak(kiosk)  # listening to the reasons counts as being there: the screen waits again
    kiosk.advance(10)
    assert kiosk.screen == "followup"
    codes = [r.code for r in DESK.reasons]
    pump_until(kiosk, lambda: len(heard.played) == 1 + len(codes), "every reason")
    assert heard.played == ["en/followup.wav", *(f"en/reason-{code}.wav" for code in codes)]
    assert heard.sounds[0].volume == pytest.approx(0.30)  # the desk config's volume
    kiosk.tap(kiosk.current.chip(codes[0]))
    send_reasons(kiosk)
    assert [r.reasons for r in stored(kiosk)] == [[codes[0]]]


def test_a_new_screen_stops_the_voice(make_kiosk, tmp_path):
    folder = tmp_path / "sounds"
    for name in every_prompt(folder, "ar"):
        tiny_wav(folder / name, seconds=2.0)
    kiosk = make_kiosk(sounds_dir=folder)
    heard = listen(kiosk)
    to_faces(kiosk)
    speak(kiosk)
    assert kiosk.root.visitor.voice.speaking
    tap_face(kiosk, 4)
    assert not kiosk.root.visitor.voice.speaking
    kiosk.frames(5)
    assert heard.played == ["ar/question.wav"]


def test_missing_sound_files_leave_the_kiosk_silent_and_working(make_kiosk, tmp_path, caplog):
    folder = tmp_path / "sounds"
    every_prompt(folder, "en")
    (folder / "en" / "face-3.wav").unlink()
    (folder / "en" / "face-4.wav").write_bytes(b"not a sound")
    caplog.set_level(logging.INFO, logger="taqyeem.kiosk")
    kiosk = make_kiosk(sounds_dir=folder, config=EVERY.model_copy(update={"default_lang": "en"}))
    kiosk.root.visitor.voice.made_dir = None  # as on a tablet without espeak-ng: nothing is made
    heard = listen(kiosk)
    to_faces(kiosk)
    speak(kiosk)
    pump_until(kiosk, lambda: len(heard.played) == 4, "the files that are there")
    kiosk.frames(5)
    assert heard.played == ["en/question.wav", "en/face-1.wav", "en/face-2.wav", "en/face-5.wav"]
    kiosk.tap(kiosk.current.ids.lang_button)
    kiosk.tap(kiosk.root.visitor.list.button("hi"))  # no Hindi files at all
    speak(kiosk)
    speak(kiosk)
    kiosk.frames(3)
    assert heard.played[4:] == []
    assert kiosk.current.ids.speaker_button.voice_state == "silent"  # the tap was heard: "no sound"
    said = [r.getMessage() for r in caplog.records if "no sound file" in r.getMessage()]
    assert sum("hi/question.wav" in line for line in said) == 1  # logged once, not at every tap
    assert sum("en/face-3.wav" in line for line in said) == 1
    tap_face(kiosk, 2)
    assert kiosk.screen == "followup"
    speak(kiosk)
    send_reasons(kiosk)
    assert kiosk.screen == "thanks"
    assert [(r.score, r.lang) for r in stored(kiosk)] == [(2, "hi")]


def test_without_a_sounds_folder_the_kiosk_rates_as_before(make_kiosk, tmp_path):
    kiosk = make_kiosk(sounds_dir=tmp_path / "nowhere")
    to_faces(kiosk)
    speak(kiosk)
    assert not kiosk.root.visitor.voice.speaking
    tap_face(kiosk, 5)
    assert len(stored(kiosk)) == 1


needs_espeak = pytest.mark.skipif(sounds.espeak_available() is not None, reason=str(sounds.espeak_available()))


@needs_espeak
def test_a_missing_prompt_is_made_with_espeak_ng_at_the_first_tap_off_the_ui_thread_then_played(make_kiosk, tmp_path):
    import threading

    kiosk = make_kiosk(sounds_dir=tmp_path / "empty", config=EVERY.model_copy(update={"default_lang": "en"}))
    voice = kiosk.root.visitor.voice
    heard = listen(kiosk)
    assert voice.loaded == {} and not voice.made_dir.exists()  # nothing made or loaded at the kiosk's start
    on_ui = threading.get_ident()
    makers: list[int] = []
    real_make = sounds.make_prompts

    def make(*args):
        makers.append(threading.get_ident())
        return real_make(*args)

    sounds.make_prompts = make
    try:
        speak(kiosk)
        button = kiosk.current.ids.speaker_button
        assert voice.state == "making" and button.voice_state == "making"  # the button says it is on its way
        pump_until(kiosk, lambda: len(heard.played) >= 1, "the question, made by espeak-ng", timeout=30)
    finally:
        sounds.make_prompts = real_make
    assert makers and on_ui not in makers  # made on a worker thread, the UI kept drawing
    assert heard.played[0] == "en/question.wav" and heard.sounds[0].length > 0.3
    kiosk.frames(1)  # the button follows its voice at the next tick
    assert button.voice_state == "speaking"
    made = sorted(p.relative_to(voice.made_dir).as_posix() for p in voice.made_dir.rglob("*.wav"))
    assert made == sorted(sounds.rating_prompts("en"))  # the cache, never the centre's sounds folder
    assert not (tmp_path / "empty").exists()
    tap_face(kiosk, 5)  # the visitor moves on: the voice stops
    assert not voice.speaking and [r.score for r in stored(kiosk)] == [5]


def test_a_tap_with_nothing_to_play_shows_no_sound_for_a_moment(make_kiosk, tmp_path):
    from device.kiosk.voice import SILENT_S

    kiosk = make_kiosk(sounds_dir=tmp_path / "empty", config=EVERY.model_copy(update={"default_lang": "tl"}))
    button = kiosk.current.ids.speaker_button
    assert button.voice_state == "idle"
    speak(kiosk)  # espeak-ng has no Tagalog voice, and nobody recorded one
    assert button.voice_state == "silent" and kiosk.root.visitor.voice.made_dir is not None
    kiosk.advance(SILENT_S - 0.5)
    assert button.voice_state == "silent"
    kiosk.advance(0.5)
    assert button.voice_state == "idle"
    assert not (kiosk.root.visitor.voice.made_dir / "tl").exists()


@needs_espeak
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_espeak_ng_makes_the_shipped_prompts_and_the_speaker_plays_them(make_kiosk, tmp_path, lang):
    why = sounds.voice_missing(lang)
    if why:
        pytest.skip(why)
    folder = tmp_path / "sounds"
    made = sounds.make_sounds(folder, [lang], DESK.reasons)
    names = sounds.rating_prompts(lang) + sounds.followup_prompts(lang, DESK.reasons)
    assert sorted(made.written) == sorted(folder / name for name in names)
    for name in names:
        with wave.open(str(folder / name)) as said:
            assert said.getnframes() > said.getframerate() * 0.1, f"{name} says nothing"
    kiosk = make_kiosk(sounds_dir=folder, config=EVERY.model_copy(update={"default_lang": lang}))
    heard = listen(kiosk)
    to_faces(kiosk)
    speak(kiosk)
    assert heard.played == [f"{lang}/question.wav"]
    assert heard.sounds[0].length > 0.3  # espeak-ng's spoken question, loaded by SoundLoader


@needs_espeak
def test_a_recorded_voice_is_kept_and_a_language_espeak_lacks_is_skipped_with_the_reason(tmp_path):
    folder = tmp_path / "sounds"
    recorded = folder / "en" / "question.wav"
    tiny_wav(recorded, seconds=0.5)
    before = recorded.read_bytes()
    made = sounds.make_sounds(folder, ["en", "tl"], DESK.reasons)
    assert recorded.read_bytes() == before and made.kept == [recorded]
    assert "tl" in made.skipped and "no voice" in made.skipped["tl"]
    assert not (folder / "tl").exists()
    again = sounds.make_sounds(folder, ["en"], DESK.reasons, overwrite=True)
    assert recorded in again.written and recorded.read_bytes() != before


def test_every_shipped_language_has_words_for_every_prompt():
    for lang in translations.MODULES:
        said = sounds.texts(lang, DESK.reasons)
        assert len(said) == 6 + 1 + len(DESK.reasons)
        assert all(words.strip() for words in said.values()), lang
