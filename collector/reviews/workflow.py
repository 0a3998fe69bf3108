"""Closing a review and adding the employee's response: the rules of collector.reviews.rules applied to the store.

Shared by the JSON API and the review page. Refusals are exceptions whose text
says what to do; each side turns them into its own answer (a status code and
``detail``, or the form shown again with the message).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from collector.reviews.callbacks import CallbackError, may_close_with, outcome_from
from collector.reviews.hearing import needs_approval, outside_control
from collector.reviews.presence_at_tap import presence_at_tap
from collector.reviews.rules import ReviewError, closure_from, response_from
from collector.store import Store
from shared.clock import format_time


class Reader(Protocol):
    """Who acts on a review: a name for the history, the sites they may see (None: all), an employee's staff number."""

    @property
    def name(self) -> str: ...

    @property
    def employee_id(self) -> str | None: ...

    def site_scope(self) -> list[str] | None: ...


class ReviewNotFound(LookupError):
    """No review for that rating in the reader's sites (no hint that it exists elsewhere)."""


class ReviewClosed(Exception):
    """The review is closed already; only a response may be added."""


class ReviewRefused(PermissionError):
    """The reader may see the review but not do this to it (an employee closing their own review)."""


def review_in_scope(store: Store, reader: Reader, rating_id: str) -> dict[str, Any]:
    """The review, or ReviewNotFound when there is none in the reader's sites.

    ``presence`` says whether the rated employee was signed in at the desk at the tap.
    An employee's scope is their own ratings, at any site; a colleague's review is
    answered exactly as one that does not exist.
    """
    item = store.reviews.get(rating_id)
    if reader.employee_id is not None:
        if item is None or item["rating"]["employee_id"] != reader.employee_id:
            raise ReviewNotFound("no review for that rating among yours")
        return {**item, "callback": None}  # the visitor's number is for those who act on the review
    scope = reader.site_scope()
    if item is None or (scope is not None and item["rating"]["site_id"] not in scope):
        raise ReviewNotFound("no review for that rating in your sites")
    item["presence"] = presence_at_tap(store, item["rating"])
    item["callback"] = callback_view(store.callbacks.of([rating_id]).get(rating_id))
    return item


def callback_view(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """A review item's ``callback`` (PROTOCOL 1.2): the number while kept, when asked, the call's outcome."""
    if row is None:
        return None
    keys = ("phone", "asked_at", "outcome", "note", "done_at")
    return {key: row[key] for key in keys}


def with_callbacks(store: Store, reader: Reader, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The queue's items with their ``callback`` (None for an employee reading their own)."""
    rows = {} if reader.employee_id is not None else store.callbacks.of([i["rating"]["id"] for i in items])
    return [{**i, "callback": callback_view(rows.get(i["rating"]["id"]))} for i in items]


def close(
    store: Store, reader: Reader, rating_id: str, cause: Any, action: Any, note: Any, attributable: Any = None
) -> dict[str, Any]:
    """Close an open review; ReviewError says which field to fix. ``attributable`` None: the cause decides.

    The cause's default is the site's (sites.toml ``not_attributable_causes``). A ``formal_warning``
    only proposes the closing (collector.reviews.hearing): the review stays open, its
    ``pending_closure`` set, until another supervisor or an admin approves it. Closing a review
    that awaits approval with another action closes it at once and withdraws the proposal.
    """
    item = review_in_scope(store, reader, rating_id)
    if reader.employee_id is not None:
        raise ReviewRefused("an employee may add their response to a review, never close it")
    site_causes = outside_control(store.hearings.causes_outside_control(item["rating"]["site_id"]))
    closure = closure_from(cause, action, note, attributable, site_causes)
    if (reason := may_close_with(closure.action, item["callback"])) is not None:
        raise ReviewError(reason)
    now = format_time(datetime.now(UTC))
    if item["review"]["status"] == "open" and needs_approval(closure.action):
        if store.hearings.propose(rating_id, reader.name, closure.as_dict(), now):
            return review_in_scope(store, reader, rating_id)
    elif item["review"]["status"] == "open" and store.reviews.close(rating_id, reader.name, closure.as_dict(), now):
        return review_in_scope(store, reader, rating_id)
    raise ReviewClosed("this review is already closed; add to it with an employee response")


def respond(store: Store, reader: Reader, rating_id: str, text: Any) -> dict[str, Any]:
    """Add a response to the history, recorded as the reader (and, for an employee, their staff number)."""
    review_in_scope(store, reader, rating_id)
    response = response_from(text)
    now = format_time(datetime.now(UTC))
    store.reviews.respond(rating_id, reader.name, response, now, employee_id=reader.employee_id)
    return review_in_scope(store, reader, rating_id)


def record_callback(store: Store, reader: Reader, rating_id: str, outcome: Any, note: Any) -> dict[str, Any]:
    """The outcome of the call to a visitor who asked to be called back, with its event in the history."""
    item = review_in_scope(store, reader, rating_id)
    if reader.employee_id is not None:
        raise ReviewRefused("an employee does not call the visitor back; the review's owner does")
    try:
        outcome, note = outcome_from(outcome, note)
    except CallbackError as exc:
        raise ReviewError(str(exc)) from None
    if item["callback"] is None:
        raise ReviewError("the visitor did not ask to be called back about this rating")
    store.callbacks.record(rating_id, outcome, note, reader.name, format_time(datetime.now(UTC)))
    return review_in_scope(store, reader, rating_id)


REFUSALS: tuple[type[Exception], ...] = (ReviewNotFound, ReviewClosed, ReviewRefused, ReviewError)
