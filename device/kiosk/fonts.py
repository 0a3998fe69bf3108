"""The kiosk's fonts: one per script, chosen from the text a label shows.

- Arabic, and a line mixing Arabic and Latin: Noto Sans Arabic from the pip package
  ``fontpkg-noto-sans-arabic`` (it has Latin letters and digits too); bold Arabic:
  Noto Sans Arabic Bold; Latin-script languages (en, tl, id): Noto Sans.
- Urdu: Noto Nastaliq Urdu; Hindi: Noto Sans Devanagari; Bengali: Noto Sans
  Bengali; all three from Debian's ``fonts-noto-core`` (dev.sh and
  deploy/pi/setup-pi.sh install it). Nothing is ever downloaded at run time.

The Debian script fonts have no Latin letters, and Pillow (the ``pil`` text
provider, see ``device.kiosk.app.prepare_kivy``) does not fall back from one font
to another, so Latin inside Devanagari or Bengali text (an employee's English
name) is drawn with the Latin font through Kivy markup runs (``font_runs``).
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

FONT_NAME = "TaqyeemSans"  # Arabic and Latin together (regular only)
ARABIC_FONT = "TaqyeemArabic"  # Arabic (with digits): bold from fonts-noto-core
LATIN_FONT = "TaqyeemLatin"  # Latin only: Noto Sans, regular and bold
URDU_FONT = "TaqyeemUrdu"  # Noto Nastaliq Urdu
NOTO_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/noto"))
NOTO_ENV = "TAQYEEM_NOTO_DIR"  # another folder holding the Noto .ttf files, if a system keeps them elsewhere

# Registered name -> (regular, bold) file names in fonts-noto-core.
SCRIPT_FONTS = {
    LATIN_FONT: ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    URDU_FONT: ("NotoNastaliqUrdu-Regular.ttf", "NotoNastaliqUrdu-Bold.ttf"),
    "TaqyeemDevanagari": ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    "TaqyeemBengali": ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
}
DEVANAGARI = range(0x0900, 0x0980)
BENGALI = range(0x0980, 0x0A00)
# Letters Urdu writes and Arabic does not (Farsi yeh, yeh barree, heh goal, noon ghunna, tteh, ddal, rreh, do-chashmee).
URDU_ONLY = set("\u06cc\u06d2\u06c1\u06ba\u0679\u0688\u0691\u06be\u06d3\u06c3")


class FontMissing(RuntimeError):
    """A font file the kiosk needs is not installed; the text says which package to install."""


def font_path() -> Path:
    """The Arabic and Latin .ttf inside the installed ``fontpkg-noto-sans-arabic`` package."""
    folder = files("fontpkg_noto_sans_arabic") / "files"
    fonts = sorted((p for p in folder.iterdir() if p.name.endswith(".ttf")), key=lambda p: p.name)
    if not fonts:
        raise FontMissing("fontpkg-noto-sans-arabic has no .ttf; reinstall it: pip install fontpkg-noto-sans-arabic")
    return Path(str(fonts[0]))


def noto_file(name: str) -> Path:
    """A file of Debian's fonts-noto-core, looked for where Debian puts it (or in $TAQYEEM_NOTO_DIR)."""
    folders = [Path(os.environ[NOTO_ENV])] if os.environ.get(NOTO_ENV) else []
    for folder in [*folders, *NOTO_DIRS]:
        if (folder / name).is_file():
            return folder / name
    looked = ", ".join(str(f) for f in [*folders, *NOTO_DIRS])
    raise FontMissing(f"font {name} not found in {looked}; install it: sudo apt-get install fonts-noto-core")


def check_fonts() -> None:
    """Every font file the kiosk draws with is installed, or ``FontMissing`` names the package to install."""
    font_path()
    noto_file("NotoSansArabic-Bold.ttf")
    for regular, bold in SCRIPT_FONTS.values():
        noto_file(regular)
        noto_file(bold)


def register_font() -> str:
    from kivy.core.text import Label, LabelBase

    _check_shaping(Label.__name__)
    LabelBase.register(name=FONT_NAME, fn_regular=str(font_path()))
    # The pip font is variable, which the pil provider draws at its default weight only: a bold
    # Arabic label takes Debian's static bold (same design), which has digits but no Latin.
    LabelBase.register(name=ARABIC_FONT, fn_regular=str(font_path()), fn_bold=str(noto_file("NotoSansArabic-Bold.ttf")))
    for name, (regular, bold) in SCRIPT_FONTS.items():
        LabelBase.register(name=name, fn_regular=str(noto_file(regular)), fn_bold=str(noto_file(bold)))
    return FONT_NAME


def _check_shaping(provider: str) -> None:
    """Say plainly when this kiosk cannot shape Urdu, Hindi or Bengali (it still runs)."""
    import logging

    log = logging.getLogger("taqyeem.kiosk")
    if provider != "LabelPIL":
        log.warning("text provider %s cannot shape Urdu, Hindi or Bengali; run with KIVY_TEXT=pil", provider)
        return
    from PIL import features

    if not features.check("raqm"):
        log.warning("Pillow has no libraqm: Urdu, Hindi and Bengali will not be shaped; pip install -U pillow")


def font_for(text: str, lang: str = "") -> str:
    """The registered font for a text: by the first Devanagari or Bengali letter, else by Urdu's
    own letters or the visitor's language being Urdu (so all the Urdu screen is in Nastaliq)."""
    for ch in text:
        if ord(ch) in DEVANAGARI:
            return "TaqyeemDevanagari"
        if ord(ch) in BENGALI:
            return "TaqyeemBengali"
    if URDU_ONLY.intersection(text) or (lang == "ur" and any(0x0600 <= ord(ch) < 0x0700 for ch in text)):
        return URDU_FONT
    arabic = any(0x0600 <= ord(ch) < 0x0700 for ch in text)
    latin = any(ch.isascii() and (ch.isalpha() or ch == "?") for ch in text)
    if arabic and latin:
        return FONT_NAME
    return ARABIC_FONT if arabic else LATIN_FONT


def needs_runs(text: str, font: str) -> bool:
    """Latin letters inside text drawn with a script font that has none."""
    return font in ("TaqyeemDevanagari", "TaqyeemBengali") and any(ch.isascii() and ch.isalpha() for ch in text)


def font_runs(text: str) -> str:
    """Kivy markup: each run of Latin letters (with the spaces inside it) in the Latin font, the rest escaped."""
    out: list[str] = []
    run = ""
    for ch in text:
        latin = ch.isascii() and ch.isalpha()
        if latin or (run and ch == " "):
            run += ch
            continue
        if run:
            out.append(_latin(run))
            run = ""
        out.append(escape_markup(ch))
    if run:
        out.append(_latin(run))
    return "".join(out)


def escape_markup(text: str) -> str:
    """Kivy markup's own escapes (as ``kivy.utils.escape_markup``; this module imports no Kivy)."""
    return text.replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")


def _latin(run: str) -> str:
    stripped = run.rstrip(" ")
    return f"[font={FONT_NAME}]{escape_markup(stripped)}[/font]" + " " * (len(run) - len(stripped))
