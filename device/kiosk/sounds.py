"""The kiosk's spoken prompts on disk: which file says what, and the shipped set made by espeak-ng (no Kivy).

One folder per language under the sounds directory (``DeviceSettings.sounds_dir``,
default ``<data_dir>/sounds``)::

    <lang>/question.wav          the rating question
    <lang>/face-1.wav .. face-5  each face's word, 1 (worst) to 5
    <lang>/reason-<code>.wav     each reason of the follow-up screen (its config code)
    <lang>/followup.wav          the follow-up screen's title

A centre replaces any file with a recorded voice (same name, a WAV file). A file
that is missing is made by the kiosk at its first use, off the UI thread, into its
cache (``make_prompts``, ``DeviceSettings.made_sounds_path``); where espeak-ng cannot
make it (not installed, no voice: Tagalog) the kiosk stays silent there. ``make_sounds`` writes
the shipped set with espeak-ng (offline; ``taqyeem-device make-sounds``, run by
deploy/pi/setup-pi.sh) for the languages espeak-ng speaks, and leaves a file a
centre recorded in place unless told to overwrite.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from device.kiosk import translations
from shared.contract import DEFAULT_REASONS, SHIPPED_LANGUAGES, ReasonLabel

log = logging.getLogger("taqyeem.kiosk")

ESPEAK = "espeak-ng"
# espeak-ng's voice for each shipped language; None: espeak-ng 1.51 (Debian 12) has no voice for it.
ESPEAK_VOICES: dict[str, str | None] = {
    "ar": "ar",
    "en": "en",
    "ur": "ur",
    "hi": "hi",
    "bn": "bn",
    "tl": None,  # no Tagalog (nor Filipino) voice in espeak-ng 1.51: a centre may record one
    "id": "id",
}
ESPEAK_SPEED = 140  # words a minute: slower than espeak-ng's 175, for a visitor at a desk
GENERATE_TIMEOUT_S = 30.0


def question(lang: str) -> str:
    return f"{lang}/question.wav"


def face(lang: str, score: int) -> str:
    return f"{lang}/face-{score}.wav"


def reason(lang: str, code: str) -> str:
    return f"{lang}/reason-{code}.wav"


def followup(lang: str) -> str:
    return f"{lang}/followup.wav"


def rating_prompts(lang: str) -> list[str]:
    """What the rating screen's speaker button says, in order: the question, then faces 1 to 5."""
    return [question(lang), *(face(lang, score) for score in range(1, 6))]


def followup_prompts(lang: str, reasons: Iterable[ReasonLabel]) -> list[str]:
    """What the follow-up screen's speaker button says: its title, then each reason in the config's order."""
    return [followup(lang), *(reason(lang, r.code) for r in reasons)]


def texts(lang: str, reasons: Sequence[ReasonLabel]) -> dict[str, str]:
    """Every prompt file of ``lang`` and the words it says, from the kiosk's translations."""
    said = {question(lang): translations.text("question", lang)}
    said[followup(lang)] = translations.text("followup_title", lang)
    for score, word in enumerate(translations.face_words(lang), start=1):
        said[face(lang, score)] = word
    for label in reasons:
        said[reason(lang, label.code)] = translations.reason_label(label.code, lang, list(reasons))
    return said


@dataclass
class Made:
    """What ``make_sounds`` did: files written, files kept (a centre's own), languages skipped and why."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def espeak_available() -> str | None:
    """Why espeak-ng cannot make sounds here, or None when it can."""
    return None if shutil.which(ESPEAK) else f"{ESPEAK} is not installed (Debian package espeak-ng)"


def voice_missing(lang: str) -> str | None:
    """Why espeak-ng cannot speak ``lang`` here, or None when it can."""
    voice = ESPEAK_VOICES.get(lang)
    if voice is None:
        return f"espeak-ng has no voice for {lang!r}"
    listed = subprocess.run([ESPEAK, f"--voices={voice}"], capture_output=True, text=True, timeout=GENERATE_TIMEOUT_S)
    if listed.returncode != 0 or len(listed.stdout.strip().splitlines()) < 2:  # a header line, then the voices
        return f"espeak-ng here has no voice {voice!r} for {lang!r}"
    return None


def make_sounds(
    sounds_dir: Path,
    languages: Iterable[str] = SHIPPED_LANGUAGES,
    reasons: Sequence[ReasonLabel] = DEFAULT_REASONS,
    *,
    overwrite: bool = False,
) -> Made:
    """Write the prompt files of each language espeak-ng speaks; skip (with the reason) the rest."""
    made = Made()
    missing = espeak_available()
    for lang in languages:
        why = missing or (None if lang in translations.MODULES else f"the kiosk has no translation for {lang!r}")
        why = why or voice_missing(lang)
        if why:
            made.skipped[lang] = why
            log.warning("no spoken prompts made for %s: %s", lang, why)
            continue
        for name, words in texts(lang, reasons).items():
            target = sounds_dir / name
            if target.exists() and not overwrite:
                made.kept.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            voice = ESPEAK_VOICES[lang] or lang
            command = [ESPEAK, "-v", voice, "-s", str(ESPEAK_SPEED), "-w", str(target), "--", words]
            subprocess.run(command, check=True, capture_output=True, timeout=GENERATE_TIMEOUT_S)
            made.written.append(target)
    return made


def can_make(lang: str) -> bool:
    """Whether espeak-ng here should be able to speak ``lang`` (no subprocess: cheap enough for a tap)."""
    return espeak_available() is None and ESPEAK_VOICES.get(lang) is not None and lang in translations.MODULES


def make_prompts(folder: Path, lang: str, reasons: Sequence[ReasonLabel], names: Iterable[str]) -> list[Path]:
    """Write the named prompt files of ``lang`` that are not in ``folder`` yet, with espeak-ng: the kiosk's
    first use of a missing prompt (run off the UI thread). Each file is written whole, then renamed."""
    said = texts(lang, reasons)
    voice = ESPEAK_VOICES[lang] or lang
    written = []
    for name in names:
        target = folder / name
        if target.is_file() or name not in said:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.part")  # never loaded half-written
        command = [ESPEAK, "-v", voice, "-s", str(ESPEAK_SPEED), "-w", str(partial), "--", said[name]]
        subprocess.run(command, check=True, capture_output=True, timeout=GENERATE_TIMEOUT_S)
        partial.replace(target)
        written.append(target)
    return written
