"""The rule that starts a new run of seq, a reset (collector/ingest/seq_resets.py)."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from collector.ingest.seq_resets import SeqReset, runs_of
from shared.contract import Rating


def rating(device_id: str, seq: int) -> Rating:
    id_ = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{device_id}/{seq}"))
    return Rating(
        id=id_, seq=seq, device_id=device_id, employee_id=None, score=4, created_at="2026-11-28T09:15:02.123Z"
    )


def test_seqs_the_run_does_not_hold_stay_in_the_current_run() -> None:
    assert runs_of([rating("dev-a1", 5), rating("dev-a1", 6)], {"dev-a1": 3}, {}) == ([3, 3], [])


def test_a_device_never_seen_counts_in_run_one() -> None:
    assert runs_of([rating("dev-new", 1)], {}, {}) == ([1], [])


def test_a_seq_the_current_run_holds_starts_the_next_run_and_is_a_reset() -> None:
    again = rating("dev-a1", 2)
    run_of, resets = runs_of([again, rating("dev-a1", 3)], {"dev-a1": 1}, {"dev-a1": {2}})
    assert run_of == [2, 2]
    assert resets == [SeqReset("dev-a1", 2, again.id, 2)]


def test_a_seq_twice_in_one_batch_starts_the_next_run_at_its_second_copy() -> None:
    first, second = rating("dev-a1", 1), rating("dev-a1", 1).model_copy(update={"id": "other-id"})
    run_of, resets = runs_of([first, rating("dev-a1", 2), second], {}, {})
    assert run_of == [1, 1, 2]
    assert [(r.run, r.rating_id) for r in resets] == [(2, "other-id")]


def test_each_device_counts_its_own_runs() -> None:
    run_of, resets = runs_of([rating("dev-a1", 1), rating("dev-b1", 1)], {"dev-a1": 4}, {"dev-a1": {1}})
    assert run_of == [5, 1]
    assert [r.device_id for r in resets] == ["dev-a1"]


@given(st.lists(st.tuples(st.sampled_from(["dev-a1", "dev-b1"]), st.integers(1, 6)), max_size=20))
def test_a_devices_run_grows_by_one_at_each_reset_and_never_goes_back(sent: list[tuple[str, int]]) -> None:
    ratings = [rating(device_id, seq) for device_id, seq in sent]
    run_of, resets = runs_of(ratings, {}, {})
    for device_id in {"dev-a1", "dev-b1"}:
        runs = [run for run, r in zip(run_of, ratings, strict=True) if r.device_id == device_id]
        assert runs == sorted(runs)
        assert (runs[-1] - 1 if runs else 0) == sum(1 for reset in resets if reset.device_id == device_id)


@given(st.lists(st.integers(1, 10**6), unique=True).map(sorted))
def test_rising_seqs_never_reset(seqs: list[int]) -> None:
    assert runs_of([rating("dev-a1", seq) for seq in seqs], {"dev-a1": 2}, {})[1] == []
