"""The themes' word lists: one TOML file per theme in ``collector/themes/lexicon/``, edited by hand.

A theme's file names it in Arabic and English and lists, per language, its ``terms`` (a word or a
phrase of words, matched on their stems after folding) and its ``except`` phrases: where one of
them is found, the words it covers do not count for that theme ("ما انتظرت", "no wait at all").
A site's own theme names its sites (``sites = ["riyadh-hq"]``) and is matched only in their comments.
The lists are plain text on purpose: anyone can read why a comment was put under a theme, and a
site can add its own themes (``extra``) without a programmer.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from collector.themes.normalise import short_safe_stem, tokens

FOLDER = Path(__file__).parent / "lexicon"
LANGUAGES = ("ar", "en")

Phrase = tuple[tuple[str, str], ...]  # each word as (folded, stem)


class LexiconError(ValueError):
    """A theme file that cannot be read; the message names the file and the fault."""


@dataclass(frozen=True)
class Theme:
    """One theme: its id, its names, and the phrases that put a comment under it or cancel it."""

    id: str
    name_ar: str
    name_en: str
    terms: tuple[Phrase, ...]
    exceptions: tuple[Phrase, ...] = ()
    sites: frozenset[str] | None = None  # a site's own theme: matched only in comments from these sites

    def applies_to(self, site_id: str | None) -> bool:
        return self.sites is None or site_id in self.sites


Entry = tuple[int, bool, Phrase]  # the theme's place in the lexicon, whether an except phrase, the phrase


@dataclass(frozen=True)
class Lexicon:
    themes: tuple[Theme, ...]
    index: dict[str, tuple[Entry, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", by_first_word(self.themes))

    @property
    def ids(self) -> list[str]:
        return [theme.id for theme in self.themes]

    def with_extra(self, extra: Mapping[str, Iterable[str]]) -> Lexicon:
        """This lexicon and a site's own themes (theme id -> words or phrases, any language)."""
        added = [Theme(theme_id, theme_id, theme_id, phrases(words)) for theme_id, words in extra.items()]
        return Lexicon((*self.themes, *added))


def by_first_word(themes: tuple[Theme, ...]) -> dict[str, tuple[Entry, ...]]:
    """Every phrase of every theme under each form of its first word (folded and stem): one look-up a word."""
    index: dict[str, list[Entry]] = {}
    for place, theme in enumerate(themes):
        entries = [(place, False, one) for one in theme.terms] + [(place, True, one) for one in theme.exceptions]
        for entry in entries:
            for key in set(entry[2][0]):
                index.setdefault(key, []).append(entry)
    return {key: tuple(found) for key, found in index.items()}


def phrase(text: str) -> Phrase:
    """A word or phrase of the lexicon as it is matched: each word folded, with its stem."""
    words = tokens(text)
    if not words:
        raise LexiconError(f"the lexicon entry {text!r} holds no word")
    return tuple((word, short_safe_stem(word)) for word in words)


def phrases(texts: Iterable[str]) -> tuple[Phrase, ...]:
    return tuple(dict.fromkeys(phrase(text) for text in texts))


def read_theme(path: Path) -> Theme:
    """The theme in one TOML file; LexiconError names the file and what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        names = data["names"]
        terms = [t for lang in LANGUAGES for t in data.get(lang, {}).get("terms", [])]
        exceptions = [t for lang in LANGUAGES for t in data.get(lang, {}).get("except", [])]
        sites = data.get("sites")
        if sites is not None and not (isinstance(sites, list) and all(isinstance(s, str) for s in sites)):
            raise LexiconError('sites must be a list of site ids, e.g. sites = ["riyadh-hq"]')
        own = None if sites is None else frozenset(sites)
        return Theme(str(data["theme"]), str(names["ar"]), str(names["en"]), phrases(terms), phrases(exceptions), own)
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, LexiconError) as exc:
        raise LexiconError(f"{path}: {exc}") from None


def load(folder: Path = FOLDER) -> Lexicon:
    """Every theme file in ``folder``, in the order of their names (``1-waiting.toml`` ...)."""
    return Lexicon(tuple(read_theme(path) for path in sorted(folder.glob("*.toml"))))
