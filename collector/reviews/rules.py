"""The review workflow of negative ratings (pure): closing rules, labels and queue order.

A review is opened by ingest for every negative rating. A supervisor closes it
with a cause category, the action taken, a note, and whether the rating is
attributable to the employee (default from the cause: ``attributable_default``);
a rating that is not stays out of that employee's figures only. The employee's
response may be added at any time. Nothing is edited in place: the Store appends every
step to ``review_events``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CAUSES: dict[str, tuple[str, str]] = {  # code: (Arabic, English)
    "staff_conduct": ("سلوك الموظف", "Staff conduct"),
    "waiting_time": ("وقت الانتظار", "Waiting time"),
    "procedure_policy": ("الإجراء أو السياسة", "Procedure or policy"),
    "system_outage": ("تعطل الأنظمة", "System outage"),
    "visitor_misunderstanding": ("سوء فهم من المراجع", "Visitor misunderstanding"),
    "other": ("أخرى", "Other"),
}
ACTIONS: dict[str, tuple[str, str]] = {
    "coaching": ("توجيه وتدريب", "Coaching"),
    "formal_warning": ("إنذار رسمي", "Formal warning"),
    "process_fix": ("تحسين الإجراء", "Process fix"),
    "visitor_contacted": ("التواصل مع المراجع", "Visitor contacted"),
    "no_action": ("لا إجراء (مع ذكر السبب)", "No action (reason in the note)"),
}
# Causes that are not the employee's doing: a rating closed with one of them leaves the
# employee's mean by default. Staff conduct, waiting time and "other" count against the
# employee by default, as every rating did before; the supervisor confirms or overrides.
# A site chooses its own list in sites.toml (``not_attributable_causes``, collector/reviews/hearing.py).
NOT_ATTRIBUTABLE_BY_DEFAULT = frozenset({"system_outage", "procedure_policy", "visitor_misunderstanding"})
MAX_NOTE = 2000
MAX_RESPONSE = 2000


class ReviewError(ValueError):
    """A closing or response that breaks the rules; the text says what to fix."""


@dataclass(frozen=True)
class Closure:
    cause: str
    action: str
    note: str
    attributable: bool = True
    attributable_from: str = "cause"  # "supervisor": chosen when closing; "cause": the cause's default

    def as_dict(self) -> dict[str, Any]:
        return {
            "cause": self.cause,
            "action": self.action,
            "note": self.note,
            "attributable": self.attributable,
            "attributable_from": self.attributable_from,
        }


def attributable_default(cause: str, outside_control: frozenset[str] = NOT_ATTRIBUTABLE_BY_DEFAULT) -> bool:
    """Whether a rating closed with this cause counts against the employee unless the supervisor says otherwise.

    ``outside_control``: the causes the site holds outside the employee's control (sites.toml's
    ``not_attributable_causes``, collector.reviews.hearing.outside_control); the built-in ones by default.
    """
    return cause not in outside_control


def attributable_from(value: Any) -> bool | None:
    """The supervisor's answer: True, False, or None when none was given (then the cause decides)."""
    if value is None or isinstance(value, bool):
        return value
    text = value.strip().lower() if isinstance(value, str) else None
    if text == "":
        return None
    if text in ("yes", "true"):
        return True
    if text in ("no", "false"):
        return False
    raise ReviewError("attributable must be true or false (yes or no); leave it out to follow the cause")


def closure_from(
    cause: Any,
    action: Any,
    note: Any,
    attributable: Any = None,
    outside_control: frozenset[str] = NOT_ATTRIBUTABLE_BY_DEFAULT,
) -> Closure:
    """Validate what a supervisor submitted to close a review; no ``attributable``: the cause's default at the site."""
    if cause not in CAUSES:
        raise ReviewError(f"cause must be one of {', '.join(CAUSES)}")
    if action not in ACTIONS:
        raise ReviewError(f"action must be one of {', '.join(ACTIONS)}")
    text = note.strip() if isinstance(note, str) else ""
    if not text:
        what = "the reason for taking no action" if action == "no_action" else "what was found and done"
        raise ReviewError(f"note is required: write {what}")
    if len(text) > MAX_NOTE:
        raise ReviewError(f"note is too long ({len(text)} characters; at most {MAX_NOTE})")
    chosen = attributable_from(attributable)
    if chosen is None:
        return Closure(cause, action, text, attributable_default(cause, outside_control), "cause")
    return Closure(cause, action, text, chosen, "supervisor")


def response_from(text: Any) -> str:
    value = text.strip() if isinstance(text, str) else ""
    if not value:
        raise ReviewError("response is required: the employee's own account of the visit")
    if len(value) > MAX_RESPONSE:
        raise ReviewError(f"response is too long ({len(value)} characters; at most {MAX_RESPONSE})")
    return value


def label(table: dict[str, tuple[str, str]], code: str | None, lang: str) -> str:
    if code is None:
        return ""
    pair = table.get(code)
    return code if pair is None else pair[0 if lang == "ar" else 1]


def queue_order(items: list[dict[str, Any]], today_since: str) -> list[dict[str, Any]]:
    """Open reviews of today first (newest first), then older open ones, then closed ones."""

    def group(item: dict[str, Any]) -> int:
        is_open = item["review"]["status"] == "open"
        return 0 if is_open and item["rating"]["created_at"] >= today_since else 1 if is_open else 2

    newest_first = sorted(items, key=lambda item: item["rating"]["created_at"], reverse=True)
    return sorted(newest_first, key=group)  # stable: newest first inside each group
