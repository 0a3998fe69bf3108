"""The languages visitors rated in (pure): each language by its own name, and its share of a report's ratings.

A rating's ``lang`` is a BCP 47 primary subtag (contract 1.1: any language the desk
offers). The reports show each by its own name, never a flag, whatever the page's
language: a supervisor sees "اردو" on the English page too. A code not listed here
is shown as the code; a rating without one (``lang`` null) is counted under ``und``
(BCP 47's "undetermined").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.languages import OWN_NAMES

UNDETERMINED = "und"
_NOT_GIVEN = {"ar": "غير محددة", "en": "not given"}
RIGHT_TO_LEFT = {"ar", "ur", "fa", "ps", "he", "ckb", "sd", "ug", "yi", "dv"}


def language_name(code: str, page_lang: str = "en") -> str:
    """The language's own name (``ur`` -> اردو); an unknown code as itself; ``und`` in the page's language."""
    if code == UNDETERMINED:
        return _NOT_GIVEN.get(page_lang, _NOT_GIVEN["en"])
    return OWN_NAMES.get(code, code)


def language_dir(code: str) -> str:
    """``rtl`` for a language written right to left, else ``ltr`` (for the name's ``dir`` on a page)."""
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def language_shares(counts: Mapping[str | None, int]) -> dict[str, dict[str, Any]]:
    """{code: {name, count, share}}, most ratings first (then the shipped order, other codes, ``und`` last).

    ``counts`` maps a rating's ``lang`` (None: not given) to how many ratings had it; shares
    are of all of them, rounded to 4 places, so they sum to 1 give or take the rounding.
    """
    merged: dict[str, int] = {}
    for code, n in counts.items():
        key = code or UNDETERMINED
        merged[key] = merged.get(key, 0) + n
    total = sum(merged.values())
    order = list(OWN_NAMES)

    def rank(code: str) -> tuple[int, int, str]:
        place = order.index(code) if code in order else len(order) + (code == UNDETERMINED)
        return (-merged[code], place, code)

    return {
        code: {"name": language_name(code), "count": merged[code], "share": round(merged[code] / total, 4)}
        for code in sorted(merged, key=rank)
        if merged[code]
    }
