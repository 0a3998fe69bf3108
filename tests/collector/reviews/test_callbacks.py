"""The visitor called back, pure (collector/reviews/callbacks.py)."""

from __future__ import annotations

import pytest

from collector.reviews.callbacks import (
    NEEDS_A_CALL,
    NOT_NEGATIVE,
    CallbackError,
    may_close_with,
    outcome_from,
    refused_callbacks,
)
from shared.contract import Rating

BASE = {"seq": 1, "device_id": "dev-1", "created_at": "2026-12-08T09:00:00.000Z"}


def rating(n: int, score: int, phone: str | None) -> Rating:
    return Rating(id=f"01a2216f-c26b-749c-b201-cf186d19de{n:02d}", score=score, callback_phone=phone, **BASE)


def test_only_a_number_on_a_rating_that_is_not_negative_is_refused() -> None:
    ratings = [rating(1, 1, "+966512345678"), rating(2, 5, "+966512345678"), rating(3, 5, None)]
    assert refused_callbacks(ratings, {ratings[0].id}) == {ratings[1].id: NOT_NEGATIVE}


def test_a_calls_outcome_is_one_of_three_and_its_note_is_trimmed_text() -> None:
    assert outcome_from("reached", "  spoke with her  ") == ("reached", "spoke with her")
    assert outcome_from("no_answer", "") == ("no_answer", None)
    for outcome, note in (("called", None), ("reached", 5), ("declined", "x" * 501)):
        with pytest.raises(CallbackError):
            outcome_from(outcome, note)


def test_visitor_contacted_needs_a_reached_call_and_no_other_action_does() -> None:
    assert may_close_with("visitor_contacted", None) == NEEDS_A_CALL
    assert may_close_with("visitor_contacted", {"outcome": "no_answer"}) == NEEDS_A_CALL
    assert may_close_with("visitor_contacted", {"outcome": "reached"}) is None
    assert may_close_with("coaching", None) is None
