"""A comment's themes: the pure matcher the store calls as comments arrive and the tests measure.

The comment is folded and cut into words (collector.themes.normalise); a theme's phrase matches
where its words follow one another, each word equal to the comment's word or to its stem (a word
with a joined و ف ب ل ك in front is tried without it too). The words an ``except`` phrase covers
are set aside for that theme first, so "ما انتظرت ابد" is not about waiting. A comment may be
under several themes; under none, it is unmatched and listed for a person to read.
"""

from __future__ import annotations

from functools import lru_cache

from collector.themes.lexicon import Lexicon, Phrase, Theme, load
from collector.themes.normalise import short_safe_stem, tokens

_JOINED = ("و", "ف", "ب", "ل", "ك")  # joined to the next word: "والموظف", "فالنظام", "بالجوال", "بقله"


def forms(word: str) -> frozenset[str]:
    """The forms a phrase's word may meet: the word, its stem, and both again without a joined letter."""
    found = {word, short_safe_stem(word)}
    if word[:1] in _JOINED and len(word) > 2:
        found |= {word[1:], short_safe_stem(word[1:])}
    return frozenset(found)


@lru_cache(maxsize=256)
def _by_first_word(wanted: tuple[Phrase, ...]) -> dict[str, tuple[Phrase, ...]]:
    """The phrases ``wanted`` under each form of their first word (folded and stem): a look-up per word."""
    index: dict[str, list[Phrase]] = {}
    for one in wanted:
        for key in set(one[0]):
            index.setdefault(key, []).append(one)
    return {key: tuple(found) for key, found in index.items()}


def _found(words: list[frozenset[str]], wanted: tuple[Phrase, ...]) -> list[tuple[int, int]]:
    """(start, end) of every place one of the phrases ``wanted`` stands in ``words``."""
    index = _by_first_word(wanted)
    places = []
    for start, forms_here in enumerate(words):
        candidates = {one for form in forms_here for one in index.get(form, ())}
        for one in candidates:
            end = start + len(one)
            if end <= len(words) and all(
                word in words[start + i] or stemmed in words[start + i] for i, (word, stemmed) in enumerate(one)
            ):
                places.append((start, end))
    return places


def matches(theme: Theme, words: list[frozenset[str]]) -> bool:
    """Whether any of the theme's phrases is found outside the words its ``except`` phrases cover."""
    cancelled = {i for start, end in _found(words, theme.exceptions) for i in range(start, end)}
    return any(cancelled.isdisjoint(range(start, end)) for start, end in _found(words, theme.terms))


def themes_of(comment: str | None, lexicon: Lexicon) -> list[str]:
    """The ids of the themes ``comment`` is about, in the lexicon's order; [] for none (or no comment)."""
    if not comment:
        return []
    words = [forms(word) for word in tokens(comment)]
    return [theme.id for theme in lexicon.themes if matches(theme, words)]


@lru_cache(maxsize=1)
def shipped() -> Lexicon:
    """The lexicon shipped with the collector (collector/themes/lexicon/), read once."""
    return load()
