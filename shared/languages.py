"""Language codes of the contract (1.1): a rating's ``lang``, a desk's ``default_lang`` and ``languages``.

Any BCP 47 primary language subtag: two or three lowercase letters (``ar``, ``en``,
``ur``, ``fil``). The collector keeps any well-formed code as given; the kiosk offers
those it has translations for (``SHIPPED_LANGUAGES``).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, StrictStr

LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}")
# Each language the kiosk has translations for, by its own name, in the order it offers them
# (the kiosk's language list and the reports' by_language show these names, never a flag).
OWN_NAMES: dict[str, str] = {
    "ar": "العربية",
    "en": "English",
    "ur": "اردو",
    "hi": "हिन्दी",
    "bn": "বাংলা",
    "tl": "Tagalog",
    "id": "Bahasa Indonesia",
}
SHIPPED_LANGUAGES = tuple(OWN_NAMES)
DEFAULT_LANGUAGES = ("ar", "en")
MAX_LANGUAGES = 16


def _check_language(value: str) -> str:
    if not LANGUAGE_PATTERN.fullmatch(value):
        raise ValueError("must be a language code of 2 or 3 lowercase letters, such as ar, en, ur, hi")
    return value


def _distinct(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise ValueError("each language may be listed once")
    return value


Language = Annotated[StrictStr, AfterValidator(_check_language)]
# The languages a desk offers, in the order its language list shows them.
Languages = Annotated[list[Language], Field(min_length=1, max_length=MAX_LANGUAGES), AfterValidator(_distinct)]
