"""The fair hearing's pure rules: who approves a formal warning, when an appeal is taken, who decides it."""

from __future__ import annotations

from typing import Any

import pytest

from collector.reviews.hearing import (
    APPEAL_DAYS,
    appeal_deadline,
    appeal_public,
    appeal_refusal,
    appeal_text_from,
    approval_refusal,
    decision_refusal,
    events_public,
    needs_approval,
    outside_control,
)
from collector.reviews.rules import NOT_ATTRIBUTABLE_BY_DEFAULT, ReviewError, attributable_default, closure_from

CLOSED_AT = "2026-11-28T12:00:00.000Z"


def closed(**extra: Any) -> dict[str, Any]:
    return {"status": "closed", "closed_at": CLOSED_AT, "closed_by": "sup-a", "attributable": True, **extra}


def test_only_a_formal_warning_waits_for_approval() -> None:
    assert needs_approval("formal_warning")
    assert not any(needs_approval(a) for a in ("coaching", "process_fix", "visitor_contacted", "no_action"))


def test_the_proposer_may_not_approve_and_another_may() -> None:
    review = {"status": "open", "pending_closure": {"by": "sup-a", "at": CLOSED_AT, "action": "formal_warning"}}
    assert approval_refusal(review, "sup-a")[0] == "forbidden"  # type: ignore[index]
    assert "another supervisor" in approval_refusal(review, "sup-a")[1]  # type: ignore[index]
    assert approval_refusal(review, "sup-c") is None


def test_nothing_to_approve_is_a_conflict() -> None:
    assert approval_refusal({"status": "open", "pending_closure": None}, "sup-c")[0] == "conflict"  # type: ignore[index]
    assert approval_refusal(closed(), "sup-c")[0] == "conflict"  # type: ignore[index]


def test_an_appeal_is_taken_within_seven_days_of_the_closing() -> None:
    assert appeal_deadline(CLOSED_AT) == "2026-12-05T12:00:00.000Z"
    assert appeal_refusal(closed(), "2026-12-05T12:00:00.000Z") is None
    late = appeal_refusal(closed(), "2026-12-05T12:00:00.001Z")
    assert late == f"the {APPEAL_DAYS} days to appeal ended on 2026-12-05 (the review closed on 2026-11-28)"


@pytest.mark.parametrize(
    ("review", "says"),
    [
        (closed(appeal_at="2026-11-29T08:00:00.000Z"), "already appealed"),
        (closed(attributable=False), "does not hold you to account"),
        ({"status": "open"}, "still open"),
        ({"status": "open", "pending_closure": {"by": "sup-a"}}, "awaits approval"),
    ],
)
def test_an_appeal_is_refused_with_its_reason(review: dict[str, Any], says: str) -> None:
    reason = appeal_refusal(review, "2026-11-29T00:00:00.000Z")
    assert reason is not None and says in reason


def test_the_closer_may_not_decide_the_appeal_and_a_decision_is_final() -> None:
    appealed = closed(appeal_at="2026-11-29T08:00:00.000Z", appeal_upheld=None)
    assert decision_refusal(appealed, "sup-a")[0] == "forbidden"  # type: ignore[index]
    assert decision_refusal(appealed, "admin") is None
    assert decision_refusal({**appealed, "appeal_upheld": 0}, "admin")[0] == "conflict"  # type: ignore[index]
    assert decision_refusal(closed(), "admin")[0] == "conflict"  # type: ignore[index]


def test_an_appeal_needs_words_and_not_too_many() -> None:
    assert appeal_text_from("  the system was down  ") == "the system was down"
    with pytest.raises(ReviewError, match="text is required"):
        appeal_text_from("   ")
    with pytest.raises(ReviewError, match="too long"):
        appeal_text_from("x" * 2001)


def test_a_site_chooses_its_causes_outside_the_employees_control() -> None:
    assert outside_control(None) == NOT_ATTRIBUTABLE_BY_DEFAULT
    assert attributable_default("waiting_time")  # the built-in default: waiting time counts against the employee
    site = outside_control(["waiting_time", "system_outage"])
    assert not attributable_default("waiting_time", site)
    assert attributable_default("procedure_policy", site)  # a site's own list replaces the built-in one
    closure = closure_from("waiting_time", "process_fix", "two counters closed", None, site)
    assert (closure.attributable, closure.attributable_from) == (False, "cause")
    assert closure_from("waiting_time", "process_fix", "n", True, site).attributable is True  # the supervisor decides


def test_an_item_shows_its_appeal_and_its_events_with_who_and_when() -> None:
    assert appeal_public(closed()) is None
    review = closed(appeal_at="2026-11-29T08:00:00.000Z", appeal_text="outage", appeal_upheld=1)
    review.update(appeal_decided_by="admin", appeal_decided_at="2026-11-30T08:00:00.000Z", appeal_note="confirmed")
    assert appeal_public(review) == {
        "text": "outage",
        "at": "2026-11-29T08:00:00.000Z",
        "upheld": True,
        "decided_by": "admin",
        "decided_at": "2026-11-30T08:00:00.000Z",
        "note": "confirmed",
    }
    history = [{"at": CLOSED_AT, "actor": "system", "kind": "opened", "data": {}}]
    assert events_public(history) == [{"kind": "opened", "at": CLOSED_AT, "by": "system", "data": {}}]
