"""The rule for an id sent again: duplicates, conflicts and their reasons (collector/ingest/conflicts.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from collector.ingest.conflicts import (
    CONFLICT,
    CONTENT_COLUMNS,
    PURGED,
    comparable,
    conflict_reason,
    content_of,
    differing_fields,
    presence_content,
    sort_copies,
    sort_presence,
)
from shared.contract import Presence, Rating

IDS = [f"0190a4c2-7d3b-7c6a-9a43-2f1b7f3c9e1{n}" for n in range(4)]


def rating(id_: str = IDS[0], score: int = 4, comment: str | None = None, seq: int = 1) -> Rating:
    return Rating(
        id=id_,
        seq=seq,
        device_id="dev-a1",
        employee_id="E1",
        score=score,
        reasons=[],
        created_at="2026-11-28T09:15:02.123Z",
        comment=comment,
    )


def sign_in(id_: str = IDS[0], employee_id: str = "E1") -> Presence:
    return Presence(
        id=id_, device_id="dev-a1", employee_id=employee_id, event="sign_in", cause="pin", at="2026-11-28T09:00:00.000Z"
    )


def test_a_rating_whose_id_is_not_stored_is_new_with_its_content() -> None:
    r = rating()
    copies = sort_copies([r], {})
    assert copies.new == [(r, content_of(r))]
    assert (copies.duplicates, copies.conflicts) == ([], [])


def test_the_same_content_again_is_a_duplicate_and_no_conflict() -> None:
    r = rating()
    copies = sort_copies([r], {r.id: content_of(r)})
    assert (copies.new, copies.duplicates, copies.conflicts) == ([], [r.id], [])


def test_other_content_under_a_stored_id_is_a_conflict_naming_each_field_that_differs() -> None:
    assert CONFLICT == "conflict: this id is already stored with other content; the stored copy stays: "
    stored = rating(score=4)
    copies = sort_copies([rating(score=2)], {stored.id: content_of(stored)})
    assert copies.duplicates == [stored.id]
    [(index, reason)] = copies.conflicts
    assert index == 0
    assert reason == CONFLICT + "score 4 stored, 2 now"


def test_an_id_twice_in_one_batch_is_new_once_then_a_conflict_when_its_content_differs() -> None:
    first, second, third = rating(score=4), rating(score=5), rating(score=4)
    copies = sort_copies([first, second, third], {})
    assert [r for r, _ in copies.new] == [first]
    assert copies.duplicates == [first.id, first.id]
    assert [index for index, _ in copies.conflicts] == [1]


def test_a_comment_purged_by_retention_matches_any_comment_sent_again() -> None:
    stored = (*content_of(rating(comment="slow"))[:-1], PURGED)
    copies = sort_copies([rating(comment="anything at all")], {IDS[0]: stored})
    assert (copies.duplicates, copies.conflicts) == ([IDS[0]], [])
    assert comparable(rating(comment="x"), stored)[-1] == PURGED


def test_differing_fields_names_the_columns_and_the_reason_says_stored_then_now() -> None:
    stored, again = content_of(rating(score=4, seq=1)), content_of(rating(score=1, seq=7))
    assert differing_fields(stored, again) == ["seq", "score"]
    assert conflict_reason(stored, again).endswith("seq 1 stored, 7 now; score 4 stored, 1 now")
    assert len(content_of(rating())) == len(CONTENT_COLUMNS)


def test_a_sign_in_sent_again_for_another_employee_is_a_conflict_and_the_same_one_a_duplicate() -> None:
    kept = sign_in()
    copies = sort_presence([sign_in(), sign_in(employee_id="E2"), sign_in(IDS[1])], {kept.id: presence_content(kept)})
    assert [event.id for event, _ in copies.new] == [IDS[1]]
    assert copies.duplicates == [IDS[0], IDS[0]]
    assert copies.conflicts == [(1, CONFLICT + "employee_id 'E1' stored, 'E2' now")]


batches = st.lists(st.tuples(st.sampled_from(IDS), st.integers(1, 5)), max_size=12)


@given(batches, st.sets(st.sampled_from(IDS)))
def test_every_rating_is_new_once_per_unstored_id_or_a_duplicate_and_every_conflict_is_a_duplicate(
    sent: list[tuple[str, int]], stored_ids: set[str]
) -> None:
    ratings = [rating(id_, score) for id_, score in sent]
    copies = sort_copies(ratings, {id_: content_of(rating(id_, 3)) for id_ in stored_ids})
    new_ids = [r.id for r, _ in copies.new]
    assert len(new_ids) + len(copies.duplicates) == len(ratings)
    assert sorted(new_ids) == sorted({id_ for id_, _ in sent} - stored_ids)
    assert all(ratings[index].id in copies.duplicates for index, _ in copies.conflicts)
    assert all(ratings[index].score != 3 or ratings[index].id not in stored_ids for index, _ in copies.conflicts)
