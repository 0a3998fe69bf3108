"""The kiosk's visitor texts, one gettext catalog per language, read through the standard library's ``gettext``.

The texts live in ``device/kiosk/locale/<lang>/LC_MESSAGES/kiosk.po``, where translators
edit them (Poedit, Weblate; docs/translations.md); the build compiles each to the ``.mo``
read here, so a tablet's wheel carries them compiled. A message id is the text's key:
``question``, ``serving`` ..., ``face_1`` to ``face_5`` (the five face words, 1 very
dissatisfied to 5 very satisfied) and ``reason_<code>`` (the shipped reason codes, in the
languages other than Arabic and English, whose reasons come from the config).

Each language is a ``Language`` (``MODULES[lang]``, the name the per-language modules had):
``RTL``, ``FACES``, ``TEXTS``, ``REASONS`` and ``CHECK`` (what a translator must check
first). A desk offers the languages of its config that have a catalog here, in the
config's order; names the config gives only in Arabic and English (desk, employee, the
site's own reasons and survey) are shown in Arabic for Arabic and Urdu readers (one
script) and in English for the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from gettext import GNUTranslations
from pathlib import Path

from shared.contract import SHIPPED_LANGUAGES, ReasonLabel
from shared.languages import OWN_NAMES
from shared.reasons import reason_label as config_reason_label

log = logging.getLogger("taqyeem.kiosk")

DOMAIN = "kiosk"
LOCALE_DIR = Path(__file__).parent / "locale"
ARABIC_SCRIPT = ("ar", "ur")
# The call back after a negative (device/kiosk/callback_flow.py): new in issue 23, checked first as a whole.
CALLBACK_KEYS = (
    "callback_title", "callback_yes", "callback_no", "callback_number_title", "callback_use", "callback_wrong"
)  # fmt: skip
RIGHT_TO_LEFT = ("ar", "ur")
# What a translator checks first with a native speaker, in every language (docs/translations.md);
# the catalogs say so beside each of these entries.
CHECK = ("question", "privacy", "serving", "thanks_body", "followup_title", "FACES", "REASONS", *CALLBACK_KEYS)
FACE_KEYS = tuple(f"face_{score}" for score in range(1, 6))
REASON_PREFIX = "reason_"


class CatalogMissing(RuntimeError):
    """A compiled catalog (``.mo``) is not there: the checkout was not set up, or a build skipped the step."""


@dataclass(frozen=True)
class Language:
    """One language's words, as its catalog holds them."""

    RTL: bool
    FACES: tuple[str, ...]
    TEXTS: dict[str, str]
    REASONS: dict[str, str]
    CHECK: tuple[str, ...] = CHECK


def load_catalog(lang: str, locale_dir: Path = LOCALE_DIR, domain: str = DOMAIN) -> GNUTranslations:
    """The compiled catalog of ``lang`` (``kiosk``, the visitor's; ``staff``, the staff screens' halves)."""
    path = locale_dir / lang / "LC_MESSAGES" / f"{domain}.mo"
    try:
        with path.open("rb") as compiled:
            return GNUTranslations(compiled)
    except FileNotFoundError:
        raise CatalogMissing(
            f"{path} is missing: compile the catalogs with `./dev.sh setup` (or `python -m devtools.catalogs compile`)"
        ) from None


def messages_of(catalog: GNUTranslations) -> dict[str, str]:
    """Every singular message of a compiled catalog, key to text (gettext keeps them in ``_catalog``)."""
    stored: dict[object, str] = vars(catalog)["_catalog"]
    return {key: text for key, text in stored.items() if isinstance(key, str) and key}


def language(lang: str, locale_dir: Path = LOCALE_DIR) -> Language:
    """``lang``'s words from its compiled catalog."""
    messages = messages_of(load_catalog(lang, locale_dir))
    reasons = {key.removeprefix(REASON_PREFIX): text for key, text in messages.items() if key.startswith(REASON_PREFIX)}
    texts = {key: text for key, text in messages.items() if key not in FACE_KEYS and not key.startswith(REASON_PREFIX)}
    return Language(
        RTL=lang in RIGHT_TO_LEFT, FACES=tuple(messages[key] for key in FACE_KEYS), TEXTS=texts, REASONS=reasons
    )


MODULES: dict[str, Language] = {code: language(code) for code in SHIPPED_LANGUAGES}


def offered(languages: Iterable[str]) -> tuple[str, ...]:
    """The config's languages this kiosk can show, in the config's order; Arabic if none of them."""
    known = tuple(code for code in languages if code in MODULES)
    unknown = [code for code in languages if code not in MODULES]
    if unknown:
        log.warning("no translation for %s on this kiosk; offering %s", unknown, known or ("ar",))
    return known or ("ar",)


def _module(lang: str) -> Language:
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
