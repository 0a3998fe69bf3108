"""The desk's roster for the sign-in screen: who may sign in, in what order, a page at a time. Pure.

The names come from the DeviceConfig's ``staff`` (PROTOCOL 1.1), which the
collector's employee registry fills for the desk's site. A site may have about
sixty names, so the screen shows them a page at a time (a kiosk acts on
touch-down, so it does not scroll).
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.contract import StaffMember

PER_PAGE = 12  # 3 columns x 4 rows of large buttons on the 800 x 480 display

# Letters an Arabic reader files together: the hamza forms of alef, and the final forms of ta and ya.
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None})


def arabic_sort_key(name: str) -> str:
    """A key that orders Arabic names as a reader expects (أحمد beside احمد, not before every alef)."""
    return " ".join(name.translate(_ARABIC_FOLD).split())


def sorted_roster(staff: Sequence[StaffMember], lang: str) -> list[StaffMember]:
    """By the name in ``lang`` (the desk's default language), then by staff number."""
    if lang == "ar":
        return sorted(staff, key=lambda m: (arabic_sort_key(m.name_ar), m.employee_id))
    return sorted(staff, key=lambda m: (m.name_en.casefold(), m.employee_id))


def page_count(total: int, per_page: int = PER_PAGE) -> int:
    return max(1, -(-total // per_page))


def page_of(members: Sequence[StaffMember], page: int, per_page: int = PER_PAGE) -> list[StaffMember]:
    """The names on ``page`` (0-based; clamped to the pages there are)."""
    page = min(max(page, 0), page_count(len(members), per_page) - 1)
    return list(members[page * per_page : (page + 1) * per_page])


def name_of(member: StaffMember | None, lang: str) -> str | None:
    if member is None:
        return None
    return member.name_ar if lang == "ar" else member.name_en


def badge_id(typed: str) -> str:
    """What a badge reader or keyboard typed, without the spaces and control characters around it."""
    return "".join(ch for ch in typed if ch.isprintable()).strip()
