"""The kiosk's visitor texts, one module per language (``ar.py``, ``en.py``, ``ur.py`` ...).

Each module holds ``NAME`` (the language by its own name), ``RTL``, ``FACES``
(the five face words, 1 to 5), ``TEXTS`` (every key of ``en.TEXTS``), ``REASONS``
(the shipped reason codes) and ``CHECK`` (what a translator must check first;
docs/translations.md). A desk offers the languages of its config that have a
module here, in the config's order; names the config gives only in Arabic and
English (desk, employee, the site's own reasons and survey) are shown in Arabic
for Arabic and Urdu readers (one script) and in English for the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from importlib import import_module
from types import ModuleType

from shared.contract import SHIPPED_LANGUAGES, ReasonLabel
from shared.languages import OWN_NAMES
from shared.reasons import reason_label as config_reason_label

log = logging.getLogger("taqyeem.kiosk")

MODULES: dict[str, ModuleType] = {code: import_module(f"{__name__}.{code}") for code in SHIPPED_LANGUAGES}
ARABIC_SCRIPT = ("ar", "ur")


def offered(languages: Iterable[str]) -> tuple[str, ...]:
    """The config's languages this kiosk can show, in the config's order; Arabic if none of them."""
    known = tuple(code for code in languages if code in MODULES)
    unknown = [code for code in languages if code not in MODULES]
    if unknown:
        log.warning("no translation for %s on this kiosk; offering %s", unknown, known or ("ar",))
    return known or ("ar",)


def _module(lang: str) -> ModuleType:
    return MODULES.get(lang) or MODULES["ar"]


def text(key: str, lang: str) -> str:
    return str(_module(lang).TEXTS[key])


def face_words(lang: str) -> tuple[str, ...]:
    return tuple(_module(lang).FACES)


def own_name(lang: str) -> str:
    return OWN_NAMES.get(lang) or OWN_NAMES["ar"]


def is_rtl(lang: str) -> bool:
    return bool(_module(lang).RTL)


def names_lang(lang: str) -> str:
    """Which of the config's two names (``ar``, ``en``) a reader of ``lang`` sees."""
    return "ar" if lang in ARABIC_SCRIPT else "en"


def reason_label(code: str, lang: str, reasons: list[ReasonLabel]) -> str:
    """A reason in the visitor's language: the translation of a shipped reason the config has not relabelled."""
    if lang in ("ar", "en"):
        return config_reason_label(code, lang, reasons)
    own = _module(lang).REASONS.get(code)
    given = next((r for r in reasons if r.code == code), None)
    shipped = config_reason_label(code, "en", [])
    if own and (given is None or given.en == shipped):
        return str(own)
    return config_reason_label(code, names_lang(lang), reasons)
