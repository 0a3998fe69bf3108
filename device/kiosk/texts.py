"""The staff screens' words, Arabic and English side by side, from the staff catalogs (the visitor's: translations)."""

from __future__ import annotations

from device.kiosk.translations import MODULES, face_words, load_catalog, messages_of
from device.kiosk.translations import text as text

# Faces run 1 (very dissatisfied) at the left to 5 (very satisfied) at the right
# in EVERY language; the row is never mirrored for a right-to-left one (see widgets/faces.py).
# The visitor's words live in device/kiosk/locale/<lang>/LC_MESSAGES/kiosk.po (device/kiosk/translations.py).
FACE_WORDS: dict[str, tuple[str, ...]] = {code: face_words(code) for code in MODULES}

# The staff screens are for ministry staff: Arabic and English side by side, not switched.
# "Arabic  ·  English" on one line: the Arabic reads first (at the right), the English after it.
# No punctuation at the end of such a line: in a right-to-left line it lands on the wrong side.
# Each half is an entry of the staff catalogs (device/kiosk/locale/{ar,en}/LC_MESSAGES/staff.po).
SIDE_BY_SIDE = "  ·  "
STACKED = ("staff_key", "desk_settings", "previous", "next")  # Arabic above English: narrow keys
ARABIC, ENGLISH = (load_catalog(lang, domain="staff") for lang in ("ar", "en"))
_ARABIC_HALVES = messages_of(ARABIC)
HALVES: dict[str, tuple[str, str]] = {key: (_ARABIC_HALVES[key], text) for key, text in messages_of(ENGLISH).items()}


def both(key: str) -> str:
    """The staff text ``key`` as "Arabic  ·  English" (or Arabic above English for the narrow keys)."""
    ar, en = HALVES[key]
    return f"{ar}\n{en}" if key in STACKED else f"{ar}{SIDE_BY_SIDE}{en}"


def _staff() -> dict[str, str]:
    """Every staff screen's line by key, as the screens show it."""
    lines = {key: both(key) for key in HALVES if not key.startswith(("enrol_", "pin_unset"))}
    # "The desk has no PIN": what to run on the tablet, the command on a line of its own.
    lines["pin_unset"] = "\n".join(
        (both("pin_unset"), both("pin_unset_run"), "sudo taqyeem-device set-pin", both("pin_unset_restart"))
    )
    # Filled later by name (the employee's two names; the wait in each language: locked_for).
    for key, value in (("now_serving", "name"), ("employee_locked", "time")):
        ar, en = HALVES[key]
        lines[key] = ar.format(**{value: "{ar}"}) + SIDE_BY_SIDE + en.format(**{value: "{en}"})
    return lines


STAFF: dict[str, str] = _staff()


def stacked(line: str) -> str:
    """ "Arabic  ·  English" as two lines, for a label too narrow for both (each wraps on its own)."""
    return line.replace(SIDE_BY_SIDE, "\n")


def minutes_phrase(minutes: int) -> tuple[str, str]:
    """ "5 دقائق" / "5 minutes": Arabic counts take the singular, the dual or the plural (the plural forms)."""
    ar, en = (catalog.ngettext("minutes", "minutes", minutes).format(n=minutes) for catalog in (ARABIC, ENGLISH))
    return ar, en


def locked_for(minutes: int) -> str:
    ar, en = minutes_phrase(minutes)
    return STAFF["employee_locked"].format(ar=ar, en=en)
