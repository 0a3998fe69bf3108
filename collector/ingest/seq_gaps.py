"""The rule that reads a device's seq numbers: which missing numbers are gaps and which are jumps (pure).

A device numbers its ratings 1, 2, 3... (contract: ``seq``); a number that goes
backwards starts a new run (a reset, decided where ratings are stored). Within a
run, the numbers not received between two received ones form a *hole*:

- a hole of at most ``SEQ_JUMP`` numbers is that many *gaps*: ratings lost, or
  still on their way;
- a wider hole is one *jump*: a counter that leapt (a stray or damaged seq), not
  ratings lost, since it is more than a desk takes in weeks.

The first run counts from 1, so the numbers below its lowest seq are a hole too;
a later run counts from where it began.

The store keeps one ``RunSeqs`` per device and run, updated as ratings arrive
(``extended`` for the usual seqs above the run's highest, ``with_late_seq`` for
one that arrives late, given what the store looked up of its neighbours);
``summarise`` is the same figures from every seq at once, which the tests hold
the kept ones to. ``per_device`` sums a device's runs for the devices page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import pairwise

# A hole in a run of seq wider than this is a counter that jumped, not ratings lost.
SEQ_JUMP = 10_000


def is_jump(hole: int) -> bool:
    """Whether ``hole`` missing numbers between two received seqs are one jump rather than gaps."""
    return hole > SEQ_JUMP


@dataclass(frozen=True)
class RunSeqs:
    """What is known of one run of a device's seq: enough to count its gaps and jumps."""

    run: int
    ratings: int  # ratings stored in the run
    seqs: int  # distinct seqs among them
    lo: int  # lowest seq
    hi: int  # highest seq: the device's last seq while the run is current
    jumps: int  # holes wider than SEQ_JUMP
    jumped: int  # the numbers those holes skip

    @property
    def gaps(self) -> int:
        """Numbers missing within the run that are not part of a jump."""
        base = 0 if self.run == 1 else self.lo - 1
        return self.hi - base - self.seqs - self.jumped


def _leading(run: int, lowest: int) -> int:
    """The hole below a run's lowest seq: the first run counts from 1, a later one from where it began."""
    return lowest - 1 if run == 1 else 0


def _jump_figures(holes: Iterable[int]) -> tuple[int, int]:
    """(jumps, numbers jumped) among ``holes``."""
    wide = [hole for hole in holes if is_jump(hole)]
    return len(wide), sum(wide)


def first_seq(run: int, seq: int) -> RunSeqs:
    """A run's figures after its first rating."""
    jumps, jumped = _jump_figures([_leading(run, seq)])
    return RunSeqs(run, 1, 1, seq, seq, jumps, jumped)


def with_seq(runs: RunSeqs, seq: int, below: int | None, above: int | None) -> RunSeqs:
    """The run's figures after one more rating whose ``seq`` it did not hold.

    ``below`` and ``above`` are the run's nearest seqs under and over it (None: there is none).
    The hole between them (or below ``above`` when ``seq`` is the new lowest) is split in two.
    """
    if above is None:
        before: list[int] = []
    elif below is None:
        before = [_leading(runs.run, above)]
    else:
        before = [above - below - 1]
    after = [_leading(runs.run, seq) if below is None else seq - below - 1]
    if above is not None:
        after.append(above - seq - 1)
    lost, lost_numbers = _jump_figures(before)
    found, found_numbers = _jump_figures(after)
    return replace(
        runs,
        ratings=runs.ratings + 1,
        seqs=runs.seqs + 1,
        lo=min(runs.lo, seq),
        hi=max(runs.hi, seq),
        jumps=runs.jumps - lost + found,
        jumped=runs.jumped - lost_numbers + found_numbers,
    )


def extended(runs: RunSeqs | None, run: int, seqs: list[int]) -> RunSeqs | None:
    """The run's figures after new ``seqs``, ascending and all above its highest: the usual batch, in one step.

    The same as ``first_seq`` then ``with_seq`` for each, without a record per seq (ingest's hot path).
    """
    if not seqs:
        return runs
    jumps, jumped = (0, 0) if runs is None else (runs.jumps, runs.jumped)
    below = None if runs is None else runs.hi
    for seq in seqs:
        hole = _leading(run, seq) if below is None else seq - below - 1
        if is_jump(hole):
            jumps, jumped = jumps + 1, jumped + hole
        below = seq
    if runs is None:
        return RunSeqs(run, len(seqs), len(seqs), seqs[0], seqs[-1], jumps, jumped)
    return RunSeqs(run, runs.ratings + len(seqs), runs.seqs + len(seqs), runs.lo, seqs[-1], jumps, jumped)


def with_late_seq(
    runs: RunSeqs | None, run: int, seq: int, copies: int, below: int | None, above: int | None
) -> RunSeqs:
    """The run's figures after a new rating whose ``seq`` is not above the run's highest (rare: a late one).

    What the store looked up after inserting it: ``copies``, the ratings the run now holds
    with that seq (this one included); ``below`` and ``above``, the run's nearest seqs under
    and over it stored before this batch's higher ones (None: there is none). A seq held
    already, or at the run's ends, adds a rating and no seq; one inside a hole splits it.
    """
    if runs is None:
        return first_seq(run, seq)
    if seq > runs.hi:
        return with_seq(runs, seq, runs.hi, None)
    if seq < runs.lo:
        return with_seq(runs, seq, None, runs.lo)
    if seq in (runs.lo, runs.hi) or copies > 1:
        return again(runs)
    return with_seq(runs, seq, below, above)


def again(runs: RunSeqs) -> RunSeqs:
    """The run's figures after one more rating with a seq it already held (stored before runs existed)."""
    return replace(runs, ratings=runs.ratings + 1)


def from_holes(run: int, ratings: int, seqs: int, lo: int, hi: int, wide_holes: Iterable[int]) -> RunSeqs:
    """A run's figures from its counts, extent and its holes between seqs wider than ``SEQ_JUMP``."""
    jumps, jumped = _jump_figures([_leading(run, lo), *wide_holes])
    return RunSeqs(run, ratings, seqs, lo, hi, jumps, jumped)


def summarise(run: int, seqs: Iterable[int]) -> RunSeqs | None:
    """A run's figures from every seq stored in it (None for no seq): what ``with_seq`` keeps, at once."""
    stored = list(seqs)
    if not stored:
        return None
    distinct = sorted(set(stored))
    holes = [b - a - 1 for a, b in pairwise(distinct)]
    return from_holes(run, len(stored), len(distinct), distinct[0], distinct[-1], holes)


@dataclass(frozen=True)
class DeviceSeqs:
    """A device's seq history over all its runs: what the devices page shows of it."""

    ratings: int
    gaps: int
    jumps: int
    last_seqs: dict[int, int]  # run -> its highest seq


def per_device(runs: Iterable[tuple[str, RunSeqs]]) -> dict[str, DeviceSeqs]:
    """Each device's ratings, gaps and jumps summed over its runs, with each run's highest seq."""
    found: dict[str, list[RunSeqs]] = {}
    for device_id, figures in runs:
        found.setdefault(device_id, []).append(figures)
    return {
        device_id: DeviceSeqs(
            ratings=sum(r.ratings for r in held),
            gaps=sum(r.gaps for r in held),
            jumps=sum(r.jumps for r in held),
            last_seqs={r.run: r.hi for r in held},
        )
        for device_id, held in found.items()
    }
