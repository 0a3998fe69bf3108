"""A comment's themes: the pure matcher the store calls as comments arrive and the tests measure.

The comment is folded and cut into words (collector.themes.normalise); a theme's phrase matches
where its words follow one another, each word equal to the comment's word or to its stem (a word
with a joined و ف ب ل ك in front is tried without it too). The words an ``except`` phrase covers
are set aside for that theme first, so "ما انتظرت ابد" is not about waiting. A comment may be
under several themes; under none, it is unmatched and listed for a person to read.
"""

from __future__ import annotations

from functools import lru_cache

from collector.themes.lexicon import Lexicon, Phrase, load
from collector.themes.normalise import short_safe_stem, tokens

_JOINED = ("و", "ف", "ب", "ل", "ك")  # joined to the next word: "والموظف", "فالنظام", "بالجوال", "بقله"


def forms(word: str) -> frozenset[str]:
    """The forms a phrase's word may meet: the word, its stem, and both again without a joined letter."""
    found = {word, short_safe_stem(word)}
    if word[:1] in _JOINED and len(word) > 2:
        found |= {word[1:], short_safe_stem(word[1:])}
    return frozenset(found)


def _stands(words: list[frozenset[str]], start: int, one: Phrase) -> bool:
    end = start + len(one)
    return end <= len(words) and all(
        word in words[start + i] or stemmed in words[start + i] for i, (word, stemmed) in enumerate(one)
    )


def themes_of(comment: str | None, lexicon: Lexicon, site_id: str | None = None) -> list[str]:
    """The ids of the themes ``comment`` (given at ``site_id``) is about, in the lexicon's order; [] for none.

    A site's own theme is matched only in its sites' comments.

    One pass over the words: each word's forms look up the phrases starting with them (any theme's).
    """
    if not comment:
        return []
    words = [forms(word) for word in tokens(comment)]
    found: dict[int, list[range]] = {}
    cancelled: dict[int, set[int]] = {}
    for start, here in enumerate(words):
        for form in here:
            for place, cancels, one in lexicon.index.get(form, ()):
                if _stands(words, start, one):
                    span = range(start, start + len(one))
                    if cancels:
                        cancelled.setdefault(place, set()).update(span)
                    else:
                        found.setdefault(place, []).append(span)
    return [
        lexicon.themes[place].id
        for place in sorted(found)
        if lexicon.themes[place].applies_to(site_id)
        and any(cancelled.get(place, set()).isdisjoint(span) for span in found[place])
    ]


@lru_cache(maxsize=1)
def shipped() -> Lexicon:
    """The lexicon shipped with the collector (collector/themes/lexicon/), read once."""
    return load()
