"""The comment-theme matcher's speed: microseconds per comment over the labelled comments, and a batch's cost.

Runs collector.themes.match.themes_of over every comment of
tests/collector/themes/comments_labelled.jsonl (Arabic, Gulf, English, mixed) ``--rounds`` times
with the shipped lexicon, and prints the median time per comment of the rounds.

    .venv/bin/python bench/themes.py --rounds 20
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from collector.themes.match import shipped, themes_of

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "collector" / "themes" / "comments_labelled.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in LABELLED.read_text(encoding="utf-8").splitlines() if line]
    lexicon = shipped()
    themes_of(texts[0], lexicon)  # the lexicon read and indexed once, as in a running collector
    per_comment = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for text in texts:
            themes_of(text, lexicon)
        per_comment.append((time.perf_counter() - started) / len(texts))
    median = statistics.median(per_comment)
    words = statistics.mean(len(text.split()) for text in texts)
    print(f"{len(texts)} comments (mean {words:.1f} words), {args.rounds} rounds:", end=" ")
    print(f"median {median * 1e6:.0f} µs per comment")
    print(f"a batch of 500 ratings all with a comment: {500 * median * 1e3:.0f} ms of matching")


if __name__ == "__main__":
    main()
