"""The visitor called back (PROTOCOL 1.2), pure: which ratings may carry a number, what a call's outcome is,
and whether a review may close with ``visitor_contacted``.

A visitor who was let down may leave a Saudi mobile number, with consent, on a negative rating (the kiosk's
keypad, the link page); the number is kept apart from the rating (collector/store/callbacks.py), shown only
to those who may act on the review, and erased ``callback_days`` after the review closes.
"""

from __future__ import annotations

from typing import Any

from shared.contract import Rating

OUTCOMES = ("reached", "no_answer", "declined")
OUTCOME_LABELS = {
    "reached": ("تم التواصل", "Reached"),
    "no_answer": ("لم يرد", "No answer"),
    "declined": ("رفض الحديث", "Declined"),
}
NOT_NEGATIVE = (
    "callback_phone is only for a negative rating (the visitor asks to be called back about what went wrong); "
    "send the rating without it"
)
NEEDS_A_CALL = (
    "visitor_contacted needs a reached callback: record the call's outcome first "
    "(POST /api/v1/reviews/{rating_id}/callback)"
)
MAX_NOTE = 500


class CallbackError(ValueError):
    """A callback refused; the text says why and what to do."""


def refused_callbacks(ratings: list[Rating], negative_ids: set[str]) -> dict[str, str]:
    """rating id -> reason, for each rating that carries a number but is not negative."""
    return {r.id: NOT_NEGATIVE for r in ratings if r.callback_phone and r.id not in negative_ids}


def outcome_from(outcome: Any, note: Any) -> tuple[str, str | None]:
    """A call's outcome and its note as a person typed them, or CallbackError with the reason."""
    if outcome not in OUTCOMES:
        raise CallbackError(f"outcome must be one of {', '.join(OUTCOMES)}")
    if note is not None and not isinstance(note, str):
        raise CallbackError("note must be text")
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise CallbackError(f"note: at most {MAX_NOTE} characters")
    return outcome, note


def may_close_with(action: str, callback: dict[str, Any] | None) -> str | None:
    """None when a review may close with ``action``; else the reason it may not."""
    if action == "visitor_contacted" and (callback is None or callback.get("outcome") != "reached"):
        return NEEDS_A_CALL
    return None
