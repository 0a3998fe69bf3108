"""Text folded before matching: Arabic letter forms, diacritics, tatweel, digits, case; then tokens and stems.

Arabic is written many ways for one word: أ إ آ ٱ are all read as ا, ى as ي, ة as ه (people type
"زحمه" and "زحمة" alike), the short-vowel marks and the tatweel stretch (ـ) are dropped, and a
letter typed three times or more ("وايييد") is kept twice. Arabic-Indic digits become ASCII.
English is lowercased. Stems come from Snowball (``snowballstemmer``): its Arabic stemmer for
Arabic words, Porter2 for Latin ones; Snowball is maintained by the Snowball project, BSD, pure
Python, without dependencies, and gives both languages from one package (docs/performance.md says why
it was chosen over PyArabic and Tashaphyne).
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ـ": None,  # tatweel
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Eastern Arabic-Indic (Persian) digits
    }
)
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")  # harakat, shadda, sukun, Quranic marks
_REPEATS = re.compile(r"(.)\1{2,}")
_TOKEN = re.compile(r"[0-9a-z\u0621-\u064a]+")
_ARABIC = re.compile("[\u0621-\u064a]")

_AR = snowballstemmer.stemmer("arabic")
_EN = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """``text`` with Arabic letter forms folded, marks and tatweel dropped, digits ASCII, lowercase."""
    text = _MARKS.sub("", text.translate(_FOLD)).lower()
    return _REPEATS.sub(r"\1\1", text)


def tokens(text: str) -> list[str]:
    """The folded words of ``text`` (letters and digits; punctuation and emoji split them)."""
    return _TOKEN.findall(fold(text).replace("’", "'").replace("n't", " not"))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A folded word's stem: Snowball Arabic for Arabic letters, Porter2 (English) for Latin ones."""
    if _ARABIC.search(word):
        return str(_AR.stemWord(word))
    return str(_EN.stemWord(word))


def short_safe_stem(word: str) -> str:
    """``stem(word)``, or the word itself where the stem would be under three letters ("ماي" is not "ما")."""
    found = stem(word)
    return found if len(found) >= 3 else word
