"""What a rating says (its content, as the ratings table holds it) and how two copies of one id differ.

A device or an integration may send a rating id again: the same content is a
duplicate, other content a conflict, named field by field (``conflict_reason`` for
the dead letter, ``differing_fields`` for the API's answer). Pure.
"""

from __future__ import annotations

import json
from typing import Any

from shared.contract import Rating

# What a device says about a rating: two copies of one id that differ here are a conflict.
CONTENT_COLUMNS = (
    "device_id",
    "seq",
    "employee_id",
    "score",
    "reasons",
    "visit_id",
    "lang",
    "created_at",
    "channel",
    "answers",
    "comment",
)
PURGED = "(comment purged by retention)"  # a comment blanked by store/retention.py: any copy's comment matches it


def content_of(rating: Rating) -> tuple[Any, ...]:
    """The rating's contract fields as the ratings table holds them, in ``CONTENT_COLUMNS`` order."""
    return (
        rating.device_id,
        rating.seq,
        rating.employee_id,
        rating.score,
        json.dumps(rating.reasons) if rating.reasons else "[]",  # most ratings give none: json.dumps costs more
        rating.visit_id,
        rating.lang,
        rating.created_at,
        rating.channel,
        json.dumps(rating.answers, sort_keys=True) if rating.answers else None,  # NULL: no survey answered
        rating.comment,
    )


def differing_fields(stored: tuple[Any, ...], again: tuple[Any, ...]) -> list[str]:
    """The names of the ``CONTENT_COLUMNS`` where a second copy of an id differs from the stored one (pure)."""
    return [name for name, first, second in zip(CONTENT_COLUMNS, stored, again, strict=True) if first != second]


def comparable(rating: Rating, stored: tuple[Any, ...]) -> tuple[Any, ...]:
    """``rating``'s content to compare with ``stored``: a comment purged by retention matches any comment."""
    return content_of(rating)[:-1] + ((PURGED,) if stored[-1] == PURGED else (rating.comment,))


def conflict_reason(stored: tuple[Any, ...], again: tuple[Any, ...]) -> str:
    """``conflict: ...`` naming each field where a second copy of an id differs from the stored one."""
    changes = [
        f"{name} {first!r} stored, {second!r} now"
        for name, first, second in zip(CONTENT_COLUMNS, stored, again, strict=True)
        if first != second
    ]
    return "conflict: this id is already stored with other content; the stored copy stays: " + "; ".join(changes)
