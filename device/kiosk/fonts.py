"""The kiosk's one font: Noto Sans Arabic (Arabic and Latin), shipped as a pip dependency."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

FONT_NAME = "TaqyeemSans"


def font_path() -> Path:
    """The .ttf inside the installed ``fontpkg-noto-sans-arabic`` package."""
    folder = files("fontpkg_noto_sans_arabic") / "files"
    fonts = sorted(p for p in folder.iterdir() if p.name.endswith(".ttf"))
    if not fonts:
        raise RuntimeError("fontpkg-noto-sans-arabic has no .ttf; reinstall it: pip install fontpkg-noto-sans-arabic")
    return Path(str(fonts[0]))


def register_font() -> str:
    from kivy.core.text import LabelBase

    LabelBase.register(name=FONT_NAME, fn_regular=str(font_path()))
    return FONT_NAME
