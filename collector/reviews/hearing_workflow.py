"""Approving a formal warning, the employee's appeal and its decision: collector.reviews.hearing applied to the store.

Shared by the JSON API, the pages and the CLI. Refusals are the workflow's exceptions
(collector.reviews.workflow): ReviewNotFound 404 (not in the reader's sites, or not the
employee's own), ReviewRefused 403 (the wrong person: the closer approving or deciding, a
supervisor appealing), ReviewConflict 409 (the wrong moment: nothing pending, a second or a
late appeal), ReviewError 422 (a field to fix). Nothing is stored when one is raised.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from collector.reviews.hearing import (
    APPEAL_REFUSALS,
    appeal_public,
    appeal_refusal_key,
    appeal_text_from,
    approval_refusal,
    decision_note_from,
    decision_refusal,
    events_public,
    pending_closure,
)
from collector.reviews.rules import ReviewError
from collector.reviews.workflow import Reader, ReviewClosed, ReviewRefused, review_in_scope
from collector.store import Store
from shared.clock import format_time


class ReviewConflict(ReviewClosed):
    """The review is not in the state this step needs (answered 409, as a closed review is).

    ``key`` and ``values``: an appeal's refusal as collector.reviews.hearing.APPEAL_REFUSALS names it,
    so My page words it in the employee's language.
    """

    def __init__(self, reason: str, key: str | None = None, values: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.key = key
        self.values = values or {}


def _now() -> str:
    return format_time(datetime.now(UTC))


def _refuse(refusal: tuple[str, str] | None) -> None:
    if refusal is not None:
        kind, reason = refusal
        raise (ReviewRefused if kind == "forbidden" else ReviewConflict)(reason)


def approve(store: Store, reader: Reader, rating_id: str, now: str | None = None) -> dict[str, Any]:
    """Approve the formal warning proposed on this review: it closes, its proposer as the closer."""
    item = review_in_scope(store, reader, rating_id)
    if reader.employee_id is not None:
        raise ReviewRefused("an employee may not approve a review's closing")
    _refuse(approval_refusal(item["review"], reader.name))
    pending = pending_closure(item["review"])
    if pending is None or not store.hearings.approve(rating_id, reader.name, pending, now or _now()):
        raise ReviewConflict("the proposal changed while you were approving it: open the review again")
    return review_in_scope(store, reader, rating_id)


def appeal(store: Store, reader: Reader, rating_id: str, text: Any, now: str | None = None) -> dict[str, Any]:
    """The rated employee's appeal of a closed review that holds them to account (once, within 7 days)."""
    if reader.employee_id is None:
        raise ReviewRefused("only the employee the review holds to account may appeal it, from their own account")
    item = review_in_scope(store, reader, rating_id)  # a colleague's review: ReviewNotFound
    at = now or _now()
    refusal = appeal_refusal_key(item["review"], at)
    if refusal is not None:
        key, values = refusal
        raise ReviewConflict(APPEAL_REFUSALS[key].format(**values), key, values)
    body = appeal_text_from(text)
    if not store.hearings.appeal(rating_id, reader.name, reader.employee_id, body, at):
        raise ReviewConflict("the review changed while you were appealing: open it again")
    return review_in_scope(store, reader, rating_id)


def decide(
    store: Store, reader: Reader, rating_id: str, upheld: Any, note: Any, now: str | None = None
) -> dict[str, Any]:
    """Decide an appeal; upheld: the rating leaves the employee's figures (not attributable)."""
    item = review_in_scope(store, reader, rating_id)
    if reader.employee_id is not None:
        raise ReviewRefused("an employee may not decide an appeal")
    _refuse(decision_refusal(item["review"], reader.name))
    if not isinstance(upheld, bool):
        raise ReviewError("upheld must be true (the rating leaves the employee's figures) or false")
    text = decision_note_from(note)
    if not store.hearings.decide(rating_id, reader.name, upheld, text, now or _now()):
        raise ReviewConflict("the appeal changed while you were deciding it: open the review again")
    return review_in_scope(store, reader, rating_id)


def upheld_from(value: Any) -> bool:
    """A page's yes/no choice as a bool; ReviewError when none was chosen."""
    if value in ("yes", "true"):
        return True
    if value in ("no", "false"):
        return False
    raise ReviewError("choose whether the appeal is upheld (yes) or dismissed (no)")


def with_hearing(item: dict[str, Any], history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An API item with PROTOCOL 1.2's ``appeal`` and ``events``, and ``pending_approval`` (the proposal, or null)."""
    events = events_public(history if history is not None else item.get("history", []))
    return {
        **item,
        "appeal": appeal_public(item["review"]),
        "pending_approval": pending_closure(item["review"]),
        "events": events,
    }
