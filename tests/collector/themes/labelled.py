"""The labelled comments (comments_labelled.jsonl) and the precision and recall of the matcher on them.

Each line: ``part`` ("dev": the lexicon was tuned looking at these; "held_out": written with them,
never looked at while tuning), ``text`` and the ``themes`` a reader gives it ([] for none).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from collector.themes.lexicon import Lexicon
from collector.themes.match import themes_of

LABELLED = Path(__file__).with_name("comments_labelled.jsonl")


@dataclass(frozen=True)
class Labelled:
    part: str
    text: str
    themes: frozenset[str]


@dataclass(frozen=True)
class Score:
    theme: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def labelled(part: str | None = None) -> list[Labelled]:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Labelled(r["part"], r["text"], frozenset(r["themes"])) for r in rows if part in (None, r["part"])]


def scores(comments: list[Labelled], lexicon: Lexicon) -> list[Score]:
    """Per theme (and "unmatched": no theme found), true and false positives and false negatives."""
    found = [(c, set(themes_of(c.text, lexicon))) for c in comments]
    result = []
    for theme in [*lexicon.ids, "unmatched"]:
        tp = fp = fn = 0
        for comment, got in found:
            wanted = not comment.themes if theme == "unmatched" else theme in comment.themes
            given = not got if theme == "unmatched" else theme in got
            tp, fp, fn = tp + (wanted and given), fp + (given and not wanted), fn + (wanted and not given)
        result.append(Score(theme, tp, fp, fn))
    return result


def misses(comments: list[Labelled], lexicon: Lexicon) -> list[tuple[str, list[str], list[str]]]:
    """(text, expected, found) for each comment the matcher got wrong: to read while tuning on "dev"."""
    found = [(c, themes_of(c.text, lexicon)) for c in comments]
    return [(c.text, sorted(c.themes), got) for c, got in found if set(got) != c.themes]


def table(part_scores: list[Score]) -> str:
    lines = ["theme | n | precision | recall"]
    for s in part_scores:
        n = s.true_positives + s.false_negatives
        lines.append(f"{s.theme} | {n} | {s.precision:.2f} | {s.recall:.2f}")
    return "\n".join(lines)
