"""What the lexicon's ``except`` phrases are worth: measured by emptying them (docs/performance.md)."""

from __future__ import annotations

from dataclasses import replace

from collector.themes.lexicon import Lexicon
from collector.themes.match import shipped
from tests.collector.themes.labelled import labelled, scores


def test_without_the_except_phrases_waiting_and_praise_lose_precision_and_nothing_gains_recall() -> None:
    comments = labelled()
    kept = {s.theme: s for s in scores(comments, shipped())}
    bare = Lexicon(tuple(replace(theme, exceptions=()) for theme in shipped().themes))
    emptied = {s.theme: s for s in scores(comments, bare)}
    print(
        "\nprecision with / without except: "
        + ", ".join(f"{t} {kept[t].precision:.2f}/{emptied[t].precision:.2f}" for t in kept)
    )
    assert emptied["waiting"].precision < kept["waiting"].precision - 0.1
    assert emptied["praise"].precision < kept["praise"].precision - 0.05
    assert all(emptied[t].recall == kept[t].recall for t in kept)
