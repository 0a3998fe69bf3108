"""The rule for a message id sent again: the same content is a duplicate, other content a conflict (pure).

A device or an integration may send a rating id again: ``sort_copies`` sorts a
batch's ratings into new ones, duplicates and conflicts, given the content stored
under their ids (``collector.ingest.batch.sorted_against_store`` reads it from the
store and hands the store what this decides). A conflict is named field by field
(``conflict_reason`` for the dead letter, ``differing_fields`` for the API's answer).
A rating's content is what ``content_of`` makes of it, as the ratings table holds
it. Presence (sign-ins and sign-outs) follows the same rule over its own fields
(``presence_content``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from shared.contract import Presence, Rating

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
# What a device says of a sign-in or sign-out: two copies of one id that differ here are a conflict.
PRESENCE_CONTENT = ("device_id", "employee_id", "event", "cause", "at")
CONFLICT = "conflict: this id is already stored with other content; the stored copy stays: "


Message = TypeVar("Message", Rating, Presence)


@dataclass(frozen=True)
class Copies(Generic[Message]):
    """A batch's ratings (or Presence) sorted by the ids already stored: what is new, what is sent again."""

    new: list[tuple[Message, tuple[Any, ...]]]  # the first copy of each id not stored, with its content
    duplicates: list[str]  # ids already stored (or twice in the batch)
    conflicts: list[tuple[int, str]]  # (index in the batch, reason): duplicates with other content


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


def conflict_reason(stored: tuple[Any, ...], again: tuple[Any, ...], columns: Sequence[str] = CONTENT_COLUMNS) -> str:
    """``conflict: ...`` naming each field where a second copy of an id differs from the stored one."""
    changes = [
        f"{name} {first!r} stored, {second!r} now"
        for name, first, second in zip(columns, stored, again, strict=True)
        if first != second
    ]
    return CONFLICT + "; ".join(changes)


def sort_copies(ratings: Sequence[Rating], stored: Mapping[str, tuple[Any, ...]]) -> Copies[Rating]:
    """Sort ``ratings`` by ``stored`` (the content kept under each id already stored).

    An id stored before, or earlier in the batch, is a duplicate; also a conflict when its
    content differs (a comment purged by retention matches any comment). Each new rating's
    content is made once, here, for the row the store inserts.
    """
    new: list[tuple[Rating, tuple[Any, ...]]] = []
    duplicates: list[str] = []
    conflicts: list[tuple[int, str]] = []
    first_in_batch: dict[str, tuple[Any, ...]] = {}
    for index, rating in enumerate(ratings):
        earlier = stored.get(rating.id)
        if earlier is None:
            earlier = first_in_batch.get(rating.id)
        if earlier is not None:
            duplicates.append(rating.id)
            again = comparable(rating, earlier)
            if earlier != again:
                conflicts.append((index, conflict_reason(earlier, again)))
            continue
        content = first_in_batch[rating.id] = content_of(rating)
        new.append((rating, content))
    return Copies(new, duplicates, conflicts)


def presence_content(presence: Presence) -> tuple[str, ...]:
    """A sign-in's or sign-out's content, in ``PRESENCE_CONTENT`` order, as the presence table holds it."""
    return tuple(str(getattr(presence, column)) for column in PRESENCE_CONTENT)


def sort_presence(events: Sequence[Presence], stored: Mapping[str, tuple[Any, ...]]) -> Copies[Presence]:
    """Sort sign-ins and sign-outs by ``stored`` as ``sort_copies`` sorts ratings (no field is ever purged)."""
    new: list[tuple[Presence, tuple[Any, ...]]] = []
    duplicates: list[str] = []
    conflicts: list[tuple[int, str]] = []
    seen = dict(stored)
    for index, event in enumerate(events):
        content = presence_content(event)
        earlier = seen.get(event.id)
        if earlier is not None:
            duplicates.append(event.id)
            if earlier != content:
                conflicts.append((index, conflict_reason(earlier, content, PRESENCE_CONTENT)))
            continue
        seen[event.id] = content
        new.append((event, content))
    return Copies(new, duplicates, conflicts)
