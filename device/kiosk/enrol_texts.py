"""The enrolment screen's words: Arabic first, then English, side by side (no Kivy), from the staff catalogs.

Each error kind of device/enrolment.py:EnrolmentError has a line saying what to do.
"""

from __future__ import annotations

from device.kiosk.texts import HALVES, both, stacked

TITLE = both("enrol_title")
PROMPT_AR, PROMPT_EN = HALVES["enrol_prompt"]
COLLECTOR = both("enrol_collector")
CHECKING = both("enrol_checking")
TYPE_ALL = both("enrol_type_all")
ENROLLED_TITLE = both("enrol_enrolled_title")
ENROLLED = both("enrol_device_id") + "\n{device_id}"
STARTING = both("enrol_starting")
TWO_LINES = ("unreachable", "untrusted")  # too long for one: Arabic above English
KINDS = ("wrong_code", "bad_code", "used_code", "too_many", "unreachable", "untrusted", "enrolled", "no_write")


def _error_line(kind: str) -> str:
    if kind == "bad_code":
        return TYPE_ALL
    line = both(f"enrol_{kind}")
    return stacked(line) if kind in TWO_LINES else line


ERRORS = {kind: _error_line(kind) for kind in KINDS}
FAILED = both("enrol_failed")


def error_text(kind: str, detail: str) -> str:
    """The line for an EnrolmentError's kind; an unforeseen one shows its detail under a general line."""
    return ERRORS.get(kind) or f"{FAILED}\n{detail}"


def enrolled_text(device_id: str, desk_ar: str | None, desk_en: str | None) -> str:
    lines = [ENROLLED.format(device_id=device_id)]
    if desk_ar and desk_en:
        lines.append(f"{desk_ar}  ·  {desk_en}")
    lines.append(STARTING)
    return "\n".join(lines)


def shown_code(typed: str, length: int = 12) -> str:
    """``7KQ2M9`` -> ``7KQ2-M9__-____``: what has been typed, and what is left."""
    padded = typed.ljust(length, "_")
    return "-".join(padded[i : i + 4] for i in range(0, length, 4))
