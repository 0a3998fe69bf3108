"""A fair hearing for the rated employee (pure): a formal warning waits for a second person, an appeal once in 7 days.

- The employee named by a negative sees its review on My page as soon as it opens and
  may add their answer (``collector.reviews.rules.response_from``) before it closes.
- Closing with ``formal_warning`` only proposes it (``needs_approval``): the review stays
  open, "pending approval", until a different supervisor of the site or an admin approves
  it (``approval_refusal``). Until then it counts as open in every report and on the
  Reviews page, and its rating counts in the employee's figures as any open review's does.
- A closed review that holds the employee to account (attributable) may be appealed by that
  employee once, within ``APPEAL_DAYS`` of its closing (``appeal_refusal``); a supervisor or
  admin other than the closer decides (``decision_refusal``); an upheld appeal makes the rating
  not attributable, so it leaves the employee's figures (and only theirs).
- Which causes are outside the employee's control, so not held against them by default, is
  each site's choice in sites.toml (``not_attributable_causes``); without one,
  ``NOT_ATTRIBUTABLE_BY_DEFAULT``.

The refusals' texts say what to do; ``collector.reviews.hearing_workflow`` raises them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from collector.reviews.rules import NOT_ATTRIBUTABLE_BY_DEFAULT, ReviewError
from shared.clock import format_time, parse_time

APPEAL_DAYS = 7
MAX_APPEAL = 2000
APPROVAL_ACTIONS = frozenset({"formal_warning"})


def needs_approval(action: str) -> bool:
    """Whether closing with this action waits for a second supervisor's or an admin's approval."""
    return action in APPROVAL_ACTIONS


def outside_control(site_choice: list[str] | None) -> frozenset[str]:
    """The causes not held against the employee by default at a site: its own list, else the built-in one."""
    return NOT_ATTRIBUTABLE_BY_DEFAULT if site_choice is None else frozenset(site_choice)


def appeal_text_from(text: Any) -> str:
    value = text.strip() if isinstance(text, str) else ""
    if not value:
        raise ReviewError("text is required: say why the review should not hold you to account")
    if len(value) > MAX_APPEAL:
        raise ReviewError(f"text is too long ({len(value)} characters; at most {MAX_APPEAL})")
    return value


def decision_note_from(note: Any) -> str:
    value = note.strip() if isinstance(note, str) else ""
    if not value:
        raise ReviewError("note is required: say why the appeal is upheld or dismissed")
    if len(value) > MAX_APPEAL:
        raise ReviewError(f"note is too long ({len(value)} characters; at most {MAX_APPEAL})")
    return value


def appeal_deadline(closed_at: str) -> str:
    """The last moment an appeal is taken: ``APPEAL_DAYS`` after the review closed (took effect)."""
    return format_time(parse_time(closed_at) + timedelta(days=APPEAL_DAYS))


def pending_closure(review: dict[str, Any]) -> dict[str, Any] | None:
    """The proposed closing awaiting approval (with ``by`` and ``at``), or None."""
    value = review.get("pending_closure")
    return value if isinstance(value, dict) else None


def approval_refusal(review: dict[str, Any], approver: str) -> tuple[str, str] | None:
    """Why ``approver`` may not approve this review's formal warning: ("conflict" | "forbidden", reason), or None."""
    pending = pending_closure(review)
    if review["status"] != "open" or pending is None:
        return "conflict", "nothing awaits approval on this review (only a proposed formal warning does)"
    if pending["by"] == approver:
        return "forbidden", "you proposed this formal warning: another supervisor of the site or an admin approves it"
    return None


APPEAL_REFUSALS = {  # key: the reason in English (the pages word it in their language: appeal_refused_<key>)
    "awaiting_approval": "this review awaits approval of a formal warning; you may appeal once it is approved",
    "still_open": "this review is still open: add your response instead; you may appeal once it closes",
    "again": "you have already appealed this review; an appeal is taken once",
    "not_held": "this review does not hold you to account (not attributable): there is nothing to appeal",
    "late": "the {days} days to appeal ended on {ended} (the review closed on {closed})",
}


def appeal_refusal_key(review: dict[str, Any], now: str) -> tuple[str, dict[str, Any]] | None:
    """Why the rated employee may not appeal now, as a key of ``APPEAL_REFUSALS`` and its values; None: they may."""
    if review["status"] != "closed":
        return ("awaiting_approval" if pending_closure(review) is not None else "still_open"), {}
    if review.get("appeal_at") is not None:
        return "again", {}
    if not review.get("attributable"):
        return "not_held", {}
    deadline = appeal_deadline(review["closed_at"])
    if now > deadline:
        return "late", {"days": APPEAL_DAYS, "ended": deadline[:10], "closed": review["closed_at"][:10]}
    return None


def appeal_refusal(review: dict[str, Any], now: str) -> str | None:
    """Why the rated employee may not appeal this review now, or None (the caller checked it is theirs)."""
    refusal = appeal_refusal_key(review, now)
    return None if refusal is None else APPEAL_REFUSALS[refusal[0]].format(**refusal[1])


def decision_refusal(review: dict[str, Any], decider: str) -> tuple[str, str] | None:
    """Why ``decider`` may not decide this review's appeal: ("conflict" | "forbidden", reason), or None."""
    if review.get("appeal_at") is None:
        return "conflict", "there is no appeal on this review to decide"
    if review.get("appeal_upheld") is not None:
        return "conflict", "this appeal has been decided already; a decision is final"
    if decider == review.get("closed_by"):
        return "forbidden", "you closed this review: another supervisor of the site or an admin decides its appeal"
    return None


def appeal_public(review: dict[str, Any]) -> dict[str, Any] | None:
    """The ``appeal`` of an API item (PROTOCOL 1.2): text, at, upheld, decided_by, decided_at (and note), or None."""
    if review.get("appeal_at") is None:
        return None
    upheld = review.get("appeal_upheld")
    return {
        "text": review.get("appeal_text"),
        "at": review["appeal_at"],
        "upheld": None if upheld is None else bool(upheld),
        "decided_by": review.get("appeal_decided_by"),
        "decided_at": review.get("appeal_decided_at"),
        "note": review.get("appeal_note"),
    }


def events_public(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``events`` of an API item: each step of the history with ``kind``, ``at``, ``by`` and its ``data``."""
    return [{"kind": e["kind"], "at": e["at"], "by": e["actor"], "data": e.get("data") or {}} for e in history]
