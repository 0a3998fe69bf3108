"""A review's owner: the rota's choice when it opens, a reassignment later, and who may own a site's reviews.

The pure rules are collector/reviews/rota.py and deadlines.py; this module applies them to
the store. Ingest calls :func:`assign_new_reviews` inside the batch's own transaction
(collector/ingest/subscriber.py:store_batch), so a review is never committed without its
owner and deadline.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from collector.reviews.deadlines import director_at, due_at, is_overdue
from collector.reviews.rota import SITE_WIDE, Rota, next_owner
from collector.reviews.rules import ReviewError
from collector.reviews.workflow import Reader, ReviewClosed, review_in_scope
from collector.store import Store
from shared.clock import format_time


def rota_of(store: Store, site_id: str | None, rotas: dict[str, str] | None = None) -> Rota:
    """The site's rota from sites.toml, or the default (nobody in turn, 08:00-16:00, Sunday to Thursday)."""
    kept = store.review_owners.rotas() if rotas is None else rotas
    text = kept.get(site_id or "")
    return Rota.from_json(site_id or "", text) if text is not None else Rota(site_id or "")


def assign_new_reviews(store: Store, negatives: list[dict[str, Any]], at: str) -> None:
    """Give each newly opened review its owner in turn, its ``due_at`` and its director time."""
    if not negatives:
        return
    owners = store.review_owners
    rotas, away = owners.rotas(), owners.away()
    with store.transaction():
        for row in negatives:
            rota = rota_of(store, row["site_id"], rotas)
            section = owners.desk_section(row["site_id"], row["desk_id"])
            turn_key = section if section and rota.supervisors.get(section) else SITE_WIDE
            owner = next_owner(rota.in_turn(section), owners.last_owner(rota.site_id, turn_key), away)
            due = due_at(rota, row.get("counted_at") or row["created_at"])
            owners.set_first_owner(row["id"], row["site_id"], owner, due, director_at(rota, due), at)
            if owner is not None:
                owners.note_turn(rota.site_id, turn_key, owner)


def may_review(user: dict[str, Any] | None, site_id: str | None) -> bool:
    """An enabled admin, or an enabled supervisor of that site (or of every site)."""
    if user is None or user.get("disabled_at") is not None:
        return False
    if user["role"] == "admin":
        return True
    return user["role"] == "supervisor" and ("*" in user["sites"] or site_id in user["sites"])


def assign(store: Store, reader: Reader, rating_id: str, owner: Any) -> dict[str, Any]:
    """Give an open review to ``owner``; ReviewError (422) when that user may not review its site."""
    item = review_in_scope(store, reader, rating_id)
    name = owner.strip() if isinstance(owner, str) else ""
    if not name:
        raise ReviewError("owner is required: the user name of a supervisor of this site, or of an admin")
    user = store.accounts.user(name=name)
    if not may_review(user, item["rating"]["site_id"]):
        raise ReviewError(
            f"{name} may not review site {item['rating']['site_id']}: choose a supervisor of that site or an admin"
        )
    assert user is not None  # may_review said so
    if not store.review_owners.reassign(rating_id, user["name"], reader.name, format_time(datetime.now(UTC))):
        raise ReviewClosed("this review is already closed; a closed review keeps its owner")
    return review_in_scope(store, reader, rating_id)


def possible_owners(store: Store, site_id: str | None) -> list[str]:
    """The user names a review of this site may be given to, for the review page's control."""
    return [user["name"] for user in store.accounts.users() if may_review(user, site_id)]


def with_ownership(store: Store, items: list[dict[str, Any]], now: str | None = None) -> list[dict[str, Any]]:
    """PROTOCOL 1.2: each review item gains ``owner``, ``due_at``, ``overdue``, ``escalations`` and ``events``."""
    now = now or format_time(datetime.now(UTC))
    ids = [item["rating"]["id"] for item in items]
    escalations = store.review_owners.escalations(ids)
    events = store.review_owners.events(ids)
    for item in items:
        review, rating_id = item["review"], item["rating"]["id"]
        item["owner"] = review.get("owner")
        item["due_at"] = review.get("due_at")
        item["overdue"] = is_overdue(review["status"], review.get("due_at"), now)
        item["escalations"] = escalations.get(rating_id, [])
        item["events"] = events.get(rating_id, [])
    return items


def mine_first(items: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """The reader's own reviews first, keeping the queue's order inside each group (pure)."""
    return sorted(items, key=lambda item: (item["review"].get("owner") or "").lower() != name.lower())
