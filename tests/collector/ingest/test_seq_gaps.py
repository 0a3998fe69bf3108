"""The rule that reads a device's seq numbers: gaps, jumps, and the same figures kept one seq at a time."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from collector.ingest.seq_gaps import (
    SEQ_JUMP,
    DeviceSeqs,
    RunSeqs,
    again,
    extended,
    first_seq,
    is_jump,
    per_device,
    summarise,
    with_late_seq,
    with_seq,
)


def kept(run: int, arrivals: list[int]) -> RunSeqs | None:
    """The figures the store keeps, one seq at a time in arrival order, given each seq's neighbours."""
    held: list[int] = []
    runs: RunSeqs | None = None
    for seq in arrivals:
        if runs is None:
            runs = first_seq(run, seq)
        elif seq in held:
            runs = again(runs)
        else:
            below = max((s for s in held if s < seq), default=None)
            above = min((s for s in held if s > seq), default=None)
            runs = with_seq(runs, seq, below, above)
        held.append(seq)
    return runs


def test_a_hole_wider_than_the_bound_is_a_jump_and_one_as_wide_is_gaps() -> None:
    assert (is_jump(SEQ_JUMP), is_jump(SEQ_JUMP + 1), is_jump(0)) == (False, True, False)


def test_the_first_run_counts_missing_numbers_from_one() -> None:
    runs = summarise(1, [3, 4, 7])
    assert runs is not None
    assert (runs.gaps, runs.jumps, runs.hi, runs.ratings) == (4, 0, 7, 3)  # 1, 2, 5, 6


def test_a_later_run_counts_from_where_it_began() -> None:
    runs = summarise(2, [3, 4, 7])
    assert runs is not None and (runs.gaps, runs.jumps) == (2, 0)  # 5, 6


def test_a_first_run_beginning_far_above_one_is_a_jump_not_gaps() -> None:
    runs = summarise(1, [SEQ_JUMP + 2, SEQ_JUMP + 4])
    assert runs is not None and (runs.gaps, runs.jumps, runs.jumped) == (1, 1, SEQ_JUMP + 1)


def test_a_counter_that_leaps_inside_a_run_is_one_jump_and_the_small_holes_stay_gaps() -> None:
    runs = summarise(1, [1, 3, SEQ_JUMP + 5, SEQ_JUMP + 7])  # holes of 1, SEQ_JUMP + 1, 1
    assert runs is not None and (runs.gaps, runs.jumps) == (2, 1)


def test_a_seq_stored_twice_counts_two_ratings_and_one_seq() -> None:
    runs = summarise(1, [1, 2, 2])
    assert runs is not None and (runs.ratings, runs.seqs, runs.gaps) == (3, 2, 0)


def test_no_seq_is_no_run() -> None:
    assert summarise(1, []) is None


def test_a_seq_landing_in_a_jump_splits_it_into_gaps() -> None:
    runs = kept(1, [1, 2 * SEQ_JUMP, SEQ_JUMP])
    assert runs is not None and (runs.gaps, runs.jumps) == (2 * SEQ_JUMP - 3, 0)
    assert runs == summarise(1, [1, 2 * SEQ_JUMP, SEQ_JUMP])


def test_a_new_lowest_seq_of_the_first_run_replaces_its_leading_jump() -> None:
    runs = kept(1, [SEQ_JUMP + 5, 2])
    assert runs == summarise(1, [2, SEQ_JUMP + 5])
    assert runs is not None and (runs.gaps, runs.jumps) == (1, 1)


@settings(max_examples=300, deadline=None)
@given(
    run=st.integers(1, 3),
    seqs=st.lists(st.one_of(st.integers(1, 60), st.integers(1, 4 * SEQ_JUMP)), min_size=1, max_size=40),
    order=st.randoms(use_true_random=False),
)
def test_the_figures_kept_one_seq_at_a_time_equal_those_from_every_seq(
    run: int, seqs: list[int], order: random.Random
) -> None:
    arrivals = list(seqs)
    order.shuffle(arrivals)
    assert kept(run, arrivals) == summarise(run, seqs)


@settings(max_examples=200, deadline=None)
@given(
    run=st.integers(1, 3),
    before=st.lists(st.integers(1, 3 * SEQ_JUMP), max_size=10, unique=True),
    steps=st.lists(st.integers(1, 2 * SEQ_JUMP), max_size=20),
)
def test_a_batch_above_the_highest_seq_counted_in_one_step_equals_one_seq_at_a_time(
    run: int, before: list[int], steps: list[int]
) -> None:
    top = max(before, default=0)
    batch = [top + sum(steps[: i + 1]) for i in range(len(steps))]
    assert extended(kept(run, before), run, batch) == kept(run, before + batch)


def late(run: int, arrivals: list[int]) -> RunSeqs | None:
    """The figures kept through ``with_late_seq`` alone, given what the store would look up for each seq."""
    held: list[int] = []
    runs: RunSeqs | None = None
    for seq in arrivals:
        held.append(seq)
        below = max((s for s in held if s < seq), default=None)
        above = min((s for s in held if s > seq), default=None)
        runs = with_late_seq(runs, run, seq, held.count(seq), below, above)
    return runs


def test_a_late_seq_inside_a_hole_splits_it_and_one_held_already_adds_a_rating_only() -> None:
    runs = summarise(1, [1, 5])
    assert runs is not None
    inside = with_late_seq(runs, 1, 3, 1, 1, 5)
    assert (inside.ratings, inside.seqs, inside.gaps) == (3, 3, 2)
    held = with_late_seq(runs, 1, 5, 2, 1, None)
    assert (held.ratings, held.seqs, held.gaps) == (3, 2, 3)


@settings(max_examples=300, deadline=None)
@given(
    run=st.integers(1, 3),
    seqs=st.lists(st.one_of(st.integers(1, 60), st.integers(1, 4 * SEQ_JUMP)), min_size=1, max_size=40),
    order=st.randoms(use_true_random=False),
)
def test_the_late_seq_rule_given_the_stores_look_ups_keeps_the_figures_from_every_seq(
    run: int, seqs: list[int], order: random.Random
) -> None:
    arrivals = list(seqs)
    order.shuffle(arrivals)
    assert late(run, arrivals) == summarise(run, seqs)


def test_a_devices_runs_sum_into_its_ratings_gaps_and_jumps_with_each_runs_last_seq() -> None:
    first, second = summarise(1, [1, 3, 4]), summarise(2, [2, 5, 5 + SEQ_JUMP + 2])
    other = summarise(1, [2])
    assert first is not None and second is not None and other is not None
    history = per_device([("dev-a1", first), ("dev-a1", second), ("dev-b1", other)])
    assert history["dev-a1"] == DeviceSeqs(ratings=6, gaps=3, jumps=1, last_seqs={1: 4, 2: 5 + SEQ_JUMP + 2})
    assert history["dev-b1"] == DeviceSeqs(ratings=1, gaps=1, jumps=0, last_seqs={1: 2})
    assert per_device([]) == {}
