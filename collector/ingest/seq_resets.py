"""The rule that starts a new run of a device's seq: a new rating whose seq its current run already holds (pure).

A device numbers its ratings 1, 2, 3... and never reuses a number (contract:
``seq``). A new rating (an id not stored) with a seq its device's current run
already holds is a device counting again (a tablet restored or replaced): it
starts the next run, a *reset*, an event rather than a gap of millions. The
gaps and jumps within a run are ``collector.ingest.seq_gaps``'s.

``collector.ingest.batch.sorted_against_store`` looks up in the store which of a
batch's seqs the current runs hold (only those at or below each run's highest, so
the usual batch costs one indexed max() per device) and hands the store the runs
and resets ``runs_of`` decides, to record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shared.contract import Rating


@dataclass(frozen=True)
class SeqReset:
    """A device counting again: a new rating whose seq its current run already holds."""

    device_id: str
    run: int  # the run it starts
    rating_id: str
    seq: int


def runs_of(
    new: Sequence[Rating], current: Mapping[str, int], held: Mapping[str, set[int]]
) -> tuple[list[int], list[SeqReset]]:
    """The run of each new rating, in order, and the resets among them.

    ``current`` is each device's current run (1 when absent), ``held`` the seqs of
    ``new`` that run already holds, per device. Within the batch a seq seen twice
    for one device is a reset too: the second copy starts the run after.
    """
    run = {rating.device_id: current.get(rating.device_id, 1) for rating in new}
    taken = {device_id: set(held.get(device_id, ())) for device_id in run}
    run_of: list[int] = []
    resets: list[SeqReset] = []
    for rating in new:
        device_id = rating.device_id
        if rating.seq in taken[device_id]:
            run[device_id] += 1
            resets.append(SeqReset(device_id, run[device_id], rating.id, rating.seq))
            taken[device_id] = set()
        taken[device_id].add(rating.seq)
        run_of.append(run[device_id])
    return run_of, resets
