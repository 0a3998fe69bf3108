"""Page texts in Arabic (the default, right to left) and English, read from the gettext catalogs.

The texts live in ``collector/web/locale/<lang>/LC_MESSAGES/web.po``, where translators
edit them (Poedit, Weblate; docs/translations.md). Each message id is the text's key,
the one the templates and routes name (``t("bad_login")``); the English catalog holds
the English. The ``.po`` files are compiled to ``.mo`` when the project is installed
(``setup.py``'s build step, also for ``pip install -e``) and when ``./dev.sh setup`` runs;
this module reads the ``.mo`` files with the standard library's ``gettext``.
"""

from __future__ import annotations

from collections.abc import Callable
from gettext import GNUTranslations
from pathlib import Path

LANGS = ("ar", "en")
DOMAIN = "web"
LOCALE_DIR = Path(__file__).parent / "locale"


class CatalogMissing(RuntimeError):
    """A compiled catalog (``.mo``) is not there: the checkout was not set up, or a build skipped the step."""


def load_catalog(lang: str, locale_dir: Path = LOCALE_DIR, domain: str = DOMAIN) -> GNUTranslations:
    """The compiled catalog of ``lang``; a missing one is an error that says how to compile it."""
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


CATALOGS: dict[str, GNUTranslations] = {lang: load_catalog(lang) for lang in LANGS}
_ARABIC, _ENGLISH = (messages_of(CATALOGS[lang]) for lang in LANGS)
TEXTS: dict[str, tuple[str, str]] = {key: (_ARABIC.get(key, key), english) for key, english in _ENGLISH.items()}
"""key: (Arabic, English), for the routes that pick a sentence themselves (collector/web/routes/period.py)."""

# A count in running text (plural entries of the catalog). English: "1 rating", "2 ratings". Arabic words
# change with the number in six ways (zero, one, two, 3-10, 11-99, 100+); rather than risk a wrong form
# next to a live number, Arabic says it as a label and a value, "التقييمات: 12": its six forms hold the label.
COUNT_WORDS = ("ratings_n", "negatives_n")


def count_words(key: str, count: int, lang: str) -> dict[str, str]:
    """The words around a count: ``label`` (before it, Arabic) or ``word`` (after it, English) with both forms."""
    catalog = CATALOGS[lang if lang in CATALOGS else "ar"]
    if lang == "ar":
        return {"label": catalog.ngettext(key, key, count)}
    one, other = catalog.ngettext(key, key, 1), catalog.ngettext(key, key, 2)
    return {"word": catalog.ngettext(key, key, count), "one": one, "other": other}


def translate(key: str, lang: str, **values: object) -> str:
    pair = TEXTS.get(key)
    if pair is None:
        return key
    text = pair[0] if lang == "ar" else pair[1]
    return text.format(**values) if values else text


def gettext_callables(lang: str) -> dict[str, Callable[..., str]]:
    """``gettext``, ``ngettext`` and ``_`` for Jinja2's i18n extension, in ``lang``: a template may write
    ``{{ _('key') }}`` as well as ``{{ t('key') }}``; both take the key and ``{name}`` values."""

    def gettext(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    def ngettext(key: str, plural: str, count: int, **values: object) -> str:
        text = CATALOGS[lang if lang in CATALOGS else "ar"].ngettext(key, plural, count)
        return text.format(**values) if values else text

    return {"gettext": gettext, "ngettext": ngettext, "_": gettext}
